import type { ChainRuntime, OfferRepository, OfferWithConditions, SecretStore } from "@tollgate/core";
import type { IdentityRecord, IdentityRepository } from "@tollgate/core/identity/index";
import { buildListedOffer } from "@tollgate/core/testing/discovery-fixtures";
import { buildChainRuntime } from "@tollgate/core/testing/fixtures";
import type { Hex } from "viem";
import { describe, expect, it } from "vitest";
import { createRegistrar, type RegistryClientFactory } from "./create-registrar.ts";

const signerKey = `0x${"11".repeat(32)}` as Hex;
const quiet = { info() {}, warn() {}, error() {} };

function memoryIdentities(): IdentityRepository & { rows: Map<string, IdentityRecord> } {
  const rows = new Map<string, IdentityRecord>();
  return {
    rows,
    list: async () => [...rows.values()],
    find: async (chain) => rows.get(chain) ?? null,
    save: async (chain, fields) => {
      const row = { chain, ...fields, updatedAt: new Date() };
      rows.set(chain, row);
      return row;
    },
  };
}

function fakeChain(options: { balance?: bigint; failRegister?: string } = {}) {
  const calls = { register: 0, setAgentUri: 0, tokenUri: 0 };
  const uris = new Map<bigint, string>();
  let nextId = 0n;
  const factory: RegistryClientFactory = () => ({
    signer: "0x19E7E376E7C213B7E7e7e46cc70A5dD086DAff2A",
    getBalance: async () => options.balance ?? 10n ** 18n,
    readTokenUri: async (id) => {
      calls.tokenUri += 1;
      return uris.get(id) ?? null;
    },
    register: async (uri, beforeSend) => {
      calls.register += 1;
      if (options.failRegister) throw new Error(options.failRegister);
      await beforeSend("0xaa");
      const id = nextId++;
      uris.set(id, uri);
      return { status: "success", agentId: id, txHash: "0xaa" };
    },
    setAgentUri: async (id, uri, beforeSend) => {
      calls.setAgentUri += 1;
      await beforeSend("0xbb");
      uris.set(id, uri);
      return { status: "success", agentId: null, txHash: "0xbb" };
    },
    findReceipt: async () => "unknown",
  });
  return { factory, calls, uris };
}

function chainsWithSigner(secret: string | undefined): ChainRuntime {
  const base = buildChainRuntime();
  const withSigner = async () => {
    const [local] = await base.list();
    if (!local) return null;
    return { ...local, setting: { ...local.setting, ...(secret ? { registrationSignerSecret: secret } : {}) } };
  };
  return { list: async () => [(await withSigner())!], get: async (name) => (name === "local" ? withSigner() : null) };
}

const secrets: SecretStore = {
  get: async (name) => (name === "signer" ? signerKey : null),
  set: async () => {},
  delete: async () => {},
};

function offersOf(list: OfferWithConditions[]): OfferRepository {
  return { list: async () => list } as unknown as OfferRepository;
}

const ready = [buildListedOffer({ name: "reg", registration: { enabled: true } })];

function setup(
  options: {
    secret?: string;
    chain?: ReturnType<typeof fakeChain>;
    identities?: ReturnType<typeof memoryIdentities>;
    url?: string;
    offers?: OfferWithConditions[];
  } = {},
) {
  const identities = options.identities ?? memoryIdentities();
  const chain = options.chain ?? fakeChain();
  let url = options.url ?? "https://one.example";
  const registrar = createRegistrar({
    identities,
    offers: offersOf(options.offers ?? ready),
    chains: chainsWithSigner(options.secret),
    secrets,
    getPublicBaseUrl: async () => url,
    log: quiet,
    createClient: chain.factory,
  });
  return { identities, chain, registrar, setUrl: (next: string) => (url = next) };
}

describe("createRegistrar", () => {
  it("mints once for a ready offer; a restarted registrar reuses the agent; a URL change is one setAgentURI", async () => {
    const first = setup({ secret: "signer" });
    await first.registrar.runOnce();
    expect(first.chain.calls.register).toBe(1);
    expect(first.identities.rows.get("local")).toMatchObject({
      state: "registered",
      agentId: "0",
      agentUri: "https://one.example/.well-known/agent-registration.json",
    });
    await first.registrar.runOnce();
    expect(first.chain.calls.register).toBe(1);
    await first.registrar.stop();

    const second = setup({ secret: "signer", chain: first.chain, identities: first.identities });
    await second.registrar.runOnce();
    expect(first.chain.calls).toMatchObject({ register: 1, setAgentUri: 0 });
    second.setUrl("https://two.example");
    await second.registrar.runOnce();
    await second.registrar.runOnce();
    expect(first.chain.calls).toMatchObject({ register: 1, setAgentUri: 1 });
    expect(first.chain.uris.get(0n)).toBe("https://two.example/.well-known/agent-registration.json");
    expect(first.identities.rows.get("local")?.agentId).toBe("0");
    await second.registrar.stop();
  });

  it("without a signer or without gas the chain is off-chain only, with the reason", async () => {
    const noSigner = setup({});
    await noSigner.registrar.runOnce();
    expect(noSigner.identities.rows.get("local")).toMatchObject({
      state: "off_chain_only",
      lastError: expect.stringContaining("no registration signer on local"),
    });
    expect(noSigner.chain.calls.register).toBe(0);

    const noGas = setup({ secret: "signer", chain: fakeChain({ balance: 0n }) });
    await noGas.registrar.runOnce();
    expect(noGas.identities.rows.get("local")).toMatchObject({
      state: "off_chain_only",
      lastError: expect.stringContaining("has no gas"),
    });
    expect(noGas.chain.calls.register).toBe(0);
  });

  it("a failed attempt is recorded with a backoff and not retried before it", async () => {
    const failing = setup({ secret: "signer", chain: fakeChain({ failRegister: "rpc exploded" }) });
    await failing.registrar.runOnce();
    const row = failing.identities.rows.get("local");
    expect(row).toMatchObject({ state: "failed", attempts: 1, lastError: "rpc exploded" });
    expect(row?.nextAttemptAt?.getTime()).toBeGreaterThan(Date.now());
    await failing.registrar.runOnce();
    expect(failing.chain.calls.register).toBe(1);
    // An explicit register ignores the backoff.
    await failing.registrar.registerNow("local");
    expect(failing.chain.calls.register).toBe(2);
    expect(failing.identities.rows.get("local")?.attempts).toBe(2);
  });

  it("does nothing for offers that are not ready or have registration disabled", async () => {
    const idle = setup({
      secret: "signer",
      offers: [
        buildListedOffer({ name: "off", registration: { enabled: false } }),
        buildListedOffer(
          { name: "down", registration: { enabled: true } },
          { UpstreamHealthy: ["False", "Unreachable"] },
        ),
      ],
    });
    await idle.registrar.runOnce();
    expect(idle.identities.rows.size).toBe(0);
    expect(idle.chain.calls.register).toBe(0);
  });
});
