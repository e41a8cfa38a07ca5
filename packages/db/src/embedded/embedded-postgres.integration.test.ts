import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../migrations/migrations.ts";
import { createPrismaClient, type Db } from "../prisma-client.ts";
import { makeTestHome, removeTestHome } from "../testing/test-database.ts";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./start-embedded-postgres.ts";

const quiet = { info() {}, warn() {} };
let home: string;
let pg: EmbeddedPostgres;
let db: Db;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("postgres");
  } catch {
    return false;
  }
};

beforeAll(async () => {
  home = makeTestHome();
  pg = await startEmbeddedPostgres({ home, log: quiet });
  await applyMigrations(pg.parts);
  db = createPrismaClient(pg.url);
});

afterAll(async () => {
  await db?.$disconnect();
  await pg?.stop();
  removeTestHome(home);
});

describe("embedded PostgreSQL", () => {
  it("comes back by itself when the postmaster is killed under a running server, with the data", async () => {
    await db.setting.create({ data: { key: "survives", value: { ok: true } } });
    const first = pg.pid;
    process.kill(first, "SIGKILL");
    // Read only once a new postmaster runs: a backend of the killed one can still answer a query for a
    // moment after the kill (it notices the postmaster's death asynchronously).
    const deadline = Date.now() + 60_000;
    let value: unknown = null;
    while (Date.now() < deadline) {
      if (pg.pid !== first) {
        value = await db.setting
          .findUnique({ where: { key: "survives" } })
          .then((row) => row?.value ?? null)
          .catch(() => null);
        if (value) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(pg.pid).not.toBe(first);
    expect(value).toEqual({ ok: true });
  });

  it("stop() ends the postmaster", async () => {
    const pid = pg.pid;
    expect(alive(pid)).toBe(true);
    await db.$disconnect();
    await pg.stop();
    expect(alive(pid)).toBe(false);
  });
});
