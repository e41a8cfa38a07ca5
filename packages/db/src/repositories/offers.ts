import {
  type ConditionUpdate,
  type Offer,
  type OfferAuditEntry,
  type OfferChanges,
  type OfferCondition,
  type OfferRegistration,
  type OfferRepository,
  type OfferWithConditions,
  TollgateError,
} from "@tollgate/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";
import { searchOfferIds } from "./search-offer-ids.ts";

type OfferRow = Prisma.OfferGetPayload<{ include: { conditions: true } }>;

const include = { conditions: true } as const;

/** Reads the stored registration JSON leniently: a row written by an older version still loads. */
function readRegistration(value: unknown): OfferRegistration {
  const raw = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
  const reg: OfferRegistration = {
    enabled: raw.enabled !== false,
    skills: strings(raw.skills),
    domains: strings(raw.domains),
    metadata:
      raw.metadata && typeof raw.metadata === "object"
        ? Object.fromEntries(Object.entries(raw.metadata).map(([k, v]) => [k, String(v)]))
        : {},
    services: Array.isArray(raw.services)
      ? raw.services
          .filter((s): s is { name: string; endpoint: string } => !!s && typeof s === "object")
          .map((s) => ({ name: String(s.name), endpoint: String(s.endpoint) }))
      : [],
  };
  if (typeof raw.name === "string") reg.name = raw.name;
  if (typeof raw.description === "string") reg.description = raw.description;
  if (typeof raw.image === "string") reg.image = raw.image;
  return reg;
}

