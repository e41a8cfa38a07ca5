import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testingEnv } from "../../testing/env.ts";
import {
  runCli,
  type ServeProcess,
  serveEnv,
  startServeProcess,
  stopServeProcesses,
} from "../../testing/serve-process.ts";

const seller = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
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
  upstream?.close();
  await external?.close();
  removeTestHome(home);
});

async function start(): Promise<ServeProcess> {
  const p = await startServeProcess({ home, env: { ...dbEnv, TOLLGATE_DEVNET: "on" } });
  running.push(p);
  return p;
}

async function cli(url: string, args: string[]) {
  const res = await runCli(["offers", ...args], serveEnv(home, { TOLLGATE_URL: url }));
  const json = args.includes("--json") && res.stdout.trim() ? JSON.parse(res.stdout) : null;
  return { ...res, json };
}

type Condition = { type: string; status: string; reason: string; message: string };
const conditionOf = (offer: { conditions: Condition[] }, type: string) => offer.conditions.find((c) => c.type === type);

/** Shows the offer until `check` passes (the reconciler runs on change and every few seconds). */
async function showUntil(url: string, name: string, check: (offer: any) => boolean, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    // Polls over tRPC directly: a CLI process per poll is too slow to watch a 2 s drain.
    const token = readFileSync(join(home, "admin-token"), "utf8").trim();
    const input = encodeURIComponent(JSON.stringify({ name }));
    const res = await fetch(`${url}/trpc/offers.show?input=${input}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    last = ((await res.json()) as { result?: { data?: unknown } }).result?.data;
    if (last && check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`offer ${name} never matched: ${JSON.stringify(last?.conditions)}`);
}

describe("tollgate offers (CLI against a real tollgate serve)", () => {
  it("creates, lists, shows, updates, stops, starts and deletes with --json and the exit codes of SPEC §14", async () => {
    const p = await start();
    const created = await cli(p.url, [
      "create",
      "hello2",
      "--upstream",
      upstreamUrl,
      "--price",
      "0.01",
      "--chain",
      "local",
      "--pay-to",
      seller,
      "--no-register",
      "--max-body-bytes",
      "4096",
      "--json",
    ]);
    expect(created.code, created.stderr).toBe(0);
    expect(created.json).toMatchObject({
      name: "hello2",
      maxBodyBytes: 4096,
      path: "/services/hello2",
      state: "active",
      payment: { chain: "local", price: "0.01", unit: "request", payTo: seller, amountPerRequest: "10000" },
    });

    const listed = await cli(p.url, ["list", "--json"]);
    expect(listed.code).toBe(0);
    expect(listed.json.map((o: { name: string }) => o.name)).toContain("hello2");
    const human = await cli(p.url, ["list"]);
    expect(human.stdout).toMatch(/NAME\s+TYPE\s+STATE\s+PRICE/);

    const ready = await showUntil(p.url, "hello2", (o) => conditionOf(o, "RoutePublished")?.status === "True");
    expect(conditionOf(ready, "UpstreamHealthy")).toMatchObject({ status: "True" });
    expect(conditionOf(ready, "PaymentGateReady")).toMatchObject({ status: "True" });
    expect(conditionOf(ready, "Ready")).toMatchObject({ status: "True", reason: "Ready" });

    // A validation refusal: exit 1 with {error: {code, field}}; nothing to update: a usage error (exit 2).
    const refused = await cli(p.url, ["create", "bad", "--upstream", "ftp://x", "--price", "0.01", "--json"]);
    expect(refused.code).toBe(1);
    expect(refused.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "upstream" });
    const badPrice = await cli(p.url, ["update", "hello2", "--price", "0", "--json"]);
    expect(badPrice.code).toBe(1);
    expect(badPrice.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "payment.price" });
    const nothing = await cli(p.url, ["update", "hello2"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("--price");
    expect((await cli(p.url, ["stop", "hello2", "--grace", "soon"])).code).toBe(2);
    expect((await cli(p.url, ["show", "nobody", "--json"])).json.error).toMatchObject({ code: "NOT_FOUND" });

    // Switching the unit leaves no trace of the old price.
    const updated = await cli(p.url, ["update", "hello2", "--unit", "mtok", "--price", "2", "--json"]);
    expect(updated.code).toBe(0);
    expect(updated.json.payment).toMatchObject({
      price: "2",
      unit: "mtok",
      display: "2 USDC/mtok",
      amountPerRequest: "2000",
    });
    // The body limit goes back to the server's with "default"; anything but bytes is a usage error.
    const limit = await cli(p.url, ["update", "hello2", "--max-body-bytes", "default", "--json"]);
    expect(limit.json.maxBodyBytes).toBeNull();
    expect((await cli(p.url, ["update", "hello2", "--max-body-bytes", "10MB"])).code).toBe(2);
    const shown = await cli(p.url, ["show", "hello2"]);
    expect(shown.stdout).toContain("2 USDC/mtok");
    expect(shown.stdout).toContain("approximate");
    expect(shown.stdout).not.toContain("0.01");

    const probe = await cli(p.url, ["probe", "hello2", "--json"]);
    expect(probe.json.probe.url).toBe(`${p.url}/services/hello2`);
    expect(conditionOf(probe.json.offer, "RoutePublished")).toMatchObject({ status: "True" });

    const stopped = await cli(p.url, ["stop", "hello2", "--grace", "2s", "--json"]);
    expect(stopped.code).toBe(0);
    expect(stopped.json.state).toBe("stopped");
    const draining = await showUntil(p.url, "hello2", (o) => conditionOf(o, "Draining")?.status === "True");
    expect(conditionOf(draining, "Draining")?.message).toContain(stopped.json.drainEndsAt);
    const drained = await showUntil(p.url, "hello2", (o) => conditionOf(o, "Draining")?.reason === "Drained");
    expect(conditionOf(drained, "RoutePublished")).toMatchObject({ status: "False", reason: "Drained" });

    expect((await cli(p.url, ["start", "hello2", "--json"])).json.state).toBe("active");
    await showUntil(p.url, "hello2", (o) => conditionOf(o, "RoutePublished")?.status === "True");

    const deleted = await cli(p.url, ["delete", "hello2", "--json"]);
    expect(deleted.code).toBe(0);
    expect(deleted.json.state).toBe("deleted");
    expect((await cli(p.url, ["list", "--json"])).json.map((o: { name: string }) => o.name)).not.toContain("hello2");
    expect((await cli(p.url, ["delete", "hello2", "--json"])).code).toBe(1);
    expect((await fetch(`${p.url}/services/hello2`)).status).toBe(404);

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);

    // A restart is the resume: the deleted offer stays deleted, its tombstone stays in --all.
    const q = await start();
    const all = await cli(q.url, ["list", "--all", "--json"]);
    expect(
      all.json.filter((o: { name: string }) => o.name === "hello2").map((o: { state: string }) => o.state),
    ).toEqual(["deleted"]);
    expect((await fetch(`${q.url}/services/hello2`)).status).toBe(404);
    q.child.kill("SIGTERM");
    await q.exited;
  }, 300_000);
});
