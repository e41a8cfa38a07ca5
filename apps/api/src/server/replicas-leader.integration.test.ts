import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endOrphanAnvil } from "../chain/anvil-process.ts";
import { silentLogger } from "../chain/chain-logger.ts";
import { devnetPaths } from "../chain/start-devnet.ts";
import { readReadyz, useReplicaSet } from "../testing/replica-set.ts";
import { runCli, serveEnv } from "../testing/serve-process.ts";

// SPEC §15: several `tollgate serve` processes on one Postgres; exactly one leads (an advisory lock on a
// dedicated connection), and leadership moves within 10 s of the leader's death, kill -9 included.
const cluster = useReplicaSet();
let upstream: Server;
let upstreamUrl = "";

beforeAll(async () => {
  upstream = createServer((_req, res) => res.writeHead(200, { "content-type": "text/plain" }).end("ok"));
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

const cli = (replica: { home: string; url: string }, args: string[]) =>
  runCli([...args, "--json"], serveEnv(replica.home, { TOLLGATE_URL: replica.url }));

describe("leader election across replicas", () => {
  it("one replica leads, the others follow and say who leads; kill -9 of the leader moves leadership within 10 s", async () => {
    // The leader runs the devnet; its anvil outlives a kill -9 and the follower reaches it through the ledger.
    const a = await cluster.start("replica-a", { TOLLGATE_DEVNET: "on" });
    const b = await cluster.start("replica-b", { TOLLGATE_DEVNET: "on" });
    expect(await readReadyz(a.url)).toMatchObject({
      status: "ready",
      replica: "replica-a",
      role: "leader",
      leader: "replica-a",
    });
    expect(await readReadyz(b.url)).toMatchObject({
      status: "ready",
      replica: "replica-b",
      role: "follower",
      leader: "replica-a",
    });

    const status = await cli(b, ["cluster", "status"]);
    expect(status.code, status.stderr).toBe(0);
    const replication = JSON.parse(status.stdout).replication;
    expect(replication).toMatchObject({ replica: "replica-b", role: "follower", leader: "replica-a" });
    expect(replication.replicas.map((r: { id: string }) => r.id).sort()).toEqual(["replica-a", "replica-b"]);

    const devnetBefore = JSON.parse((await cli(b, ["devnet", "info"])).stdout);
    // The leader's box loses both: its anvil (state written on the way out), then the server itself.
    await endOrphanAnvil({ ...devnetPaths(a.home), logger: silentLogger, graceMs: 5_000 });
    const killedAt = Date.now();
    a.child.kill("SIGKILL");
    await a.exited;
    let movedAfterMs: number | null = null;
    while (Date.now() - killedAt < 15_000) {
      if ((await readReadyz(b.url))?.role === "leader") {
        movedAfterMs = Date.now() - killedAt;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(movedAfterMs, "replica-b never became the leader").not.toBeNull();
    expect(movedAfterMs).toBeLessThan(10_000);
    expect(await readReadyz(b.url)).toMatchObject({ replica: "replica-b", role: "leader", leader: "replica-b" });

    // The new leader restarts the devnet from the previous leader's state: same contracts, same balances.
    let devnetAfter: { usdc?: string; running?: boolean; accounts?: Record<string, { usdcBalance: string }> } = {};
    const devnetDeadline = Date.now() + 60_000;
    while (Date.now() < devnetDeadline && devnetAfter.running !== true) {
      devnetAfter = JSON.parse((await cli(b, ["devnet", "info"])).stdout || "{}");
      if (devnetAfter.running !== true) await new Promise((r) => setTimeout(r, 500));
    }
    expect(b.output()).toContain("devnet: restarting from the previous leader's state");
    expect(devnetAfter.usdc).toBe(devnetBefore.usdc);
    expect(devnetAfter.accounts?.buyer?.usdcBalance).toBe(devnetBefore.accounts.buyer.usdcBalance);

    // The new leader writes conditions: an offer created after the failover becomes Ready.
    const created = await cli(b, [
      "offers",
      "create",
      "after-failover",
      "--upstream",
      upstreamUrl,
      "--price",
      "0.01",
      "--chain",
      "local",
      "--health-path",
      "/",
      "--no-register",
    ]);
    expect(created.code, created.stdout + created.stderr).toBe(0);
    let ready: string | undefined;
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && ready !== "True") {
      const shown = await cli(b, ["offers", "show", "after-failover"]);
      const conditions = (JSON.parse(shown.stdout).conditions ?? []) as { type: string; status: string }[];
      ready = conditions.find((c) => c.type === "Ready")?.status;
      if (ready !== "True") await new Promise((r) => setTimeout(r, 300));
    }
    expect(ready).toBe("True");
  });
});
