import { type CreateOfferInput, createOfferService, payeeSettingKey, TollgateError } from "@tollgate/core";
import { buildChainRuntime, sellerAddress } from "@tollgate/core/testing/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.ts";
import { createOfferRepository } from "./offers.ts";
import { createSettingsStore } from "./settings-store.ts";

let database: TestDatabase;
let service: ReturnType<typeof createOfferService>;

beforeAll(async () => {
  database = await createTestDatabase();
  service = createOfferService({
    repo: createOfferRepository({ db: database.db }),
    chains: buildChainRuntime({ chains: ["local", "base-sepolia"] }),
    settings: createSettingsStore({ db: database.db }),
  });
  await service.create({ actor: "test", input: valid({ name: "existing" }) });
});

afterAll(async () => {
  await database?.close();
});

type Overrides = Partial<Omit<CreateOfferInput, "payment">> & { payment?: Partial<CreateOfferInput["payment"]> };

function valid(overrides: Overrides = {}) {
  const { payment, ...rest } = overrides;
  return {
    name: "fresh",
    upstream: "http://127.0.0.1:8080",
    ...rest,
    payment: { chain: "local" as const, price: "0.01", payTo: sellerAddress, ...payment },
  } as CreateOfferInput;
}

/** Everything the ledger holds about offers: rows, conditions, audit events, settings. */
async function snapshot() {
  const db = database.db;
  return JSON.stringify({
    offers: await db.offer.findMany({ orderBy: { id: "asc" } }),
    conditions: await db.offerCondition.findMany({ orderBy: { id: "asc" } }),
    audit: await db.auditEvent.findMany({ orderBy: { id: "asc" } }),
    settings: await db.setting.findMany({ orderBy: { key: "asc" } }),
  });
}

async function expectRefusal(run: () => Promise<unknown>, code: string, field: string) {
  const before = await snapshot();
  const error = await run().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TollgateError);
  expect(error).toMatchObject({ code, field });
  expect(await snapshot()).toBe(before);
}

const create = (input: CreateOfferInput) => () => service.create({ actor: "test", input });

describe("offer validation (SPEC §4.3): a clear error naming the field, and nothing changed", () => {
  it.each([
    ["/"],
    ["/services"],
    ["/api"],
    ["/api/x"],
    ["/trpc"],
    ["/admin/offers"],
    ["/skill.md"],
    ["/openapi.json"],
    ["/metrics"],
    ["/.well-known/agent-registration.json"],
    ["/_next/static"],
  ])("refuses the reserved path %s", async (path) => {
    await expectRefusal(create(valid({ path })), "VALIDATION_FAILED", "path");
  });

  it("refuses a second live offer on the same path (the older keeps it)", async () => {
    await expectRefusal(create(valid({ path: "/services/existing" })), "CONFLICT", "path");
  });

  it("refuses a name a live offer has", async () => {
    await expectRefusal(create(valid({ name: "existing" })), "CONFLICT", "name");
  });

  it.each([
    ["not an address", "0x1234"],
    ["a bad checksum", "0x70997970C51812dc3A010C7d01b50e0d17dc79c8"],
    ["the zero address", `0x${"0".repeat(40)}`],
  ])("refuses payTo with %s", async (_label, payTo) => {
    await expectRefusal(create(valid({ payment: { payTo } })), "VALIDATION_FAILED", "payment.payTo");
  });

  it("refuses a missing payTo when the chain has no default payee, and uses the default when set", async () => {
    await expectRefusal(create(valid({ payment: { payTo: undefined } })), "VALIDATION_FAILED", "payment.payTo");
    const settings = createSettingsStore({ db: database.db });
    await settings.set(payeeSettingKey("base-sepolia"), sellerAddress.toLowerCase());
    const created = await service.create({
      actor: "test",
      input: valid({ name: "default-payee", payment: { chain: "base-sepolia", payTo: undefined } }),
    });
    expect(created.payment.payTo).toBe(sellerAddress);
  });

  it.each([
    ["zero", "0"],
    ["zero with decimals", "0.000"],
    ["empty", ""],
    ["negative", "-1"],
    ["not a number", "ten"],
    ["more decimals than the asset", "0.0000001"],
  ])("refuses a %s price", async (_label, price) => {
    await expectRefusal(create(valid({ payment: { price } })), "VALIDATION_FAILED", "payment.price");
  });

  it("refuses an unknown chain and a chain the server has not configured", async () => {
    await expectRefusal(
      create(valid({ payment: { chain: "polygon" as never } })),
      "VALIDATION_FAILED",
      "payment.chain",
    );
    await expectRefusal(create(valid({ payment: { chain: "base" } })), "VALIDATION_FAILED", "payment.chain");
  });

  it.each([
    ["relative", "/just/a/path"],
    ["ftp", "ftp://example.com"],
    ["not a URL", "hello"],
  ])("refuses a %s upstream", async (_label, upstream) => {
    await expectRefusal(create(valid({ upstream })), "VALIDATION_FAILED", "upstream");
  });

  it.each([["UPPER"], ["has space"], ["-dash"], ["a".repeat(64)], ["under_score"]])(
    "refuses the name %s",
    async (name) => {
      await expectRefusal(create(valid({ name })), "VALIDATION_FAILED", "name");
    },
  );

  it("refuses a model with unexpected characters, and an inference offer without a model", async () => {
    await expectRefusal(create(valid({ type: "inference", model: "llama 3; rm -rf" })), "VALIDATION_FAILED", "model");
    await expectRefusal(create(valid({ type: "inference" })), "VALIDATION_FAILED", "model");
  });

  it("refuses oversized fields naming them", async () => {
    await expectRefusal(create(valid({ description: "x".repeat(1001) })), "VALIDATION_FAILED", "description");
    await expectRefusal(create(valid({ upstream: `http://h/${"a".repeat(2100)}` })), "VALIDATION_FAILED", "upstream");
    await expectRefusal(
      create(valid({ registration: { skills: Array.from({ length: 40 }, (_, i) => `s${i}`) } })),
      "VALIDATION_FAILED",
      "registration.skills",
    );
  });

  it("refuses agent offers without an agent, naming the field", async () => {
    await expectRefusal(create(valid({ type: "agent" })), "VALIDATION_FAILED", "agent");
    await expectRefusal(create(valid({ type: "http", agent: "someone" })), "VALIDATION_FAILED", "agent");
  });

  it("refuses updates the same way: nothing changes on a bad price, a bad payTo, or nothing to update", async () => {
    const update = (input: Parameters<typeof service.update>[0]["input"]) => () =>
      service.update({ actor: "test", input });
    await expectRefusal(update({ name: "existing", payment: { price: "0" } }), "VALIDATION_FAILED", "payment.price");
    await expectRefusal(
      update({ name: "existing", payment: { payTo: "0xdead" } }),
      "VALIDATION_FAILED",
      "payment.payTo",
    );
    await expectRefusal(update({ name: "existing" }), "VALIDATION_FAILED", "input");
    await expectRefusal(update({ name: "nobody", description: "x" }), "NOT_FOUND", "name");
  });
});

