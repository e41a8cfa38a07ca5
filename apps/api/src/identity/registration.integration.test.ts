// Acceptance 2 and 3 of issue 5 on a real devnet and ledger through `tollgate serve`, plus the HTTP contract
// of the discovery documents (ETag/304, CORS, content types) and their schemas.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { type Address, createPublicClient, http, parseAbiItem } from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { identityRegistryArtifact } from "../../../../contracts/artifacts/index.ts";
import { createApiClient } from "../cli/api-client.ts";
import { readSchemaFile } from "../discovery/schema-files.ts";
import { homePaths } from "../home/data-home.ts";
import { testingEnv } from "../testing/env.ts";
import {
  runCli,
  type ServeProcess,
  serveEnv,
  startServeProcess,
  stopServeProcesses,
} from "../testing/serve-process.ts";

let home: string;
let external: TestDatabase | undefined;
let dbEnv: Record<string, string | undefined> = {};
let upstream: Server;
let upstreamUrl: string;
const running: ServeProcess[] = [];

beforeAll(async () => {
  home = makeTestHome();
  if (testingEnv.databaseUrl) {
    external = await createTestDatabase();
    dbEnv = { DATABASE_URL: external.url };
  }
  upstream = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stopServeProcesses(running);
  await new Promise((resolve) => upstream?.close(resolve));
  await external?.close();
  removeTestHome(home);
});

async function start(): Promise<ServeProcess> {
  const p = await startServeProcess({ home, env: { ...dbEnv, TOLLGATE_DEVNET: "on" } });
  running.push(p);
  return p;
}

async function stop(p: ServeProcess): Promise<void> {
  p.child.kill("SIGTERM");
  expect(await p.exited).toBe(0);
}

const client = (url: string) => createApiClient({ url, tokenFile: homePaths(home).adminToken });
const cli = (url: string, args: string[]) => runCli([...args, "--json"], serveEnv(home, { TOLLGATE_URL: url }));

