// Acceptance 1 of issue 7: the recovery matrix of SPEC §10 against a real `tollgate serve` (devnet, ledger,
// x402 client). One home lives through every event; after each, every cell is checked the way a seller or a
// buyer would notice it, and the matrix is printed with its outcome.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { type Address, createWalletClient, type Hex, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testUSDCArtifact } from "../../../../contracts/artifacts/index.ts";
import { devnetChain } from "../chain/devnet-chain.ts";
import { testingEnv } from "../testing/env.ts";
import { type ServeProcess, startServeProcess } from "../testing/serve-process.ts";
import {
  adminClient,
  type CatalogService,
  chainReader,
  createBuyer,
  type DevnetView,
  getJson,
  routeStatus,
  startHoldingUpstream,
  waitFor,
} from "./testing/recovery-box.ts";

const rows = ["active", "draining", "stopped", "deleted", "registered identity", "pending payment"] as const;
const events = [
  "graceful restart",
  "kill -9 idle",
  "kill -9 verify→settle",
  "kill -9 in reconcile",
  "kill -9 in start-up",
  "database restarted",
] as const;
type Row = (typeof rows)[number];
type Event = (typeof events)[number];
const matrix = new Map<Row, Partial<Record<Event, string>>>(rows.map((r) => [r, {}]));

let home: string;
let external: TestDatabase | undefined;
let dbEnv: Record<string, string | undefined> = {};
let upstream: Awaited<ReturnType<typeof startHoldingUpstream>>;
const running: ServeProcess[] = [];
let server: ServeProcess;
/** Whether the last server died by SIGKILL (its anvil and postgres outlive it). */
let lastKilled = false;

beforeAll(async () => {
  home = makeTestHome();
  if (testingEnv.databaseUrl) {
    external = await createTestDatabase();
    dbEnv = { DATABASE_URL: external.url };
  }
  upstream = await startHoldingUpstream();
});

afterAll(async () => {
  const table = Object.fromEntries(
    rows.map((row) => [row, Object.fromEntries(events.map((e) => [e, matrix.get(row)?.[e] ?? "not run"]))]),
  );
  console.log("Recovery matrix (SPEC §10): offer state × event");
  console.table(table);
  // A graceful stop takes anvil and postgres down; after a SIGKILL a start and a stop end what it left behind.
  let orphans = false;
  for (const p of running)
    if (p.child.exitCode === null && p.child.signalCode === null) {
      p.child.kill(p === server ? "SIGTERM" : "SIGKILL");
      orphans ||= p !== server || (await p.exited) !== 0;
    }
  await Promise.all(running.map((p) => p.exited));
  if (orphans || lastKilled) {
    const last = await startServeProcess({ home, env: serverEnv() }).catch(() => null);
    if (last) {
      last.child.kill("SIGTERM");
      await last.exited;
    }
  }
  await upstream?.close();
  await external?.close();
  removeTestHome(home);
}, 120_000);

// A stable public URL, as a real box has: the agentURI on chain is derived from it, not from the test's port.
const serverEnv = () => ({ ...dbEnv, TOLLGATE_DEVNET: "on", TOLLGATE_PUBLIC_URL: "https://recovery.example" });

async function start(): Promise<{ p: ServeProcess; readyAt: number }> {
  const p = await startServeProcess({ home, env: serverEnv(), timeoutMs: 90_000 });
  running.push(p);
  server = p;
  lastKilled = false;
  return { p, readyAt: Date.now() };
}

async function kill(p: ServeProcess, signal: "SIGKILL" | "SIGTERM"): Promise<number | null> {
  p.child.kill(signal);
  lastKilled = signal === "SIGKILL";
  return p.exited;
}

// What the box looked like before the events: every check compares against it.
let devnet: DevnetView;
let buyer: ReturnType<typeof createBuyer>;
let reader: ReturnType<typeof chainReader>;
let sellerStart: bigint;
let drainEndsAt: string;
let agentId: string;
let tokenUri: string;
/** Payment rows seen so far (by nonce) and the state each must keep or reach. */
const expectedPayments = new Map<string, string>();

const api = () => adminClient(home, server.url);

async function listPayments() {
  return (await api().payments.list.query({ limit: 500 })).payments;
}