describe("stored offers and tombstones", () => {
  it("loads a stored offer that newer rules reject, with warnings", async () => {
    const first = await database.db.offer.findFirstOrThrow({ where: { name: "existing" } });
    const { id: _id, liveName: _ln, createdAt: _c, updatedAt: _u, registration, ...copy } = first;
    await database.db.offer.create({
      data: {
        ...copy,
        registration: registration ?? {},
        name: "legacy",
        liveName: "legacy",
        path: "/services/legacy",
        model: "bad model!",
        type: "inference",
      },
    });
    const shown = await service.show({ name: "legacy" });
    expect(shown.model).toBe("bad model!");
    expect(shown.warnings.join(" ")).toContain("model");
    expect((await service.list()).map((o) => o.name)).toContain("legacy");
  });

  it("an update never resets the drain it does not name", async () => {
    await service.create({ actor: "test", input: valid({ name: "keeps-drain" }) });
    const stopped = await service.stop({ actor: "test", input: { name: "keeps-drain", graceSeconds: 600 } });
    const updated = await service.update({ actor: "test", input: { name: "keeps-drain", description: "new words" } });
    expect(updated).toMatchObject({ state: "stopped", drainAt: stopped.drainAt, drainEndsAt: stopped.drainEndsAt });
    expect(updated.generation).toBe(stopped.generation + 1);
    // A second stop may shorten the drain, never extend it.
    const again = await service.stop({ actor: "test", input: { name: "keeps-drain", graceSeconds: 7200 } });
    expect(again.drainEndsAt).toBe(stopped.drainEndsAt);
  });

  it("delete tombstones: the name is free again and each change has an audit event", async () => {
    await service.create({ actor: "test", input: valid({ name: "reuse" }) });
    const deleted = await service.delete({ actor: "test", input: { name: "reuse" } });
    expect(deleted.state).toBe("deleted");
    const row = await database.db.offer.findFirstOrThrow({ where: { name: "reuse" } });
    expect(row.liveName).toBeNull();
    const again = await service.create({ actor: "test", input: valid({ name: "reuse" }) });
    expect(again.id).not.toBe(deleted.id);
    const all = await service.list({ all: true });
    expect(
      all
        .filter((o) => o.name === "reuse")
        .map((o) => o.state)
        .sort(),
    ).toEqual(["active", "deleted"]);
    const audit = await database.db.auditEvent.findMany({
      where: { objectId: deleted.id },
      orderBy: { createdAt: "asc" },
    });
    expect(audit.map((a) => a.action)).toEqual(["offer.create", "offer.delete"]);
    expect(audit[1]?.before).toMatchObject({ state: "active" });
    expect(audit[1]?.after).toMatchObject({ state: "deleted" });
  });
});
