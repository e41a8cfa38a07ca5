import { readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { testingEnv } from "../testing/env.ts";
import { useServeHome } from "../testing/serve-home.ts";
import { runCli, serveEnv } from "../testing/serve-process.ts";

const box = useServeHome();
const start = () => box.start();

/** Postgres processes serving this home's data directory. */
function postgresProcessesFor(dataDir: string): number[] {
  return readdirSync("/proc")
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").includes(dataDir);
      } catch {
        return false;
      }
    })
    .map(Number);
}

const trpc = (url: string, path: string, token?: string, body?: unknown) =>
  fetch(`${url}/trpc/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("tollgate serve", () => {
  let ownerToken: string;

  it("comes up ready, writes the owner token with mode 0600, and answers /healthz", async () => {
    const p = await start();
    expect((await fetch(`${p.url}/healthz`)).status).toBe(200);
    const tokenFile = join(box.home(), "admin-token");
    expect(statSync(tokenFile).mode & 0o777).toBe(0o600);
    ownerToken = readFileSync(tokenFile, "utf8").trim();
    expect(ownerToken).toMatch(/^tg_/);
    expect(p.output()).toContain(ownerToken); // printed once at first start
    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("the admin tier refuses no token and a wrong token (401), refuses a read token (403), accepts the owner token", async () => {
    const p = await start();
    expect(p.output()).not.toContain(ownerToken); // not printed again
    expect((await trpc(p.url, "tokens.list")).status).toBe(401);
    expect((await trpc(p.url, "tokens.list", "tg_wrong")).status).toBe(401);
    const anonymous = (await (await trpc(p.url, "tokens.list")).json()) as any;
    expect(anonymous.error.data.tollgate.code).toBe("UNAUTHENTICATED");

    const created = await trpc(p.url, "tokens.create", ownerToken, { name: "reader", scope: "read" });
    expect(created.status).toBe(200);
    const readToken = ((await created.json()) as any).result.data.token as string;
    expect((await trpc(p.url, "system.info", readToken)).status).toBe(200);
    expect((await trpc(p.url, "tokens.list", readToken)).status).toBe(403);

    const list = await trpc(p.url, "tokens.list", ownerToken);
    expect(list.status).toBe(200);
    expect(((await list.json()) as any).result.data.map((t: { name: string }) => t.name)).toEqual(["owner", "reader"]);

    const bad = await trpc(p.url, "tokens.create", ownerToken, { name: "has space", scope: "read" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.data.tollgate).toMatchObject({ code: "VALIDATION_FAILED", field: "name" });

    p.child.kill("SIGTERM");
    expect(await p.exited).toBe(0);
  });

  it("the CLI uses the local token file by itself, prints JSON, and exits 3 when the server is down", async () => {
    const p = await start();
    const env = serveEnv(box.home(), { TOLLGATE_URL: p.url });
    const listed = await runCli(["tokens", "list", "--json"], env);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout).map((t: { name: string }) => t.name)).toContain("owner");
    const refused = await runCli(["tokens", "revoke", "nobody", "--json"], env);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe("NOT_FOUND");
    const usage = await runCli(["tokens", "create"], env);
    expect(usage.code).toBe(2);
    p.child.kill("SIGTERM");
    await p.exited;
    const down = await runCli(["tokens", "list"], env);
    expect(down.code).toBe(3);
    expect(down.stderr).toContain("cannot reach");
  });

  it.skipIf(Boolean(testingEnv.databaseUrl))(
    "SIGTERM leaves no Postgres behind; kill -9 then a new start keeps the data",
    async () => {
      const p = await start();
      const dataDir = join(realpathSync(join(box.home(), "pg")), "data");
      expect(postgresProcessesFor(dataDir).length).toBeGreaterThan(0);
      p.child.kill("SIGTERM");
      expect(await p.exited).toBe(0);
      expect(postgresProcessesFor(dataDir)).toEqual([]);

      const q = await start();
      q.child.kill("SIGKILL");
      await q.exited;
      const r = await start();
      const list = (await (await trpc(r.url, "tokens.list", ownerToken)).json()) as any;
      expect(list.result.data.map((t: { name: string }) => t.name)).toContain("reader");
      r.child.kill("SIGTERM");
      expect(await r.exited).toBe(0);
      expect(postgresProcessesFor(dataDir)).toEqual([]);
    },
  );

  it("a bad environment value stops the server with the variable's name", async () => {
    const p = await box.start({ TOLLGATE_PORT: "not-a-port" }, { waitReady: false });
    expect(await p.exited).toBe(2);
    expect(p.output()).toContain("TOLLGATE_PORT");
  });
});