async function waitFor<T>(what: string, read: () => Promise<T>, ok: (value: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

type CatalogJson = { services: { name: string; endpoint: string; drainEndsAt?: string }[] };
type RegistrationJson = {
  services: { name: string; endpoint: string }[];
  registrations: { agentId: number; agentRegistry: string }[];
};

const registered = (view: { conditions: { type: string; status: string; reason: string }[] }) =>
  view.conditions.find((c) => c.type === "Registered");

/** On-chain events of the registry: Registered and URIUpdated, counted from block 0. */
async function registryEvents(rpcUrl: string, registry: Address) {
  const chain = createPublicClient({ transport: http(rpcUrl) });
  const [mints, uriUpdates] = await Promise.all([
    chain.getLogs({
      address: registry,
      event: parseAbiItem("event Registered(uint256 indexed agentId, string agentURI, address indexed owner)"),
      fromBlock: 0n,
    }),
    chain.getLogs({
      address: registry,
      event: parseAbiItem("event URIUpdated(uint256 indexed agentId, string newURI, address indexed updatedBy)"),
      fromBlock: 0n,
    }),
  ]);
  const tokenUri = (agentId: bigint) =>
    chain.readContract({
      address: registry,
      abi: identityRegistryArtifact.abi,
      functionName: "tokenURI",
      args: [agentId],
    });
  return { mints, uriUpdates, tokenUri };
}

describe("ERC-8004 registration and public documents through tollgate serve (issue 5)", () => {
  let devnet: { rpcUrl: string; identityRegistry: Address };
  let agentId: string;

  it("acceptance 2: enabling registration takes the offer to Registered=True; tokenURI and the document agree", async () => {
    const p = await start();
    const api = client(p.url);
    const info = await api.devnet.info.query();
    if (!info) throw new Error("no devnet");
    devnet = { rpcUrl: info.rpcUrl, identityRegistry: info.identityRegistry as Address };

    const set = await cli(p.url, ["settings", "set", "public-url", "https://seller-one.example/"]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      publicBaseUrl: "https://seller-one.example",
      publicBaseUrlSource: "setting",
    });

    await api.offers.create.mutate({
      name: "reg",
      upstream: upstreamUrl,
      payment: { price: "0.01", payTo: info.accounts.seller.address },
      registration: { enabled: false },
    });
    const disabled = await waitFor(
      "the offer to be ready",
      () => api.offers.show.query({ name: "reg" }),
      (v) => v.conditions.some((c) => c.type === "Ready" && c.status === "True"),
    );
    expect(registered(disabled)).toMatchObject({ status: "True", reason: "Disabled" });
    expect((await api.identity.list.query()).length).toBe(0);

    // Enabling registration is enough: the registrar mints once the offer is operationally ready.
    await api.offers.update.mutate({ name: "reg", registration: { enabled: true } });
    const done = await waitFor(
      "Registered=True",
      () => api.offers.show.query({ name: "reg" }),
      (v) => registered(v)?.status === "True" && registered(v)?.reason === "Registered",
    );
    expect(done.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    const [identity] = await api.identity.list.query();
    expect(identity).toMatchObject({
      chain: "local",
      state: "registered",
      agentUri: "https://seller-one.example/.well-known/agent-registration.json",
      agentRegistry: `eip155:31337:${devnet.identityRegistry}`,
    });
    agentId = identity?.agentId as string;

    const chain = await registryEvents(devnet.rpcUrl, devnet.identityRegistry);
    expect(chain.mints.length).toBe(1);
    expect(await chain.tokenUri(BigInt(agentId))).toBe(
      "https://seller-one.example/.well-known/agent-registration.json",
    );

    const doc = await (await fetch(`${p.url}/.well-known/agent-registration.json`)).json();
    expect(doc).toMatchObject({
      active: true,
      registrations: [{ agentId: Number(agentId), agentRegistry: `eip155:31337:${devnet.identityRegistry}` }],
      services: [{ name: "web", endpoint: "https://seller-one.example/services/reg" }],
    });

    // `offers register` on an already registered chain reuses the agent: no second mint.
    const again = await cli(p.url, ["offers", "register", "reg"]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).identity).toMatchObject({ agentId, state: "registered" });
    expect((await registryEvents(devnet.rpcUrl, devnet.identityRegistry)).mints.length).toBe(1);
    await stop(p);
  });

  it("acceptance 2: a restart does not register again (nor rewrite the URI)", async () => {
    const p = await start();
    const api = client(p.url);
    const view = await waitFor(
      "Registered=True after restart",
      () => api.offers.show.query({ name: "reg" }),
      (v) => registered(v)?.reason === "Registered",
    );
    expect(registered(view)?.status).toBe("True");
    // Wait for the registrar's start-up pass: it reads the tokenURI once and logs that it did.
    await waitFor(
      "the registrar's start-up check of the agentURI",
      async () => p.output().includes("registrar: agentURI checked on chain"),
      (seen) => seen,
    );
    const [identity] = await api.identity.list.query();
    expect(identity?.agentId).toBe(agentId);
    const chain = await registryEvents(devnet.rpcUrl, devnet.identityRegistry);
    expect(chain.mints.length).toBe(1);
    expect(chain.uriUpdates.length).toBe(0);
    await stop(p);
  });

  it("acceptance 3: a new public URL updates the documents and the on-chain URI with one setAgentURI, same agent", async () => {
    const p = await start();
    const api = client(p.url);
    await waitFor(
      "ready",
      () => api.offers.show.query({ name: "reg" }),
      (v) => registered(v)?.reason === "Registered",
    );
    const set = await cli(p.url, ["settings", "set", "public-url", "https://seller-two.example"]);
    expect(set.code, set.stderr).toBe(0);

    // The documents change at once.
    const catalog = (await (await fetch(`${p.url}/api/services.json`)).json()) as CatalogJson;
    expect(catalog.services.find((s: { name: string }) => s.name === "reg")?.endpoint).toBe(
      "https://seller-two.example/services/reg",
    );
    const identity = await waitFor(
      "the identity's agentURI",
      async () => (await api.identity.list.query())[0],
      (i) => i?.agentUri === "https://seller-two.example/.well-known/agent-registration.json",
    );
    expect(identity?.agentId).toBe(agentId);
    const chain = await registryEvents(devnet.rpcUrl, devnet.identityRegistry);
    expect(chain.mints.length).toBe(1);
    expect(chain.uriUpdates.length).toBe(1);
    expect(chain.uriUpdates[0]?.args.agentId).toBe(BigInt(agentId));
    expect(await chain.tokenUri(BigInt(agentId))).toBe(
      "https://seller-two.example/.well-known/agent-registration.json",
    );
    const doc = (await (await fetch(`${p.url}/.well-known/agent-registration.json`)).json()) as RegistrationJson;
    expect(doc.services[0]?.endpoint).toBe("https://seller-two.example/services/reg");
    expect(doc.registrations).toEqual([
      { agentId: Number(agentId), agentRegistry: `eip155:31337:${devnet.identityRegistry}` },
    ]);
    await stop(p);
  });

  it("serves the documents with ETag/304, CORS and content types; they validate against the served schemas", async () => {
    const p = await start();
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    addFormats.default(ajv);
    const cases = [
      ["/api/services.json", "application/json; charset=utf-8", "service-catalog.schema.json"],
      ["/.well-known/agent-registration.json", "application/json; charset=utf-8", "agent-registration-v1.schema.json"],
      ["/skill.md", "text/markdown; charset=utf-8", null],
    ] as const;
    for (const [path, type, schema] of cases) {
      const res = await fetch(`${p.url}${path}`, { headers: { origin: "https://elsewhere.example" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      const etag = res.headers.get("etag");
      expect(etag).toMatch(/^"[\w-]+"$/);
      const body = await res.text();
      if (schema) {
        const validate = ajv.compile(readSchemaFile(schema));
        expect(validate(JSON.parse(body)), ajv.errorsText(validate.errors)).toBe(true);
        const served = await fetch(`${p.url}/schemas/${schema}`);
        expect(served.status).toBe(200);
        expect(await served.json()).toEqual(readSchemaFile(schema));
      } else expect(body).toContain("| reg | http |");
      const cached = await fetch(`${p.url}${path}`, { headers: { "if-none-match": etag as string } });
      expect(cached.status).toBe(304);
      expect(cached.headers.get("etag")).toBe(etag);
      expect(cached.headers.get("access-control-allow-origin")).toBe("*");
      expect(await cached.text()).toBe("");
      const preflight = await fetch(`${p.url}${path}`, { method: "OPTIONS" });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    }
    // A ledger change changes the ETag: stopping the offer adds drainEndsAt.
    const before = (await fetch(`${p.url}/api/services.json`)).headers.get("etag") as string;
    await client(p.url).offers.stop.mutate({ name: "reg", graceSeconds: 3600 });
    const after = await fetch(`${p.url}/api/services.json`, { headers: { "if-none-match": before } });
    expect(after.status).toBe(200);
    const drained = (await after.json()) as CatalogJson;
    expect(drained.services.find((s: { name: string }) => s.name === "reg")?.drainEndsAt).toMatch(/Z$/);
    await stop(p);
  });
});