/** Runs one cell's check and records its outcome; never throws (the event's test asserts the column). */
async function cell(row: Row, event: Event, check: () => Promise<string | undefined>): Promise<void> {
  let outcome: string;
  try {
    const note = await check();
    outcome = note ? `ok (${note})` : "ok";
  } catch (error) {
    outcome = `FAIL: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`.slice(0, 160);
  }
  matrix.set(row, { ...matrix.get(row), [event]: outcome });
}

/** The SPEC §10 outcome of every row after `event`; `readyAt` is when /readyz answered (or recovery was seen). */
async function checkAll(event: Event, readyAt: number, pendingCheck?: () => Promise<string | undefined>) {
  const base = server.url;
  const offers = await api().offers.list.query({ all: true });
  const activeNames = offers.filter((o) => o.state === "active").map((o) => o.name);
  // Every active offer answers 402 within 5 s of /readyz.
  await cell("active", event, async () => {
    expect(activeNames).toEqual(expect.arrayContaining(["hello", "demo-llm", "active"]));
    await Promise.all(
      activeNames.map((name) =>
        waitFor(
          `${name} to answer 402`,
          () => routeStatus(base, name),
          (s) => s === 402,
          readyAt + 5_000 - Date.now(),
        ),
      ),
    );
    return `${activeNames.length} offers 402 in ${Date.now() - readyAt} ms`;
  });
  const catalog = (await getJson<{ services: CatalogService[] }>(`${base}/api/services.json`)).services;
  const registration = await getJson<{ services: { endpoint: string }[]; registrations: { agentId: number }[] }>(
    `${base}/.well-known/agent-registration.json`,
  );
  const listed = (name: string) => catalog.some((s) => s.name === name);
  const inRegistration = (name: string) => registration.services.some((s) => s.endpoint.endsWith(`/services/${name}`));
  await cell("draining", event, async () => {
    await waitFor(
      "draining to answer 402",
      () => routeStatus(base, "draining"),
      (s) => s === 402,
      5_000,
    );
    expect(catalog.find((s) => s.name === "draining")?.drainEndsAt).toBe(drainEndsAt);
    expect(offers.find((o) => o.name === "draining")?.drainEndsAt).toBe(drainEndsAt);
    return undefined;
  });
  await cell("stopped", event, async () => {
    expect(await routeStatus(base, "stopped")).toBe(404);
    expect(listed("stopped")).toBe(false);
    expect(inRegistration("stopped")).toBe(false);
    expect(offers.find((o) => o.name === "stopped")?.state).toBe("stopped");
    return undefined;
  });
  await cell("deleted", event, async () => {
    expect(await routeStatus(base, "deleted")).toBe(404);
    expect(listed("deleted")).toBe(false);
    expect(inRegistration("deleted")).toBe(false);
    expect(offers.filter((o) => o.name === "deleted").map((o) => o.state)).toEqual(["deleted"]);
    return undefined;
  });
  await cell("registered identity", event, async () => {
    const identities = await api().identity.list.query();
    expect(identities.map((i) => [i.agentId, i.state])).toEqual([[agentId, "registered"]]);
    expect((await reader.mints()).length).toBe(1);
    expect(await reader.tokenUri(agentId)).toBe(tokenUri);
    expect(registration.registrations.map((r) => String(r.agentId))).toEqual([agentId]);
    return undefined;
  });
  await cell("pending payment", event, async () => {
    const note = pendingCheck ? await pendingCheck() : undefined;
    const payments = await listPayments();
    const pending = payments.filter((p) => p.state === "verified" || p.state === "delivered");
    expect(pending.map((p) => p.requestPath)).toEqual([]);
    for (const [nonce, state] of expectedPayments)
      expect(payments.find((p) => p.nonce === nonce)?.state, `payment ${nonce}`).toBe(state);
    const settled = payments.filter((p) => p.state === "settled");
    expect(new Set(settled.map((p) => p.nonce)).size).toBe(settled.length);
    expect(new Set(settled.map((p) => p.txHash)).size).toBe(settled.length);
    const earned = settled
      .filter((p) => p.payTo.toLowerCase() === devnet.accounts.seller.address.toLowerCase())
      .reduce((sum, p) => sum + BigInt(p.amount), 0n);
    expect((await reader.usdcBalance(devnet.accounts.seller.address)) - sellerStart).toBe(earned);
    for (const p of payments) if (!expectedPayments.has(p.nonce)) expectedPayments.set(p.nonce, p.state);
    return `${settled.length} settled, ${payments.length - settled.length} other${note ? `; ${note}` : ""}`;
  });
}

