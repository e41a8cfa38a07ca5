import { type Agent, agentUpstreamUrl } from "../agents/agent.ts";
import { getChainByName } from "../chains/find-chain.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { EventPublisher } from "../events/event-bus.ts";
import { type Model, modelUpstreamUrl } from "../models/model.ts";
import { toAtomicAmount } from "../pricing/to-atomic-amount.ts";
import type { ChainRuntime } from "../runtime/chain-runtime.ts";
import type { SettingsStore } from "../secrets/secret-store.ts";
import { drainEndOf, type Offer, type OfferRegistration } from "./offer.ts";
import type { NewOffer, OfferChanges, OfferRepository, OfferWithConditions } from "./offer-repository.ts";
import {
  type CreateOfferInput,
  createOfferInputSchema,
  listOffersInputSchema,
  type OfferView,
  offerNameInputSchema,
  payToSchema,
  type StopOfferInput,
  stopOfferInputSchema,
  type UpdateOfferInput,
  updateOfferInputSchema,
} from "./offer-schemas.ts";
import { findOwnEndpointReason, type OwnEndpoints } from "./own-endpoints.ts";
import { parseInput } from "./parse-input.ts";
import { toOfferView } from "./to-offer-view.ts";

/** The SettingsStore key of a chain's default payee (an address string). */
export function payeeSettingKey(chain: string): string {
  return `payees/${chain}`;
}

/** A short before/after summary of an offer for the audit log. */
export function summarizeOffer(offer: Offer) {
  return {
    name: offer.name,
    type: offer.type,
    upstreamUrl: offer.upstreamUrl,
    path: offer.path,
    model: offer.model,
    chain: offer.payment.chain,
    payTo: offer.payment.payTo,
    price: offer.payment.price,
    unit: offer.payment.unit,
    maxBodyBytes: offer.maxBodyBytes ?? null,
    state: offer.state,
    drainAt: offer.drainAt?.toISOString() ?? null,
    drainGraceSeconds: offer.drainGraceSeconds,
    generation: offer.generation,
  };
}

const refuse = (field: string, message: string, hint?: string): never => {
  throw new TollgateError("VALIDATION_FAILED", message, hint === undefined ? { field } : { field, hint });
};

/**
 * Offer lifecycle (SPEC §4): create, update (bumps generation, keeps what it does not name), stop (drain),
 * start, delete (tombstone), list, show. Every refusal is a TollgateError naming the field and changes
 * nothing; every change is written with its audit entry atomically, then `offer.changed` is published (the reconciler and the documents react to it).
 * Without a chain runtime (not wired yet) the built-in chain table stands in for "configured".
 */
