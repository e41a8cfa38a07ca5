// Acceptance 2 of issue 7: export a running box, import it into a fresh home and database, serve it there,
// and check what a buyer and the seller would notice: the same documents, a working paid request, deleted
// offers still deleted, the same drain end, the same agent (no second registration), the same money.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testingEnv } from "../testing/env.ts";
import { runCli, type ServeProcess, serveEnv, startServeProcess } from "../testing/serve-process.ts";
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

const publicUrl = "https://moved-box.example";
const work = mkdtempSync(join(tmpdir(), "tollgate-move-"));
const bundle = join(work, "box.tgz");
const passphraseFile = join(work, "passphrase");
let upstream: Awaited<ReturnType<typeof startHoldingUpstream>>;
const running: ServeProcess[] = [];

interface Box {
  home: string;
  database?: TestDatabase;
  env: Record<string, string | undefined>;
}
const boxes: Box[] = [];

async function makeBox(): Promise<Box> {
  const home = makeTestHome();
  const database = testingEnv.databaseUrl ? await createTestDatabase() : undefined;
  const box = { home, database, env: database ? { DATABASE_URL: database.url } : {} };
  boxes.push(box);
  return box;
}

async function serve(box: Box): Promise<ServeProcess> {
  const p = await startServeProcess({
    home: box.home,
    env: { ...box.env, TOLLGATE_DEVNET: "on", TOLLGATE_PUBLIC_URL: publicUrl },
    timeoutMs: 90_000,
  });
  running.push(p);
  return p;
}

beforeAll(async () => {
  writeFileSync(passphraseFile, "moving day passphrase\n", { mode: 0o600 });
  upstream = await startHoldingUpstream();
});

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
  await Promise.all(running.map((p) => p.exited));
  await upstream?.close();
  for (const box of boxes) {
    await box.database?.close();
    removeTestHome(box.home);
  }
  rmSync(work, { recursive: true, force: true });
}, 60_000);

type Registration = { registrations: { agentId: number; agentRegistry: string }[] };

