import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { createApiTokenRepository, createSecretStore, ledgerChecksum } from "@tollgate/db";
import { createTestDatabase, type TestDatabase } from "@tollgate/db/testing/test-database";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testingEnv } from "../testing/env.ts";
import { runCli } from "../testing/serve-process.ts";
import { createTarGz, type TarEntry } from "./tar-archive.ts";

const work = mkdtempSync(join(tmpdir(), "tollgate-bundle-"));
let source: TestDatabase;
let target: TestDatabase;
const SECRET_VALUE = "0xfeedfacecafebeef-super-secret-key";
const passphraseFile = join(work, "passphrase");
const address = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

function cli(args: string[], db: TestDatabase, home: string) {
  return runCli(args, {
    PATH: testingEnv.inheritedEnv.PATH,
    HOME: work,
    TOLLGATE_HOME: home,
    DATABASE_URL: db.url,
  });
}

const sourceHome = join(work, "source-home");
const targetHome = join(work, "target-home");

beforeAll(async () => {
  writeFileSync(passphraseFile, "correct horse battery staple\n");
  source = await createTestDatabase();
  target = await createTestDatabase();
  // A box with active, draining, stopped and deleted offers, an identity, settings, secrets and payments.
  const offer = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    liveName: name,
    type: "http" as const,
    upstreamUrl: "http://127.0.0.1:9",
    path: `/services/${name}`,
    chain: "local",
    asset: address(1),
    payTo: address(2),
    priceAmount: "0.01",
    ...extra,
  });
  const active = await source.db.offer.create({ data: offer("active") });
  await source.db.offer.create({
    data: offer("draining", { drainAt: new Date("2026-11-23T10:00:00.123Z"), drainGraceSeconds: 7200 }),
  });
  await source.db.offer.create({
    data: offer("stopped", { state: "stopped", drainAt: new Date("2026-11-20T10:00:00Z"), drainGraceSeconds: 0 }),
  });
  await source.db.offer.create({ data: offer("gone", { state: "deleted", liveName: null, deletedAt: new Date() }) });
  await source.db.identity.create({
    data: { chain: "local", chainId: 31337, registry: address(9), agentId: "7", state: "registered" },
  });
  await source.db.setting.create({ data: { key: "storefront.profile", value: { displayName: "Acme" } } });
  await source.db.payment.create({
    data: {
      offerId: active.id,
      offerGeneration: 1,
      chain: "local",
      network: "eip155:31337",
      testnet: true,
      asset: address(1),
      amount: "10000",
      payer: address(3),
      payTo: address(2),
      nonce: "0x01",
      x402Version: 2,
      requestMethod: "GET",
      requestPath: "/services/active/",
      facilitator: "local",
      state: "settled",
      txHash: "0xabc",
    },
  });
  // Export seals secrets with the source home's master key: create it through the CLI first.
  await cli(["export", "--out", join(work, "warmup.tgz")], source, sourceHome);
  const masterKey = Buffer.from(readFileSync(join(sourceHome, "secrets", "master.key"), "utf8").trim(), "base64");
  await createSecretStore({ db: source.db, masterKey }).set("devnet/seller-key", SECRET_VALUE);
  // An agent (its key in the secret store) that bought three times: settled, refused before signing, failed.
  const walletKey = generatePrivateKey();
  const agent = await source.db.agent.create({
    data: {
      name: "buyer-bot",
      model: "demo",
      walletAddress: privateKeyToAccount(walletKey).address,
      walletSecretId: "agents/buyer-bot/wallet-key",
      runtimeUrl: "http://127.0.0.1:9/runtime",
      maxPerPayment: "10000",
      dailyBudget: "50000",
    },
  });
  await createSecretStore({ db: source.db, masterKey }).set("agents/buyer-bot/wallet-key", walletKey);
  const outbound = (
    n: number,
    extra: { state: "settled" | "refused" | "failed"; txHash?: string; reason?: string },
  ) => ({
    agentId: agent.id,
    url: `http://127.0.0.1:9/services/x${n}`,
    network: "eip155:31337",
    asset: address(1),
    payTo: address(4),
    amount: "10000",
    createdAt: new Date(Date.UTC(2026, 10, 23, 10, n)),
    ...extra,
  });
  await source.db.agentPayment.createMany({
    data: [
      outbound(1, { state: "settled", txHash: "0xdef" }),
      outbound(2, { state: "refused", reason: "budget_exceeded" }),
      outbound(3, { state: "failed", reason: "the upstream answered 500" }),
    ],
  });
});

