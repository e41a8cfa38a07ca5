import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { createApiClient } from "../../cli/api-client.ts";
import { useServeHome } from "../../testing/serve-home.ts";
import type { ServeProcess } from "../../testing/serve-process.ts";
import { createTarGz, readTarGz } from "../tar-archive.ts";

// The devnet makes offers ready, so the public catalog shows what an import changed.
const box = useServeHome({ TOLLGATE_DEVNET: "on" });

type CatalogJson = { services: { name: string }[] };

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, ms = 60_000) {
  const deadline = Date.now() + ms;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await read();
    if (done(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}

const catalogNames = async (p: ServeProcess) =>
  ((await (await fetch(`${p.url}/api/services.json`)).json()) as CatalogJson).services.map((s) => s.name).sort();

describe("backup endpoints (/admin/api/export, /admin/api/import)", () => {
  let p: ServeProcess;
  let token: string;
  let bundle: Buffer;
  let namesAtExport: string[];
  let upstreamToClose: { close(): void } | undefined;
  afterAll(() => upstreamToClose?.close());
  const auth = () => ({ authorization: `Bearer ${token}` });
  const offerNames = async () =>
    (await createApiClient({ url: p.url, token, tokenFile: join(box.home(), "admin-token") }).offers.list.query({}))
      .map((o) => o.name)
      .sort();
  const upload = (query: string, body: Buffer, headers: Record<string, string> = auth()) =>
    fetch(`${p.url}/admin/api/import?${query}`, {
      method: "POST",
      headers: { "content-type": "application/gzip", ...headers },
      body,
    });

  it("refuses anonymous callers and a wrong token with 401, changing nothing", async () => {
    p = await box.start();
    token = readFileSync(join(box.home(), "admin-token"), "utf8").trim();
    const anon = await fetch(`${p.url}/admin/api/export`, { method: "POST", body: "{}" });
    expect(anon.status).toBe(401);
    expect(((await anon.json()) as any).error.code).toBe("UNAUTHENTICATED");
    const wrong = await upload("dryRun=1", Buffer.from("x"), { authorization: "Bearer tg_wrong" });
    expect(wrong.status).toBe(401);
    const short = await fetch(`${p.url}/admin/api/export`, {
      method: "POST",
      headers: auth(),
      body: JSON.stringify({ passphrase: "short" }),
    });
    expect(short.status).toBe(400);
    expect(((await short.json()) as any).error).toMatchObject({ code: "VALIDATION_FAILED", field: "passphrase" });
  });

  it("downloads a valid bundle: manifest first, attachment headers", async () => {
    await waitFor(
      "the demo offers in the catalog",
      () => catalogNames(p),
      (n) => n.length > 0,
    );
    // What the bundle carries is the ledger's offers (ready or not), not the catalog's.
    namesAtExport = await offerNames();
    const res = await fetch(`${p.url}/admin/api/export`, {
      method: "POST",
      headers: { ...auth(), "content-type": "application/json" },
      body: JSON.stringify({ includePayments: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/gzip");
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="tollgate-backup-\d{8}T\d{6}Z\.tar\.gz"$/,
    );
    bundle = Buffer.from(await res.arrayBuffer());
    expect(gunzipSync(bundle).length).toBeGreaterThan(0);
    const entries = await readTarGz(bundle);
    expect(entries[0]?.name).toBe("manifest.json");
    const manifest = JSON.parse(String(entries[0]?.data));
    expect(manifest.version).toBe(1);
    expect(manifest.components.find((c: { name: string }) => c.name === "secrets").included).toBe(false);
    expect(entries.map((e) => e.name)).toContain("ledger/payments.json");
  });

  it("a dry run shows the plan and changes nothing", async () => {
    const api = createApiClient({ url: p.url, token, tokenFile: join(box.home(), "admin-token") });
    // A live upstream, so the new offer becomes ready and shows in the catalog.
    const upstream = createServer((_req, res) => res.end("ok"));
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
    const info = await api.devnet.info.query();
    if (!info) throw new Error("the devnet is not running");
    upstreamToClose = upstream;
    await api.offers.create.mutate({
      name: "added-later",
      upstream: upstreamUrl,
      payment: { price: "0.01", payTo: info.accounts.seller.address },
      registration: { enabled: false },
    });
    await waitFor(
      "the new offer in the catalog",
      () => catalogNames(p),
      (n) => n.includes("added-later"),
    );
    const before = await offerNames();

    const res = await upload("dryRun=1", bundle);
    expect(res.status).toBe(200);
    const { plan } = (await res.json()) as any;
    expect(plan.ledgerHasContent).toBe(true);
    expect(plan.offers.map((o: { name: string }) => o.name).sort()).toEqual(namesAtExport);
    expect(plan.tables.find((t: { table: string }) => t.table === "offer")).toMatchObject({
      current: before.length,
      incoming: namesAtExport.length,
    });
    expect(plan.blockedReason).toBeNull();
    // The running anvil keeps its own chain state: never "applied" live.
    expect(plan.devnetStateAction).toMatch(/^(skipped|none in bundle)/);
    expect(await offerNames()).toEqual(before);
  });

  it("refuses a hostile archive (a `..` entry) with 400 IMPORT_REFUSED, and a non-empty ledger without force", async () => {
    const before = await offerNames();
    const hostile = createTarGz([
      { name: "manifest.json", type: "file", data: Buffer.from("{}") },
      { name: "../../escape.txt", type: "file", data: Buffer.from("pwned") },
    ]);
    for (const query of ["dryRun=1", "force=1"]) {
      const res = await upload(query, hostile);
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body.error.code).toBe("IMPORT_REFUSED");
      expect(body.error.message).toMatch(/archive refused/);
    }
    const noForce = await upload("", bundle);
    expect(noForce.status).toBe(409);
    expect(((await noForce.json()) as any).error.message).toMatch(/force/);
    expect(await offerNames()).toEqual(before);
    expect(await catalogNames(p)).toContain("added-later");
  });

  it("applies with force: offers replaced, the catalog follows, the admin token still works", async () => {
    const res = await upload("force=1", bundle);
    expect(res.status).toBe(200);
    const body = (await res.json()) as any;
    expect(body.imported).toBe(true);
    expect(body.devnetState).toMatch(/^(skipped|none in bundle)/);
    expect(await offerNames()).toEqual(namesAtExport);
    // Conditions are derived: the reconciler re-checks every imported offer, then the catalog shows them.
    const after = await waitFor(
      "the catalog to list the imported offers again (and nothing added after the export)",
      () => catalogNames(p),
      (n) => n.includes("hello") && !n.includes("added-later"),
    );
    expect(after.every((name) => namesAtExport.includes(name))).toBe(true);
  });
});
