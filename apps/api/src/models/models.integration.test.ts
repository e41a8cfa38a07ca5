import { writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleDemoInference } from "../demo/demo-inference-upstream.ts";
import { runCli, type ServeProcess, serveEnv } from "../testing/serve-process.ts";
import { useServeHome } from "../testing/serve-home.ts";

// A key that must never reach a buyer, a log, /metrics or a plain export.
const providerKey = `sk-tollgate-test-${"k".repeat(12)}-secret`;

/** The demo model server behind a key check, as a hosted provider would be. */
function startKeyedProvider(port = 0): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.headers.authorization !== `Bearer ${providerKey}`) {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "bad key" } }));
      return;
    }
    void handleDemoInference(req, res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

const box = useServeHome({ TOLLGATE_DEVNET: "on" });
let server: ServeProcess;
let provider: Server;
let providerUrl: string;

async function cli(args: string[]) {
  const res = await runCli([...args, "--json"], serveEnv(box.home(), { TOLLGATE_URL: server.url }));
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

type Condition = { type: string; status: string; reason: string; message: string };
const ready = (m: { conditions: Condition[] }) => m.conditions.find((c) => c.type === "ModelReady");

/** Polls `models list` until `check` passes for the named model. */
async function modelUntil(name: string, check: (ready: Condition | undefined) => boolean, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const { json } = await cli(["models", "list"]);
    const model = (json as { name: string; conditions: Condition[] }[]).find((m) => m.name === name);
    last = model;
    if (model && check(ready(model))) return model;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`model ${name} never matched: ${JSON.stringify(last)}`);
}

beforeAll(async () => {
  provider = await startKeyedProvider();
  providerUrl = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  server = await box.start();
}, 120_000);

afterAll(() => {
  provider?.closeAllConnections();
  provider?.close();
});

describe("providers and models", () => {
  it("adds a provider with its key hidden, and models whose ModelReady comes from /v1/models", async () => {
    const keyFile = join(box.home(), "provider-key.txt");
    writeFileSync(keyFile, `${providerKey}\n`, { mode: 0o600 });
    const added = await cli(["providers", "add", "local", "--base-url", providerUrl, "--api-key-file", keyFile]);
    expect(added.code).toBe(0);
    expect(added.json).toMatchObject({ name: "local", baseUrl: providerUrl, hasApiKey: true });
    expect(added.stdout).not.toContain(providerKey);

    const again = await cli(["providers", "add", "local", "--base-url", providerUrl]);
    expect(again.code).toBe(1);
    expect(again.json.error.code).toBe("CONFLICT");

    expect(
      (await cli(["models", "add", "demo", "--provider", "local", "--upstream-model", "tollgate-demo-1"])).code,
    ).toBe(0);
    expect((await cli(["models", "add", "ghost", "--provider", "local"])).code).toBe(0);
    const missingProvider = await cli(["models", "add", "other", "--provider", "nobody"]);
    expect(missingProvider.code).toBe(1);
    expect(missingProvider.json.error).toMatchObject({ code: "NOT_FOUND", field: "provider" });

    expect(ready(await modelUntil("demo", (r) => r?.status === "True"))).toMatchObject({ reason: "ModelListed" });
    expect(ready(await modelUntil("ghost", (r) => r?.status === "False"))).toMatchObject({ reason: "ModelNotFound" });

    const providers = await cli(["providers", "list"]);
    expect(providers.json).toEqual([
      expect.objectContaining({ name: "local", hasApiKey: true, models: ["demo", "ghost"] }),
    ]);
    expect(providers.stdout).not.toContain(providerKey);

    const inUse = await cli(["providers", "remove", "local"]);
    expect(inUse.code).toBe(1);
    expect(inUse.json.error.message).toContain("demo");
    expect((await cli(["models", "remove", "ghost"])).code).toBe(0);
  }, 90_000);

  it("sells a ledger model through an inference offer, and refuses to delete the model while the offer sells it", async () => {
    const created = await cli([
      "offers",
      "create",
      "chat",
      "--type",
      "inference",
      "--model",
      "demo",
      "--price",
      "0.50",
      "--unit",
      "mtok",
      "--no-register",
    ]);
    expect(created.code).toBe(0);
    expect(created.json.upstreamUrl).toBe("model://demo");

    const unknown = await cli(["offers", "create", "chat2", "--type", "inference", "--model", "nope", "--price", "1"]);
    expect(unknown.code).toBe(1);
    expect(unknown.json.error.field).toBe("model");

    const refused = await cli(["models", "remove", "demo"]);
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ code: "CONFLICT" });
    expect(refused.json.error.message).toContain("chat");
    const listed = await cli(["models", "list"]);
    expect(listed.json.find((m: { name: string }) => m.name === "demo").offers).toEqual(["chat"]);
  }, 60_000);
});