/** Maps a row to the domain offer without re-validating it (SPEC §4.3: newer rules never hide stored offers). */
function toOffer(row: OfferRow): Offer {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    upstreamUrl: row.upstreamUrl,
    healthPath: row.healthPath,
    path: row.path,
    model: row.model,
    agentId: row.agentId,
    description: row.description,
    listing: { category: row.listingCategory, weight: row.listingWeight },
    payment: {
      chain: row.chain,
      asset: row.asset,
      payTo: row.payTo,
      price: row.priceAmount,
      unit: row.priceUnit,
      maxTimeoutSeconds: row.maxTimeoutSeconds,
    },
    maxBodyBytes: row.maxBodyBytes,
    registration: readRegistration(row.registration),
    isDemo: row.isDemo,
    state: row.state,
    drainAt: row.drainAt,
    drainGraceSeconds: row.drainGraceSeconds,
    deletedAt: row.deletedAt,
    generation: row.generation,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function toConditions(row: OfferRow): OfferCondition[] {
  return row.conditions.map((c) => ({
    type: c.type as OfferCondition["type"],
    status: c.status,
    reason: c.reason,
    message: c.message,
    lastTransitionTime: c.lastTransitionTime,
    observedGeneration: c.observedGeneration,
  }));
}

const withConditions = (row: OfferRow): OfferWithConditions => ({ offer: toOffer(row), conditions: toConditions(row) });

/** The columns an update writes for the named changes (only those present). */
function toColumns(changes: OfferChanges): Prisma.OfferUpdateInput {
  const data: Prisma.OfferUpdateInput = {};
  if (changes.upstreamUrl !== undefined) data.upstreamUrl = changes.upstreamUrl;
  if (changes.healthPath !== undefined) data.healthPath = changes.healthPath;
  if (changes.path !== undefined) data.path = changes.path;
  if (changes.model !== undefined) data.model = changes.model;
  if (changes.description !== undefined) data.description = changes.description;
  if (changes.listing !== undefined) {
    data.listingCategory = changes.listing.category;
    data.listingWeight = changes.listing.weight;
  }
  if (changes.payment !== undefined) {
    // The whole payment is written together: one chain, one asset, one price in one unit, nothing stale.
    data.chain = changes.payment.chain;
    data.asset = changes.payment.asset;
    data.payTo = changes.payment.payTo;
    data.priceAmount = changes.payment.price;
    data.priceUnit = changes.payment.unit;
    data.maxTimeoutSeconds = changes.payment.maxTimeoutSeconds;
  }
  if (changes.maxBodyBytes !== undefined) data.maxBodyBytes = changes.maxBodyBytes;
  if (changes.registration !== undefined) data.registration = changes.registration as unknown as Prisma.InputJsonValue;
  if (changes.state !== undefined) data.state = changes.state;
  if (changes.drainAt !== undefined) data.drainAt = changes.drainAt;
  if (changes.drainGraceSeconds !== undefined) data.drainGraceSeconds = changes.drainGraceSeconds;
  if (changes.deletedAt !== undefined) data.deletedAt = changes.deletedAt;
  if (changes.bumpGeneration) data.generation = { increment: 1 };
  return data;
}

const json = (value: unknown) => (value === undefined ? undefined : (value as Prisma.InputJsonValue));

/** Offers in the ledger: every change is written with its audit event in one transaction. */
export function createOfferRepository({ db }: { db: Db }): OfferRepository {
  return {
    async list(options = {}) {
      const rows = await db.offer.findMany({
        where: options.includeDeleted ? {} : { state: { not: "deleted" } },
        include,
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return rows.map(withConditions);
    },

    async search(query) {
      const { ids, total, facets } = await searchOfferIds(db, query);
      const rows = ids.length ? await db.offer.findMany({ where: { id: { in: ids } }, include }) : [];
      const byId = new Map(rows.map((row) => [row.id, row]));
      const offers = ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [withConditions(row)] : [];
      });
      return { offers, total, facets };
    },

    async findLive(name) {
      const row = await db.offer.findUnique({ where: { liveName: name }, include });
      return row ? withConditions(row) : null;
    },

    async findLatestDeleted(name) {
      const row = await db.offer.findFirst({
        where: { name, state: "deleted" },
        include,
        orderBy: { deletedAt: "desc" },
      });
      return row ? withConditions(row) : null;
    },

    async create(data, audit: OfferAuditEntry) {
      try {
        const row = await db.$transaction(async (tx) => {
          const created = await tx.offer.create({
            data: {
              name: data.name,
              liveName: data.name,
              type: data.type,
              upstreamUrl: data.upstreamUrl,
              healthPath: data.healthPath,
              path: data.path,
              model: data.model,
              agentId: data.agentId,
              description: data.description,
              listingCategory: data.listing.category,
              listingWeight: data.listing.weight,
              chain: data.payment.chain,
              asset: data.payment.asset,
              payTo: data.payment.payTo,
              priceAmount: data.payment.price,
              priceUnit: data.payment.unit,
              maxTimeoutSeconds: data.payment.maxTimeoutSeconds,
              maxBodyBytes: data.maxBodyBytes ?? null,
              registration: data.registration as unknown as Prisma.InputJsonValue,
              isDemo: data.isDemo,
            },
            include,
          });
          await tx.auditEvent.create({
            data: {
              actor: audit.actor,
              action: audit.action,
              objectType: "Offer",
              objectId: created.id,
              before: json(audit.before),
              after: json(audit.after),
            },
          });
          return created;
        });
        return toOffer(row);
      } catch (error) {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
          throw new TollgateError("CONFLICT", `An offer named "${data.name}" already exists`, { field: "name" });
        }
        throw error;
      }
    },

    async update(id, expectedGeneration, changes, audit) {
      const data = toColumns(changes);
      // Tombstones free the name for a new offer.
      if (changes.state === "deleted") data.liveName = null;
      const row = await db.$transaction(async (tx) => {
        const res = await tx.offer.updateMany({
          where: { id, generation: expectedGeneration, state: { not: "deleted" } },
          data: data as Prisma.OfferUpdateManyMutationInput,
        });
        if (res.count !== 1) {
          throw new TollgateError("CONFLICT", "The offer changed meanwhile; show it and try again", { field: "name" });
        }
        await tx.auditEvent.create({
          data: {
            actor: audit.actor,
            action: audit.action,
            objectType: "Offer",
            objectId: id,
            before: json(audit.before),
            after: json(audit.after),
          },
        });
        return tx.offer.findUniqueOrThrow({ where: { id }, include });
      });
      return toOffer(row);
    },

    async find(id) {
      const row = await db.offer.findUnique({ where: { id }, include });
      return row ? withConditions(row) : null;
    },

    async findMany(ids) {
      if (ids.length === 0) return [];
      const rows = await db.offer.findMany({ where: { id: { in: ids } }, include });
      return rows.map(withConditions);
    },

    async findLiveByPath(path, exceptId) {
      const row = await db.offer.findFirst({
        where: { path, state: { not: "deleted" }, ...(exceptId ? { id: { not: exceptId } } : {}) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      });
      return row ? toOffer({ ...row, conditions: [] }) : null;
    },

    async listVersions() {
      const rows = await db.offer.findMany({
        where: { state: { not: "deleted" } },
        select: { id: true, updatedAt: true },
      });
      return rows.map((r) => ({ id: r.id, version: r.updatedAt.getTime() }));
    },

    async saveConditionsMany(writes, now) {
      const offerIds: string[] = [];
      const types: string[] = [];
      const statuses: string[] = [];
      const reasons: string[] = [];
      const messages: string[] = [];
      const generations: number[] = [];
      for (const write of writes) {
        for (const c of write.conditions) {
          offerIds.push(write.offerId);
          types.push(c.type);
          statuses.push(c.status);
          reasons.push(c.reason);
          messages.push(c.message);
          generations.push(c.observedGeneration);
        }
      }
      if (offerIds.length === 0) return 0;
      // One statement: unchanged rows are skipped by the WHERE of the upsert, a status change moves
      // lastTransitionTime, and rows of offers that no longer exist (a live import) are left out.
      return db.$executeRaw`
        INSERT INTO "OfferCondition" ("id", "offerId", "type", "status", "reason", "message", "lastTransitionTime", "observedGeneration")
        SELECT gen_random_uuid()::text, t.offer_id, t.type, t.status::"ConditionStatus", t.reason, t.message, ${now}, t.generation
        FROM unnest(${offerIds}::text[], ${types}::text[], ${statuses}::text[], ${reasons}::text[], ${messages}::text[], ${generations}::int[])
          AS t(offer_id, type, status, reason, message, generation)
        WHERE EXISTS (SELECT 1 FROM "Offer" o WHERE o."id" = t.offer_id)
        ON CONFLICT ("offerId", "type") DO UPDATE SET
          "status" = EXCLUDED."status",
          "reason" = EXCLUDED."reason",
          "message" = EXCLUDED."message",
          "observedGeneration" = EXCLUDED."observedGeneration",
          "lastTransitionTime" = CASE WHEN "OfferCondition"."status" = EXCLUDED."status"
            THEN "OfferCondition"."lastTransitionTime" ELSE EXCLUDED."lastTransitionTime" END
        WHERE ("OfferCondition"."status", "OfferCondition"."reason", "OfferCondition"."message", "OfferCondition"."observedGeneration")
          IS DISTINCT FROM (EXCLUDED."status", EXCLUDED."reason", EXCLUDED."message", EXCLUDED."observedGeneration")`;
    },

    async saveConditions(offerId, conditions: ConditionUpdate[], now) {
      const existing = await db.offerCondition.findMany({ where: { offerId } });
      const byType = new Map(existing.map((c) => [c.type, c]));
      const writes = [];
      for (const c of conditions) {
        const old = byType.get(c.type);
        if (
          old &&
          old.status === c.status &&
          old.reason === c.reason &&
          old.message === c.message &&
          old.observedGeneration === c.observedGeneration
        )
          continue;
        // lastTransitionTime moves only when the status changes.
        const transition = !old || old.status !== c.status ? now : old.lastTransitionTime;
        writes.push(
          db.offerCondition.upsert({
            where: { offerId_type: { offerId, type: c.type } },
            create: { offerId, ...c, lastTransitionTime: transition },
            update: {
              status: c.status,
              reason: c.reason,
              message: c.message,
              observedGeneration: c.observedGeneration,
              lastTransitionTime: transition,
            },
          }),
        );
      }
      if (writes.length) await db.$transaction(writes);
    },
  };
}
