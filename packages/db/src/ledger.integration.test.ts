import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiTokenRepository } from "./repositories/api-tokens.ts";
import { createAuditLog } from "./repositories/audit-log.ts";
import { createSecretStore } from "./repositories/secret-store.ts";
import { createSettingsStore } from "./repositories/settings-store.ts";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.ts";

let t: TestDatabase;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.close();
});

const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

describe("ledger entities round-trip through packages/db", () => {
  it("offers, conditions and payments, with the unique keys the product relies on", async () => {
    const offer = await t.db.offer.create({
      data: {
        name: "hello",
        liveName: "hello",
        type: "http",
        upstreamUrl: "http://127.0.0.1:9000",
        path: "/services/hello",
        chain: "local",
        asset: address(1),
        payTo: address(2),
        priceAmount: "0.01",
        registration: { enabled: true, skills: ["weather"] },
        drainAt: new Date("2026-11-23T10:00:00Z"),
        drainGraceSeconds: 3600,
      },
    });
    expect(offer.generation).toBe(1);
    expect(offer.state).toBe("active");
    expect(offer.healthPath).toBe("/health");

    await t.db.offerCondition.create({
      data: { offerId: offer.id, type: "UpstreamHealthy", status: "True", reason: "Healthy", observedGeneration: 1 },
    });
    await expect(
      t.db.offerCondition.create({
        data: {
          offerId: offer.id,
          type: "UpstreamHealthy",
          status: "False",
          reason: "Unreachable",
          observedGeneration: 1,
        },
      }),
    ).rejects.toThrow();

    // A second live offer may not take the name; a tombstoned one frees it.
    await expect(
      t.db.offer.create({
        data: { ...baseOffer(), name: "hello", liveName: "hello" },
      }),
    ).rejects.toThrow();
    await t.db.offer.update({
      where: { id: offer.id },
      data: { state: "deleted", liveName: null, deletedAt: new Date() },
    });
    const reused = await t.db.offer.create({ data: { ...baseOffer(), name: "hello", liveName: "hello" } });
    expect(reused.id).not.toBe(offer.id);

    const nonce = `0x${randomBytes(32).toString("hex")}`;
    const payment = await t.db.payment.create({
      data: paymentData(offer.id, nonce, "123456789012345678901234567890"),
    });
    const read = await t.db.payment.findUniqueOrThrow({ where: { id: payment.id }, include: { offer: true } });
    expect(read.amount.toFixed()).toBe("123456789012345678901234567890");
    expect(read.offer.name).toBe("hello");
    // One authorization pays once: the same (network, payer, nonce) is refused by the ledger.
    await expect(t.db.payment.create({ data: paymentData(offer.id, nonce, "1") })).rejects.toThrow();
  });

  it("agents, models, RPC upstreams and identities", async () => {
    const agent = await t.db.agent.create({
      data: { name: "quant", model: "qwen3", skills: ["gas", "addresses"], walletAddress: address(7) },
    });
    const provider = await t.db.provider.create({
      data: { name: "ollama", baseUrl: "http://127.0.0.1:11434", apiKeySecret: "providers/ollama/api-key" },
    });
    const model = await t.db.model.create({
      data: { name: "qwen3", providerId: provider.id, upstreamModel: "qwen3:8b" },
    });
    const rpc = await t.db.rpcUpstream.create({
      data: { chain: "base-sepolia", urlSecretId: "rpc/base-sepolia/0", position: 0 },
    });
    const identity = await t.db.identity.create({
      data: {
        chain: "local",
        chainId: 31337,
        registry: address(9),
        agentId: "1",
        agentUri: "http://x/.well-known/agent-registration.json",
        state: "registered",
      },
    });
    expect((await t.db.agent.findUniqueOrThrow({ where: { id: agent.id } })).skills).toEqual(["gas", "addresses"]);
    expect(await t.db.model.findUniqueOrThrow({ where: { id: model.id }, include: { provider: true } })).toMatchObject({
      upstreamModel: "qwen3:8b",
      maxTokens: 8192,
      provider: { name: "ollama" },
    });
    // A provider that models use cannot be deleted out from under them.
    await expect(t.db.provider.delete({ where: { id: provider.id } })).rejects.toThrow();
    expect((await t.db.rpcUpstream.findUniqueOrThrow({ where: { id: rpc.id } })).chain).toBe("base-sepolia");
    expect((await t.db.identity.findUniqueOrThrow({ where: { chain: "local" } })).id).toBe(identity.id);
    await expect(
      t.db.identity.create({ data: { chain: "local", chainId: 31337, registry: address(9) } }),
    ).rejects.toThrow();
  });

  it("settings, secrets (encrypted at rest), tokens (hashed) and the audit log", async () => {
    const settings = createSettingsStore({ db: t.db });
    await settings.set("storefront.profile", { displayName: "Acme AI", tagline: "pay per call" });
    expect(await settings.get("storefront.profile")).toEqual({ displayName: "Acme AI", tagline: "pay per call" });
    expect(await settings.get("missing")).toBeNull();

    const key = randomBytes(32);
    const secrets = createSecretStore({ db: t.db, masterKey: key });
    await secrets.set("devnet/buyer-key", "0xsupersecret");
    expect(await secrets.get("devnet/buyer-key")).toBe("0xsupersecret");
    const row = await t.db.secret.findUniqueOrThrow({ where: { name: "devnet/buyer-key" } });
    expect(row.ciphertext).not.toContain("supersecret");
    await expect(createSecretStore({ db: t.db, masterKey: randomBytes(32) }).get("devnet/buyer-key")).rejects.toThrow();
    await secrets.delete("devnet/buyer-key");
    expect(await secrets.get("devnet/buyer-key")).toBeNull();

    const tokens = createApiTokenRepository({ db: t.db });
    const { token } = await tokens.create({ name: "ci", scope: "read" });
    const stored = await t.db.apiToken.findUniqueOrThrow({ where: { name: "ci" } });
    expect(stored.hash).not.toBe(token);
    expect(stored.hash).not.toContain(token.slice(3));
    expect((await tokens.findActive(token))?.scope).toBe("read");
    expect(await tokens.findActive(`${token}x`)).toBeNull();
    expect(await tokens.revoke("ci")).toBe(true);
    expect(await tokens.findActive(token)).toBeNull();

    const user = await t.db.adminUser.create({ data: { username: "owner", passwordHash: "scrypt$..." } });
    await t.db.adminSession.create({
      data: { tokenHash: "h1", userId: user.id, expiresAt: new Date(Date.now() + 3600_000) },
    });
    expect(await t.db.adminSession.count({ where: { userId: user.id } })).toBe(1);

    const audit = createAuditLog({ db: t.db });
    await audit.record({
      actor: "token:owner",
      action: "offer.update",
      objectType: "Offer",
      objectId: "x",
      before: { price: "1" },
      after: { price: "2" },
    });
    const [event] = await audit.list({ limit: 1 });
    expect(event?.after).toEqual({ price: "2" });
  });
});

function baseOffer() {
  return {
    name: "other",
    type: "http" as const,
    upstreamUrl: "http://127.0.0.1:9001",
    path: "/services/other",
    chain: "local",
    asset: address(1),
    payTo: address(2),
    priceAmount: "1",
  };
}

function paymentData(offerId: string, nonce: string, amount: string) {
  return {
    offerId,
    offerGeneration: 1,
    chain: "local",
    network: "eip155:31337",
    testnet: true,
    asset: address(1),
    amount,
    payer: address(3),
    payTo: address(2),
    nonce,
    x402Version: 2,
    requestMethod: "GET",
    requestPath: "/services/hello/",
    facilitator: "local",
    state: "verified" as const,
  };
}