/** The outbound rows of a ledger as a user compares them: what, to whom, how much, how it ended. */
const outboundRows = async (db: TestDatabase["db"]) =>
  (await db.agentPayment.findMany({ orderBy: { createdAt: "asc" }, include: { agent: true } })).map((row) => ({
    id: row.id,
    agent: row.agent.name,
    direction: row.direction,
    url: row.url,
    amount: row.amount.toFixed(),
    state: row.state,
    reason: row.reason,
    txHash: row.txHash,
    createdAt: row.createdAt.toISOString(),
  }));

afterAll(async () => {
  await source?.close();
  await target?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("export and import", () => {
  it("an export without a passphrase holds no secret; with one the secret is sealed", async () => {
    const plain = join(work, "plain.tgz");
    const res = await cli(["export", "--out", plain, "--json"], source, sourceHome);
    expect(res.code).toBe(0);
    const manifest = JSON.parse(res.stdout).manifest;
    expect(manifest.components.find((c: { name: string }) => c.name === "secrets").included).toBe(false);
    expect(gunzipSync(readFileSync(plain)).includes(SECRET_VALUE)).toBe(false);

    const sealed = join(work, "sealed.tgz");
    expect(
      (
        await cli(
          ["export", "--out", sealed, "--passphrase-file", passphraseFile, "--include-payments"],
          source,
          sourceHome,
        )
      ).code,
    ).toBe(0);
    const raw = gunzipSync(readFileSync(sealed));
    expect(raw.includes(SECRET_VALUE)).toBe(false);
    expect(raw.subarray(0, 100).toString()).toContain("manifest.json"); // first entry
  });

  it("credentials (password and token hashes) leave only with --include-credentials and a passphrase", async () => {
    const tokens = createApiTokenRepository({ db: source.db });
    await tokens.create({ name: "bundle-probe", scope: "read" });
    const hash = (await source.db.apiToken.findFirstOrThrow({ where: { name: "bundle-probe" } })).hash;
    const plain = join(work, "no-credentials.tgz");
    const res = await cli(["export", "--out", plain, "--json"], source, sourceHome);
    expect(res.code).toBe(0);
    const credentials = JSON.parse(res.stdout).manifest.components.find(
      (c: { name: string }) => c.name === "credentials",
    );
    expect(credentials.included).toBe(false);
    const text = gunzipSync(readFileSync(plain)).toString("latin1");
    expect(text).not.toContain(hash);
    expect(text).not.toContain('"apiToken"');

    const refused = await cli(
      ["export", "--out", join(work, "x.tgz"), "--include-credentials", "--json"],
      source,
      sourceHome,
    );
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(/passphrase/);

    const carried = join(work, "with-credentials.tgz");
    const sealed = await cli(
      ["export", "--out", carried, "--include-credentials", "--passphrase-file", passphraseFile, "--json"],
      source,
      sourceHome,
    );
    expect(sealed.code).toBe(0);
    expect(gunzipSync(readFileSync(carried)).toString("latin1")).toContain(hash);
    await source.db.apiToken.deleteMany({ where: { name: "bundle-probe" } });
  });

  it("an import that cannot carry an agent's key is refused whole: no agent, none of its outbound rows", async () => {
    const before = await ledgerChecksum(target.db);
    const dry = await cli(["import", join(work, "plain.tgz"), "--dry-run", "--json"], target, targetHome);
    expect(dry.code).toBe(0);
    const plan = JSON.parse(dry.stdout).plan;
    expect(plan.tables.find((t: { table: string }) => t.table === "agentPayment")).toMatchObject({
      current: 0,
      incoming: 3,
    });
    expect(plan.agents).toMatchObject({ outcome: "refused", agents: ["buyer-bot"] });
    const refused = await cli(["import", join(work, "plain.tgz"), "--json"], target, targetHome);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.message).toContain(
      "buyer-bot (an import never gives an agent a new wallet); nothing is imported, so their 3 outbound payments stay in the bundle too",
    );
    expect(await target.db.agentPayment.count()).toBe(0);
    expect(await ledgerChecksum(target.db)).toBe(before);
  });

  it("imports everything into a fresh ledger: tombstones stay deleted, drain end unchanged, secrets re-sealed", async () => {
    const before = await ledgerChecksum(target.db);
    const dry = await cli(["import", join(work, "sealed.tgz"), "--dry-run", "--json"], target, targetHome);
    expect(dry.code).toBe(0);
    expect(
      JSON.parse(dry.stdout)
        .plan.offers.map((o: { name: string }) => o.name)
        .sort(),
    ).toEqual(["active", "draining", "gone", "stopped"]);
    expect(await ledgerChecksum(target.db)).toBe(before);

    const res = await cli(
      ["import", join(work, "sealed.tgz"), "--passphrase-file", passphraseFile, "--json"],
      target,
      targetHome,
    );
    expect(res.code, res.stderr + res.stdout).toBe(0);
    const offers = await target.db.offer.findMany({ orderBy: { name: "asc" } });
    expect(offers.map((o) => [o.name, o.state])).toEqual([
      ["active", "active"],
      ["draining", "active"],
      ["gone", "deleted"],
      ["stopped", "stopped"],
    ]);
    expect(offers.find((o) => o.name === "draining")?.drainAt?.toISOString()).toBe("2026-11-23T10:00:00.123Z");
    expect((await target.db.identity.findUniqueOrThrow({ where: { chain: "local" } })).agentId).toBe("7");
    expect((await target.db.payment.findFirstOrThrow()).amount.toFixed()).toBe("10000");
    const targetKey = Buffer.from(readFileSync(join(targetHome, "secrets", "master.key"), "utf8").trim(), "base64");
    expect(await createSecretStore({ db: target.db, masterKey: targetKey }).get("devnet/seller-key")).toBe(
      SECRET_VALUE,
    );
    // The agent's outbound payments came along, exactly (ids, amounts, states, reasons, tx hash, times).
    const carried = await outboundRows(target.db);
    expect(carried).toHaveLength(3);
    expect(carried).toEqual(await outboundRows(source.db));
    // So did the agent's external runtime URL.
    expect((await target.db.agent.findUniqueOrThrow({ where: { name: "buyer-bot" } })).runtimeUrl).toBe(
      "http://127.0.0.1:9/runtime",
    );
  });

  it("importing the same bundle again (--force) replaces the outbound rows, never duplicates them", async () => {
    const first = await outboundRows(target.db);
    const again = await cli(
      ["import", join(work, "sealed.tgz"), "--passphrase-file", passphraseFile, "--force", "--json"],
      target,
      targetHome,
    );
    expect(again.code, again.stderr + again.stdout).toBe(0);
    expect(await outboundRows(target.db)).toEqual(first);
    expect(await target.db.agentPayment.count()).toBe(3);
  });

  it("refuses outbound rows that name an agent the bundle does not have, changing nothing", async () => {
    const before = await ledgerChecksum(target.db);
    const manifest = { version: 1, tollgateVersion: "0.1.0", createdAt: "2026-11-23T10:00:00Z", components: [] };
    const orphan = {
      id: "x",
      agentId: "nobody",
      direction: "outbound",
      url: "http://a",
      amount: "1",
      state: "settled",
    };
    const path = join(work, "orphan-outbound.tgz");
    writeFileSync(
      path,
      createTarGz([
        { name: "manifest.json", type: "file", data: Buffer.from(JSON.stringify(manifest)) },
        {
          name: "ledger/ledger.json",
          type: "file",
          data: Buffer.from(JSON.stringify({ tables: { agent: [], agentPayment: [orphan] } })),
        },
      ]),
    );
    const res = await cli(["import", path, "--force", "--json"], target, targetHome);
    expect(res.code).toBe(1);
    expect(JSON.parse(res.stdout).error).toMatchObject({ code: "IMPORT_REFUSED" });
    expect(JSON.parse(res.stdout).error.message).toContain("names an agent the bundle does not have");
    expect(await ledgerChecksum(target.db)).toBe(before);
  });

  it("refuses a non-empty ledger without --force, and a wrong passphrase, changing nothing", async () => {
    const before = await ledgerChecksum(target.db);
    const again = await cli(["import", join(work, "sealed.tgz"), "--json"], target, targetHome);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error.message).toContain("--force");
    writeFileSync(join(work, "wrong"), "not the passphrase\n");
    const wrong = await cli(
      ["import", join(work, "sealed.tgz"), "--passphrase-file", join(work, "wrong"), "--force"],
      target,
      targetHome,
    );
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("passphrase is wrong");
    expect(await ledgerChecksum(target.db)).toBe(before);
  });

  describe("hostile archives are refused and change nothing", () => {
    const manifest = (version = 1) =>
      Buffer.from(
        JSON.stringify({ version, tollgateVersion: "0.1.0", createdAt: "2026-11-23T10:00:00Z", components: [] }),
      );
    const ledgerJson = Buffer.from(JSON.stringify({ tables: { offer: [] } }));
    const file = (name: string, data: Buffer): TarEntry => ({ name, type: "file", data });
    const cases: [string, () => Buffer, string][] = [
      [
        "absolute entry name",
        () => createTarGz([file("manifest.json", manifest()), file("/etc/cron.d/evil", Buffer.from("x"))]),
        "absolute",
      ],
      [
        "`..` entry name",
        () => createTarGz([file("manifest.json", manifest()), file("ledger/../../evil", Buffer.from("x"))]),
        "escaping",
      ],
      [
        "symlink escaping the root",
        () =>
          createTarGz([
            file("manifest.json", manifest()),
            { name: "ledger/link", type: "symlink", linkTarget: "../../etc/passwd" },
          ]),
        "links outside",
      ],
      [
        "hard link escaping the root",
        () =>
          createTarGz([
            file("manifest.json", manifest()),
            { name: "ledger/hard", type: "hardlink", linkTarget: "/etc/shadow" },
          ]),
        "links outside",
      ],
      [
        "manifest over 1 MiB",
        () =>
          createTarGz([
            file("manifest.json", Buffer.alloc(1024 * 1024 + 1, 32)),
            file("ledger/ledger.json", ledgerJson),
          ]),
        "over the",
      ],
      [
        "unknown manifest version",
        () => createTarGz([file("manifest.json", manifest(2)), file("ledger/ledger.json", ledgerJson)]),
        "unknown manifest version 2",
      ],
      [
        "manifest not first",
        () => createTarGz([file("ledger/ledger.json", ledgerJson), file("manifest.json", manifest())]),
        "first entry",
      ],
      [
        "truncated archive",
        () => createTarGz([file("manifest.json", manifest()), file("ledger/ledger.json", ledgerJson)]).subarray(0, 60),
        "truncated",
      ],
      ["not gzip", () => Buffer.from("just some text, not an archive\n".repeat(20)), "not a gzip"],
      [
        "decompression bomb",
        () => gzipSync(Buffer.concat([Buffer.alloc(512), Buffer.alloc(80 * 1024 * 1024)]), { level: 9 }),
        "decompression bomb",
      ],
    ];
    for (const [name, build, message] of cases) {
      it(name, async () => {
        const path = join(work, `hostile-${name.replace(/\W+/g, "-")}.tgz`);
        writeFileSync(path, build());
        const before = await ledgerChecksum(target.db);
        const res = await cli(["import", path, "--force", "--json"], target, targetHome);
        expect(res.code).toBe(1);
        const error = JSON.parse(res.stdout).error;
        expect(error.code).toBe("IMPORT_REFUSED");
        expect(error.message).toContain(message);
        expect(await ledgerChecksum(target.db)).toBe(before);
      });
    }
  });
});
