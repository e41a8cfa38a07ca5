import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testingEnv } from "../testing/env.ts";
import { runCli, type ServeProcess, serveEnv, startServeProcess } from "../testing/serve-process.ts";

// Agents keep their wallets (SPEC §13, issue 15 acceptance 1 and 5): restart, kill -9, export → import.
const work = mkdtempSync(join(tmpdir(), "tollgate-agents-"));
const passphraseFile = join(work, "passphrase");
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
  const p = await startServeProcess({ home: box.home, env: box.env, timeoutMs: 120_000 });
  running.push(p);
  return p;
}

async function cli(box: Box, args: string[], server?: ServeProcess) {
  const res = await runCli(
    [...args, "--json"],
    serveEnv(box.home, { ...box.env, ...(server ? { TOLLGATE_URL: server.url } : {}) }),
  );
  return { ...res, json: res.stdout.trim() ? JSON.parse(res.stdout) : null };
}

let a: Box;
let server: ServeProcess;
let created: { id: string; walletAddress: string };

beforeAll(async () => {
  writeFileSync(passphraseFile, "agents keep their wallets\n", { mode: 0o600 });
  a = await makeBox();
  server = await serve(a);
}, 150_000);

afterAll(async () => {
  for (const p of running) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill("SIGTERM");
  await Promise.all(running.map((p) => p.exited));
  for (const box of boxes) {
    // A box whose last server died by SIGKILL left its PostgreSQL running: a start and a stop end it.
    await box.database?.close();
    removeTestHome(box.home);
  }
  rmSync(work, { recursive: true, force: true });
}, 90_000);

describe("agents in the ledger", () => {
  it("creates an agent with a wallet address, refuses bad input naming the field, lists and deletes", async () => {
    const human = await runCli(
      [
        "agents",
        "create",
        "researcher",
        "--model",
        "demo",
        "--skill",
        "research",
        "--skill",
        "summarize",
        "--objective",
        "Find sources and summarize them.",
      ],
      serveEnv(a.home, { ...a.env, TOLLGATE_URL: server.url }),
    );
    expect(human.code, human.stderr).toBe(0);
    const address = /wallet (0x[0-9a-fA-F]{40})/.exec(human.stdout)?.[1];
    expect(address).toBeDefined();

    const shown = await cli(a, ["agents", "show", "researcher"], server);
    expect(shown.code).toBe(0);
    expect(shown.json).toMatchObject({
      name: "researcher",
      model: "demo",
      skills: ["research", "summarize"],
      objective: "Find sources and summarize them.",
      walletAddress: address,
      offers: [],
    });
    expect(JSON.stringify(shown.json)).not.toMatch(/privateKey|wallet-key/);
    created = shown.json;

    const again = await cli(a, ["agents", "create", "researcher", "--model", "demo"], server);
    expect(again.code).toBe(1);
    expect(again.json.error).toMatchObject({ code: "CONFLICT", field: "name" });
    const noModel = await cli(a, ["agents", "create", "writer", "--model", "nope"], server);
    expect(noModel.code).toBe(1);
    expect(noModel.json.error).toMatchObject({ code: "VALIDATION_FAILED", field: "model" });
    const badName = await cli(a, ["agents", "create", "Bad_Name", "--model", "demo"], server);
    expect(badName.code).toBe(1);
    expect(badName.json.error.field).toBe("name");

    const temp = await cli(a, ["agents", "create", "temp", "--model", "demo"], server);
    expect(temp.code).toBe(0);
    expect(temp.json.walletAddress).not.toBe(address);
    expect((await cli(a, ["agents", "delete", "temp"], server)).code).toBe(0);
    const list = await cli(a, ["agents", "list"], server);
    expect(list.json.map((x: { name: string }) => x.name)).toEqual(["researcher"]);
    expect((await cli(a, ["agents", "show", "temp"], server)).json.error.code).toBe("NOT_FOUND");
  }, 120_000);

  it("keeps the same wallet after a restart and after kill -9", async () => {
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    server = await serve(a);
    expect((await cli(a, ["agents", "show", "researcher"], server)).json).toMatchObject({
      id: created.id,
      walletAddress: created.walletAddress,
    });

    server.child.kill("SIGKILL");
    await server.exited;
    server = await serve(a);
    expect((await cli(a, ["agents", "show", "researcher"], server)).json).toMatchObject({
      id: created.id,
      walletAddress: created.walletAddress,
    });
    expect((await cli(a, ["agents", "list"], server)).json).toHaveLength(1);
  }, 240_000);

  it("export with a passphrase → import on a fresh home keeps the agent's wallet", async () => {
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    const sealed = join(work, "sealed.tgz");
    const exported = await cli(a, ["export", "--out", sealed, "--passphrase-file", passphraseFile]);
    expect(exported.code, exported.stderr).toBe(0);

    const b = await makeBox();
    const imported = await cli(b, ["import", sealed, "--passphrase-file", passphraseFile]);
    expect(imported.code, imported.stdout + imported.stderr).toBe(0);
    expect(imported.json.plan.agents).toMatchObject({ outcome: "carried", agents: ["researcher"] });
    const moved = await serve(b);
    expect((await cli(b, ["agents", "show", "researcher"], moved)).json).toMatchObject({
      id: created.id,
      walletAddress: created.walletAddress,
    });
    moved.child.kill("SIGTERM");
    expect(await moved.exited).toBe(0);
  }, 240_000);

  it("export without a passphrase → import refuses the agents by name, says how to carry them, adds no wallet", async () => {
    const plain = join(work, "plain.tgz");
    const exported = await cli(a, ["export", "--out", plain]);
    expect(exported.code, exported.stderr).toBe(0);

    const c = await makeBox();
    const dry = await cli(c, ["import", plain, "--dry-run"]);
    expect(dry.code).toBe(0);
    expect(dry.json.plan.agents).toMatchObject({ outcome: "refused", agents: ["researcher"] });
    const refused = await cli(c, ["import", plain]);
    expect(refused.code).toBe(1);
    expect(refused.json.error.code).toBe("IMPORT_REFUSED");
    expect(refused.json.error.message).toContain("researcher");
    expect(refused.json.error.hint).toContain("--passphrase-file");
    // Nothing was imported: the target ledger still has no agent (and so no wallet).
    const after = await cli(c, ["import", plain, "--dry-run"]);
    expect(after.json.plan.tables.find((t: { table: string }) => t.table === "agent")).toMatchObject({ current: 0 });
  }, 240_000);
});