export function createOfferService({
  repo,
  chains,
  settings,
  models,
  agents,
  clock = () => new Date(),
  events,
  ownEndpoints,
  resolveHost,
}: {
  /** Agents: an agent offer sells one of them through its built-in runtime. */
  agents?: { findAgent(name: string): Promise<Agent | null> } | undefined;
  repo: OfferRepository;
  chains?: ChainRuntime | undefined;
  settings: SettingsStore;
  /** Ledger models: an inference offer without an upstream sells one of them through its provider. */
  models?: { findModel(name: string): Promise<Model | null> } | undefined;
  clock?: () => Date;
  /** Told `offer.changed` after every change is committed. */
  events?: EventPublisher | undefined;
  /** The ports of this server's own processes (Tollgate, its PostgreSQL, the devnet): no upstream may use them. */
  ownEndpoints?: (() => OwnEndpoints) | undefined;
  /** The addresses a host name resolves to (empty when unknown), so a name for this machine is caught too. */
  resolveHost?: ((hostname: string) => Promise<readonly string[]>) | undefined;
}) {
  /** Refuses an upstream that reaches one of the server's own ports (known only at run time). */
  async function checkNotOwnEndpoint(upstream: string): Promise<void> {
    const reason = await findOwnEndpointReason({ url: upstream, own: ownEndpoints?.(), resolveHost });
    if (reason) refuse("upstream", `upstream: ${reason}`, "Point the offer at the service you sell, on another port");
  }

  /** The upstream an offer stores: the given URL, or `model://M` for a ledger model sold through its provider. */
  async function resolveUpstream(parsed: { type: string; upstream?: string | undefined; model?: string | undefined }) {
    if (parsed.upstream !== undefined) return parsed.upstream;
    if (parsed.type === "inference" && parsed.model) {
      if (await models?.findModel(parsed.model)) return modelUpstreamUrl(parsed.model);
      return refuse(
        "model",
        `No model named "${parsed.model}" in the ledger`,
        "Add it with: tollgate models add NAME --provider P (or pass --upstream URL to sell a plain endpoint)",
      );
    }
    return refuse("upstream", "upstream is required", "Pass --upstream URL, e.g. http://127.0.0.1:8080");
  }

  async function resolvePaymentChain(name: string): Promise<{ asset: string; decimals: number }> {
    if (chains) {
      const configured = await chains.get(getChainByName(name, "payment.chain").name);
      if (!configured) {
        const known = (await chains.list()).map((c) => c.chain.name);
        return refuse(
          "payment.chain",
          `Chain "${name}" is not configured on this server`,
          known.length ? `Configured chains: ${known.join(", ")}` : "No chain is configured yet",
        );
      }
      return { asset: configured.chain.usdc.address, decimals: configured.chain.usdc.decimals };
    }
    const chain = getChainByName(name, "payment.chain");
    if (!chain.usdc.address) {
      return refuse(
        "payment.chain",
        `Chain "${name}" is not running on this server`,
        "Start the server with the devnet",
      );
    }
    return { asset: chain.usdc.address, decimals: chain.usdc.decimals };
  }

  async function resolvePayTo(chain: string, given: string | undefined): Promise<string> {
    if (given) return given;
    const stored = await settings.get<string>(payeeSettingKey(chain));
    const parsed = payToSchema.safeParse(stored);
    if (stored && parsed.success) return parsed.data;
    return refuse(
      "payment.payTo",
      `No payee for chain "${chain}": pass a payTo address`,
      `Use --pay-to 0x…, or set a default payee for ${chain}`,
    );
  }

  function checkPrice(price: string, decimals: number): void {
    toAtomicAmount({ amount: price, decimals, field: "payment.price" });
  }

  async function checkPathFree(path: string, exceptId?: string): Promise<void> {
    const holder = await repo.findLiveByPath(path, exceptId);
    if (holder) {
      throw new TollgateError("CONFLICT", `Path ${path} is already served by offer "${holder.name}"`, {
        field: "path",
        hint: "Pick another --path",
      });
    }
  }

  async function getLive(name: string): Promise<OfferWithConditions> {
    const found = await repo.findLive(name);
    if (!found) throw new TollgateError("NOT_FOUND", `No offer named "${name}"`, { field: "name" });
    return found;
  }

  const changed = (offer: Offer, action: string) =>
    events?.publish({
      type: "offer.changed",
      offerId: offer.id,
      offerName: offer.name,
      action,
      at: clock().toISOString(),
    });

  const view = (offer: Offer, conditions: OfferWithConditions["conditions"] = []) => toOfferView(offer, conditions);

  async function change(
    current: OfferWithConditions,
    changes: OfferChanges,
    action: string,
    actor: string,
  ): Promise<OfferView> {
    const updated = await repo.update(current.offer.id, current.offer.generation, changes, {
      actor,
      action,
      before: summarizeOffer(current.offer),
      after: summarizeOffer({ ...current.offer, ...changes } as Offer),
    });
    changed(updated, action);
    return view(updated, current.conditions);
  }

  return {
    /** Creates an offer. `demoUpstream` (internal: the embedded demo) stores a `demo://` upstream. */
    async create({
      actor,
      input,
      demoUpstream,
    }: {
      actor: string;
      input: CreateOfferInput;
      demoUpstream?: `demo://${string}`;
    }): Promise<OfferView> {
      const parsed = parseInput(createOfferInputSchema, input);
      let agent: Agent | null = null;
      if (parsed.type === "agent") {
        if (!parsed.agent) refuse("agent", "An agent offer needs an agent", "Pass --agent NAME (tollgate agents list)");
        if (parsed.upstream !== undefined)
          refuse("upstream", "An agent offer's upstream is its agent: omit --upstream");
        agent = (await agents?.findAgent(parsed.agent ?? "")) ?? null;
        if (!agent) {
          refuse("agent", `No agent named "${parsed.agent}"`, "Create it with: tollgate agents create NAME --model M");
        }
      } else if (parsed.agent !== undefined) refuse("agent", "Only agent offers have an agent (--type agent)");
      if (parsed.type === "inference" && !parsed.model) {
        refuse("model", "An inference offer needs a model", "Pass --model, e.g. --model llama3.2:1b");
      }
      if (parsed.type !== "inference" && parsed.model) refuse("model", "Only inference offers have a model");
      const upstreamUrl = agent ? agentUpstreamUrl(agent.name) : (demoUpstream ?? (await resolveUpstream(parsed)));
      await checkNotOwnEndpoint(upstreamUrl);
      const { asset, decimals } = await resolvePaymentChain(parsed.payment.chain);
      checkPrice(parsed.payment.price, decimals);
      const payTo = await resolvePayTo(parsed.payment.chain, parsed.payment.payTo);
      const path = parsed.path ?? `/services/${parsed.name}`;
      if (await repo.findLive(parsed.name)) {
        throw new TollgateError("CONFLICT", `An offer named "${parsed.name}" already exists`, { field: "name" });
      }
      await checkPathFree(path);
      const reg = parsed.registration ?? {};
      const registration: OfferRegistration = {
        enabled: reg.enabled ?? true,
        ...(reg.name === undefined ? {} : { name: reg.name }),
        ...(reg.description === undefined ? {} : { description: reg.description }),
        ...(reg.image === undefined ? {} : { image: reg.image }),
        skills: reg.skills ?? [],
        domains: reg.domains ?? [],
        metadata: reg.metadata ?? {},
        services: reg.services ?? [],
      };
      const data: NewOffer = {
        name: parsed.name,
        type: parsed.type,
        upstreamUrl,
        healthPath: parsed.healthPath ?? "/health",
        path,
        model: parsed.model ?? null,
        agentId: agent?.id ?? null,
        description: parsed.description ?? "",
        listing: { category: parsed.listing?.category ?? null, weight: parsed.listing?.weight ?? 0 },
        payment: {
          chain: parsed.payment.chain,
          asset,
          payTo,
          price: parsed.payment.price,
          unit: parsed.payment.unit,
          maxTimeoutSeconds: parsed.payment.maxTimeoutSeconds ?? 300,
        },
        maxBodyBytes: parsed.maxBodyBytes ?? null,
        registration,
        isDemo: demoUpstream !== undefined,
      };
      const created = await repo.create(data, { actor, action: "offer.create", after: summarizeOffer(data as Offer) });
      changed(created, "offer.create");
      return view(created);
    },

    /** Changes only the named fields and bumps the generation; drain and registration state it does not name stay. */
    async update({ actor, input }: { actor: string; input: UpdateOfferInput }): Promise<OfferView> {
      const parsed = parseInput(updateOfferInputSchema, input);
      const { name, ...patch } = parsed;
      const named = Object.values(patch).some(
        (v) => v !== undefined && (v === null || typeof v !== "object" || Object.keys(v).length),
      );
      if (!named) refuse("input", "Nothing to update", "Name at least one field to change");
      if (patch.upstream !== undefined) await checkNotOwnEndpoint(patch.upstream);
      const current = await getLive(name);
      const offer = current.offer;
      const pay = patch.payment ?? {};
      const chain = pay.chain ?? offer.payment.chain;
      const unit = pay.unit ?? offer.payment.unit;
      // Exactly one price is active: a new unit needs its own price, so no old amount survives under it.
      if (unit !== offer.payment.unit && pay.price === undefined) {
        refuse("payment.price", `Changing the unit to ${unit} needs a price in that unit`, "Pass --price with --unit");
      }
      const resolved = pay.chain !== undefined ? await resolvePaymentChain(chain) : null;
      const price = pay.price ?? offer.payment.price;
      if (resolved || pay.price !== undefined) {
        checkPrice(price, resolved?.decimals ?? getChainByName(chain, "payment.chain").usdc.decimals);
      }
      if (patch.model !== undefined && offer.type !== "inference")
        refuse("model", "Only inference offers have a model");

      const changes: OfferChanges = {};
      if (patch.upstream !== undefined && patch.upstream !== offer.upstreamUrl) changes.upstreamUrl = patch.upstream;
      if (patch.healthPath !== undefined && patch.healthPath !== offer.healthPath)
        changes.healthPath = patch.healthPath;
      if (patch.model !== undefined && patch.model !== offer.model) {
        changes.model = patch.model;
        // An offer selling a ledger model follows the new model's provider.
        if (patch.upstream === undefined && offer.upstreamUrl.startsWith("model://")) {
          changes.upstreamUrl = await resolveUpstream({ type: offer.type, model: patch.model });
        }
      }
      if (patch.maxBodyBytes !== undefined && patch.maxBodyBytes !== (offer.maxBodyBytes ?? null))
        changes.maxBodyBytes = patch.maxBodyBytes;
      if (patch.description !== undefined && patch.description !== offer.description)
        changes.description = patch.description;
      if (patch.listing) {
        const listing = {
          category: patch.listing.category === undefined ? offer.listing.category : patch.listing.category,
          weight: patch.listing.weight ?? offer.listing.weight,
        };
        if (JSON.stringify(listing) !== JSON.stringify(offer.listing)) changes.listing = listing;
      }
      const payment = {
        chain,
        asset: resolved?.asset ?? offer.payment.asset,
        payTo: pay.payTo ?? offer.payment.payTo,
        price,
        unit,
        maxTimeoutSeconds: pay.maxTimeoutSeconds ?? offer.payment.maxTimeoutSeconds,
      };
      if (JSON.stringify(payment) !== JSON.stringify(offer.payment)) changes.payment = payment;
      if (patch.registration) {
        const merged: OfferRegistration = { ...offer.registration };
        for (const [key, value] of Object.entries(patch.registration)) {
          if (value !== undefined) (merged as unknown as Record<string, unknown>)[key] = value;
        }
        if (JSON.stringify(merged) !== JSON.stringify(offer.registration)) changes.registration = merged;
      }
      if (Object.keys(changes).length === 0) return view(offer, current.conditions);
      return change(current, { ...changes, bumpGeneration: true }, "offer.update", actor);
    },

    /** Starts a drain (default 1 h; 0 = now). A second stop can shorten a drain, never extend it. */
    async stop({ actor, input }: { actor: string; input: StopOfferInput }): Promise<OfferView> {
      const parsed = parseInput(stopOfferInputSchema, input);
      const current = await getLive(parsed.name);
      const now = clock();
      const offer = current.offer;
      if (offer.state === "stopped" && offer.drainAt) {
        const end = drainEndOf(offer)?.getTime() ?? now.getTime();
        const wanted = now.getTime() + parsed.graceSeconds * 1000;
        if (wanted >= end) return view(offer, current.conditions);
        const grace = Math.max(0, Math.floor((wanted - offer.drainAt.getTime()) / 1000));
        return change(current, { drainGraceSeconds: grace }, "offer.stop", actor);
      }
      return change(
        current,
        { state: "stopped", drainAt: now, drainGraceSeconds: parsed.graceSeconds },
        "offer.stop",
        actor,
      );
    },

    /** Ends a drain or restarts a stopped offer; an active offer is left as it is. */
    async start({ actor, input }: { actor: string; input: { name: string } }): Promise<OfferView> {
      const { name } = parseInput(offerNameInputSchema, input);
      const current = await getLive(name);
      if (current.offer.state === "active") return view(current.offer, current.conditions);
      return change(current, { state: "active", drainAt: null, drainGraceSeconds: null }, "offer.start", actor);
    },

    /** Tombstones an offer: it stops serving at once, its name is free again, and nothing brings it back. */
    async delete({ actor, input }: { actor: string; input: { name: string } }): Promise<OfferView> {
      const { name } = parseInput(offerNameInputSchema, input);
      const current = await getLive(name);
      return change(current, { state: "deleted", deletedAt: clock() }, "offer.delete", actor);
    },

    /** Live offers (active and stopped); with `all`, tombstones too. */
    async list(input?: { all?: boolean }): Promise<OfferView[]> {
      const { all } = parseInput(listOffersInputSchema, input);
      return (await repo.list({ includeDeleted: all })).map((o) => view(o.offer, o.conditions));
    },

    /** The live offer with this name, else its most recent tombstone. */
    async show({ name }: { name: string }): Promise<OfferView> {
      parseInput(offerNameInputSchema, { name });
      const found = (await repo.findLive(name)) ?? (await repo.findLatestDeleted(name));
      if (!found) throw new TollgateError("NOT_FOUND", `No offer named "${name}"`, { field: "name" });
      return view(found.offer, found.conditions);
    },
  };
}

export type OfferService = ReturnType<typeof createOfferService>;