describe("move a box: export, import into a fresh home, serve (issue 7, acceptance 2)", () => {
  const original = {} as {
    catalog: { displayName: string; services: CatalogService[] };
    registration: Registration;
    drainEndsAt: string;
    agentId: string;
    tokenUri: string;
    devnet: DevnetView;
    sellerBalance: bigint;
  };

  it("exports a running box with every kind of offer, a registered identity, settings and secrets", async () => {
    const a = await makeBox();
    const p = await serve(a);
    const api = adminClient(a.home, p.url);
    const devnet = (await api.devnet.info.query()) as DevnetView;
    const offer = (name: string, registration: boolean) =>
      api.offers.create.mutate({
        name,
        upstream: upstream.url,
        payment: { price: "0.01", payTo: devnet.accounts.seller.address },
        registration: { enabled: registration },
      });
    await offer("api", true);
    for (const name of ["draining", "stopped", "deleted"]) await offer(name, false);
    await waitFor(
      "the offers to answer 402",
      () => Promise.all(["hello", "api", "draining", "stopped", "deleted"].map((n) => routeStatus(p.url, n))),
      (statuses) => statuses.every((s) => s === 402),
    );
    original.drainEndsAt = (await api.offers.stop.mutate({ name: "draining", graceSeconds: 7_200 }))
      .drainEndsAt as string;
    await api.offers.stop.mutate({ name: "stopped", graceSeconds: 1 });
    await api.offers.delete.mutate({ name: "deleted" });
    await waitFor(
      "the drain of `stopped` to end",
      () => routeStatus(p.url, "stopped"),
      (s) => s === 404,
      15_000,
    );
    const set = await runCli(
      ["settings", "set", "display-name", "Moved Box"],
      serveEnv(a.home, { ...a.env, TOLLGATE_URL: p.url }),
    );
    expect(set.code, set.stderr).toBe(0);
    const [identity] = await waitFor(
      "the identity to be registered",
      () => api.identity.list.query(),
      (list) => list.length === 1 && list[0]?.state === "registered",
    );
    original.agentId = identity?.agentId as string;
    const reader = chainReader(devnet);
    original.tokenUri = await reader.tokenUri(original.agentId);
    expect(original.tokenUri).toBe(`${publicUrl}/.well-known/agent-registration.json`);
    expect((await reader.mints()).length).toBe(1);
    // Money moves on this box right before the export: the bundle must carry the chain as it is now.
    const paid = await createBuyer(devnet).payFetch(`${p.url}/services/hello/before-the-move`);
    expect(paid.status).toBe(200);
    await paid.arrayBuffer();
    original.sellerBalance = await reader.usdcBalance(devnet.accounts.seller.address);
    original.devnet = devnet;
    original.catalog = await getJson(`${p.url}/api/services.json`);
    original.registration = await getJson(`${p.url}/.well-known/agent-registration.json`);
    expect(original.catalog.displayName).toBe("Moved Box");

    const exported = await runCli(
      ["export", "--out", bundle, "--passphrase-file", passphraseFile, "--include-payments", "--json"],
      serveEnv(a.home, a.env),
    );
    expect(exported.code, exported.stderr).toBe(0);
    const components: { name: string; notes: string[] }[] = JSON.parse(exported.stdout).manifest.components;
    expect(components.find((c) => c.name === "devnet")?.notes).toContain("read from the running devnet");
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("imports into a fresh home and database, and serves the same box", async () => {
    const b = await makeBox();
    const imported = await runCli(
      ["import", bundle, "--passphrase-file", passphraseFile, "--json"],
      serveEnv(b.home, b.env),
    );
    expect(imported.code, imported.stderr + imported.stdout).toBe(0);
    const p = await serve(b);
    const api = adminClient(b.home, p.url);

    // The same public documents, within the 5 s after /readyz that SPEC §10 gives the offers to come back.
    const documents = () =>
      Promise.all([getJson(`${p.url}/api/services.json`), getJson(`${p.url}/.well-known/agent-registration.json`)]);
    const [catalog, registration] = await waitFor(
      "the documents to equal the originals",
      documents,
      ([c, r]) => isDeepStrictEqual(c, original.catalog) && isDeepStrictEqual(r, original.registration),
      5_000,
    ).catch(documents);
    expect(catalog).toEqual(original.catalog);
    expect(registration).toEqual(original.registration);

    // The same devnet: the accounts (no new wallet) and the chain, with the money that moved before the export.
    const devnet = (await api.devnet.info.query()) as DevnetView;
    expect(devnet.usdc).toBe(original.devnet.usdc);
    expect(devnet.identityRegistry).toBe(original.devnet.identityRegistry);
    for (const role of ["seller", "buyer", "facilitator"] as const)
      expect(devnet.accounts[role].address).toBe(original.devnet.accounts[role].address);
    const reader = chainReader(devnet);
    expect(await reader.usdcBalance(devnet.accounts.seller.address)).toBe(original.sellerBalance);

    // Deleted stays deleted; stopped stays stopped; the drain ends when it did.
    expect(await routeStatus(p.url, "deleted")).toBe(404);
    expect(await routeStatus(p.url, "stopped")).toBe(404);
    const offers = await api.offers.list.query({ all: true });
    expect(offers.filter((o) => o.name === "deleted").map((o) => o.state)).toEqual(["deleted"]);
    expect(offers.find((o) => o.name === "draining")?.drainEndsAt).toBe(original.drainEndsAt);
    expect(await routeStatus(p.url, "draining")).toBe(402);

    // A paid request works on an imported offer (the demo upstream resolves on the new box).
    const res = await createBuyer(devnet).payFetch(`${p.url}/services/hello/after-the-move`);
    expect(res.status, await res.clone().text()).toBe(200);
    await res.arrayBuffer();
    const settled = (await api.payments.list.query({ limit: 500 })).payments.filter((x) => x.state === "settled");
    expect(settled.map((x) => x.requestPath).sort()).toEqual([
      "/services/hello/after-the-move",
      "/services/hello/before-the-move",
    ]);

    // The same agent: Registered on the imported offer, no second mint, the URI unchanged.
    await waitFor(
      "the imported offer to report Registered=True",
      () => api.offers.show.query({ name: "api" }),
      (v) => v.conditions.some((c) => c.type === "Registered" && c.status === "True" && c.reason === "Registered"),
    );
    const identities = await api.identity.list.query();
    expect(identities.map((i) => [i.agentId, i.state])).toEqual([[original.agentId, "registered"]]);
    expect((await reader.mints()).length).toBe(1);
    expect(await reader.tokenUri(original.agentId)).toBe(original.tokenUri);
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });
});