function columnOutcome(event: Event): string[] {
  return rows.map((row) => `${row}: ${matrix.get(row)?.[event] ?? "not run"}`).filter((s) => s.includes("FAIL"));
}

/** A paid request that settles, through the official client. */
async function paidRequest(path: string): Promise<void> {
  const res = await buyer.payFetch(`${server.url}/services/active/${path}`);
  expect(res.status, await res.clone().text()).toBe(200);
  await res.arrayBuffer();
}

describe("recovery matrix (issue 7, acceptance 1)", () => {
  it("sets up a box: active, draining, stopped-after-drain and deleted offers, a registered identity, a payment", async () => {
    const { p } = await start();
    const info = await api().devnet.info.query();
    if (!info?.accounts.buyer.privateKey) throw new Error("no devnet");
    devnet = info as DevnetView;
    buyer = createBuyer(devnet);
    reader = chainReader(devnet);
    sellerStart = await reader.usdcBalance(devnet.accounts.seller.address);
    const offer = (name: string, registration: boolean) =>
      api().offers.create.mutate({
        name,
        upstream: upstream.url,
        payment: { price: "0.01", payTo: devnet.accounts.seller.address },
        registration: { enabled: registration },
      });
    await offer("active", true);
    for (const name of ["draining", "stopped", "deleted"]) await offer(name, false);
    await waitFor(
      "the new offers to answer 402",
      async () => {
        const statuses = await Promise.all(
          ["active", "draining", "stopped", "deleted"].map((n) => routeStatus(p.url, n)),
        );
        return statuses.every((s) => s === 402);
      },
      Boolean,
    );
    drainEndsAt = (await api().offers.stop.mutate({ name: "draining", graceSeconds: 3_600 })).drainEndsAt as string;
    await api().offers.stop.mutate({ name: "stopped", graceSeconds: 1 });
    await api().offers.delete.mutate({ name: "deleted" });
    await waitFor(
      "the drain of `stopped` to end (404)",
      () => routeStatus(p.url, "stopped"),
      (s) => s === 404,
      15_000,
    );
    expect(await routeStatus(p.url, "deleted")).toBe(404);
    const [identity] = await waitFor(
      "the identity to be registered",
      () => api().identity.list.query(),
      (list) => list.length === 1 && list[0]?.state === "registered",
    );
    agentId = identity?.agentId as string;
    tokenUri = await reader.tokenUri(agentId);
    expect((await reader.mints()).length).toBe(1);
    await paidRequest("first");
    await checkAll("graceful restart", Date.now()); // the baseline; overwritten by the event below
    expect(columnOutcome("graceful restart")).toEqual([]);
  });

  it("graceful restart (SIGTERM, then start)", async () => {
    expect(await kill(server, "SIGTERM")).toBe(0);
    const { readyAt } = await start();
    await checkAll("graceful restart", readyAt);
    expect(columnOutcome("graceful restart")).toEqual([]);
  });

  it("kill -9 while idle", async () => {
    await kill(server, "SIGKILL");
    const { readyAt } = await start();
    await checkAll("kill -9 idle", readyAt);
    expect(columnOutcome("kill -9 idle")).toEqual([]);
  });

  it("kill -9 between verify and settle: one authorization never used (abandoned), one that reached the chain (settled)", async () => {
    const base = server.url;
    const unused = await buyer.sign(`${base}/services/active/hold-unused`);
    const landed = await buyer.sign(`${base}/services/active/hold-landed`);
    const heldBefore = upstream.heldCount();
    const inFlight = [unused, landed].map((s, i) =>
      fetch(`${base}/services/active/${i === 0 ? "hold-unused" : "hold-landed"}`, {
        headers: { "payment-signature": s.header },
      }).catch((error: unknown) => error),
    );
    await waitFor(
      "both paid requests to reach the upstream",
      async () => upstream.heldCount(),
      (n) => n >= heldBefore + 2,
      20_000,
    );
    const rowsInFlight = (await listPayments()).filter((p) => p.requestPath.includes("/hold-"));
    expect(rowsInFlight).toHaveLength(2);
    for (const row of rowsInFlight) expect(row.state).toMatch(/^(verified|delivered)$/);
    await kill(server, "SIGKILL");
    await Promise.all(inFlight);
    upstream.releaseAll();
    // The facilitator's transaction landed before the crash could record it: submit that authorization now.
    const auth = (
      landed.payload.payload as {
        authorization: Record<"from" | "to" | "value" | "validAfter" | "validBefore" | "nonce", Hex>;
        signature: Hex;
      }
    ).authorization;
    const facilitator = privateKeyToAccount(devnet.accounts.facilitator.privateKey as Hex);
    const wallet = createWalletClient({
      account: facilitator,
      chain: devnetChain(devnet.rpcUrl),
      transport: http(devnet.rpcUrl),
    });
    const tx = await wallet.writeContract({
      address: devnet.usdc as Address,
      abi: testUSDCArtifact.abi,
      functionName: "transferWithAuthorization",
      args: [
        auth.from,
        auth.to,
        BigInt(auth.value as string),
        BigInt(auth.validAfter as string),
        BigInt(auth.validBefore as string),
        auth.nonce,
        (landed.payload.payload as { signature: Hex }).signature,
      ],
    });
    await reader.chain.waitForTransactionReceipt({ hash: tx });
    const nonceOf = (s: typeof unused) =>
      ((s.payload.payload as { authorization: { nonce: string } }).authorization.nonce ?? "").toLowerCase();
    const { readyAt } = await start();
    await checkAll("kill -9 verify→settle", readyAt, async () => {
      const payments = await listPayments();
      const byNonce = (n: string) => payments.find((p) => p.nonce.toLowerCase() === n);
      expect(byNonce(nonceOf(unused))?.state).toBe("abandoned");
      expect(byNonce(nonceOf(landed))).toMatchObject({ state: "settled", txHash: tx });
      return "in flight at the kill: one abandoned, one settled from the chain";
    });
    expect(columnOutcome("kill -9 verify→settle")).toEqual([]);
  });

  it("kill -9 right after a change woke the reconciler", async () => {
    await api().offers.update.mutate({ name: "active", description: "changed just before the crash" });
    await kill(server, "SIGKILL");
    const { readyAt } = await start();
    await checkAll("kill -9 in reconcile", readyAt);
    expect((await api().offers.show.query({ name: "active" })).description).toBe("changed just before the crash");
    expect(columnOutcome("kill -9 in reconcile")).toEqual([]);
  });

  it("kill -9 during start-up, while the first reconcile publishes routes (before /readyz)", async () => {
    await kill(server, "SIGTERM");
    const p = await startServeProcess({ home, env: serverEnv(), waitReady: false });
    running.push(p);
    await waitFor(
      "the first reconcile",
      async () => p.output(),
      (out) => out.includes("reconciler: routes updated"),
      90_000,
      20,
    );
    await kill(p, "SIGKILL");
    const { readyAt } = await start();
    await checkAll("kill -9 in start-up", readyAt);
    expect(columnOutcome("kill -9 in start-up")).toEqual([]);
  });

  it("the database restarted under a running server (postmaster killed)", async (ctx) => {
    if (external) {
      for (const row of rows)
        matrix.set(row, { ...matrix.get(row), "database restarted": "skipped: external DATABASE_URL (not ours)" });
      ctx.skip();
    }
    const pidFile = join(home, "pg", "data", "postmaster.pid");
    const postmaster = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
    process.kill(postmaster, "SIGKILL");
    await waitFor(
      "a new postmaster and a working ledger",
      async () => {
        const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
        if (pid === postmaster) return false;
        await api().offers.list.query({});
        return (await fetch(`${server.url}/readyz`)).status === 200;
      },
      Boolean,
      60_000,
      250,
    );
    const readyAt = Date.now();
    await checkAll("database restarted", readyAt, async () => {
      await paidRequest("after-db-restart");
      return "a paid request after the restart settled";
    });
    expect(columnOutcome("database restarted")).toEqual([]);
  });
});
