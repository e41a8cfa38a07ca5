import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  createTestDatabase,
  makeTestHome,
  removeTestHome,
  type TestDatabase,
} from "@tollgate/db/testing/test-database";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testingEnv } from "../testing/env.ts";
import { type ServeProcess, startServeProcess, stopServeProcesses } from "../testing/serve-process.ts";
import { appRouter } from "./router.ts";

/**
 * The only procedures anyone may call without signing in. Adding one here is a security decision: the
 * sweep below fails for any other procedure that answers an anonymous caller.
 */
const publicProcedures = new Set([
  "system.ping",
  "auth.status",
  "auth.setupPassword",
  "auth.login",
  "auth.logout",
  "storefront.tryDevnetOffer",
  "storefront.search",
  "storefront.offer",
]);

const procedures = Object.entries(
  appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>,
).map(([path, procedure]) => ({ path, type: procedure._def.type }));

let home: string;
let external: TestDatabase | undefined;
let server: ServeProcess;

beforeAll(async () => {
  home = makeTestHome();
  // Loopback is the TLS proxy here: X-Forwarded-Proto is believed only from a trusted proxy.
  let env: Record<string, string | undefined> = { TOLLGATE_TRUSTED_PROXIES: "127.0.0.1" };
  if (testingEnv.databaseUrl) {
    external = await createTestDatabase();
    env = { ...env, DATABASE_URL: external.url };
  }
  server = await startServeProcess({ home, env });
});

afterAll(async () => {
  if (server) await stopServeProcesses([server]);
  await server?.exited;
  await external?.close();
  removeTestHome(home);
});

function call(path: string, type: string, headers: Record<string, string>, input: unknown) {
  if (type === "mutation") {
    // A void input goes the way the web client sends it: a batch of one whose input is absent.
    return fetch(`${server.url}/trpc/${path}${input === undefined ? "?batch=1" : ""}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: input === undefined ? "{}" : JSON.stringify(input),
    });
  }
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  return fetch(`${server.url}/trpc/${path}${query}`, {
    headers,
    signal: AbortSignal.timeout(5_000),
  });
}

function sessionCookieOf(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith("tollgate_session="));
  if (!cookie) throw new Error("no session cookie set");
  return cookie;
}

describe("authorization sweep over the tRPC router", () => {
  it("every non-public procedure answers 401 to an anonymous request and to a bogus session cookie", async () => {
    const guarded = procedures.filter((p) => !publicProcedures.has(p.path));
    expect(guarded.length).toBeGreaterThan(10);
    const answers: Record<string, number> = {};
    for (const { path, type } of guarded) {
      const anonymous = await call(path, type, {}, {});
      answers[path] = anonymous.status;
      await anonymous.body?.cancel();
      const bogus = await call(path, type, { cookie: "tollgate_session=not-a-session" }, {});
      answers[`${path} (bogus cookie)`] = bogus.status;
      await bogus.body?.cancel();
    }
    const expected = Object.fromEntries(Object.keys(answers).map((k) => [k, 401]));
    expect(answers).toEqual(expected);
  });

  it("the public list names only procedures that exist", () => {
    const paths = new Set(procedures.map((p) => p.path));
    for (const path of publicProcedures) expect(paths.has(path), path).toBe(true);
  });
});

describe("owner password login", () => {
  const password = "a long enough passphrase";
  const ownerToken = () => readFileSync(join(home, "admin-token"), "utf8").trim();

  it("first run needs the owner token, sets an HttpOnly SameSite=Strict cookie, and the session is an admin caller", async () => {
    const status = (await (await call("auth.status", "query", {}, undefined)).json()) as {
      result: { data: { passwordSet: boolean; signedIn: boolean } };
    };
    expect(status.result.data).toMatchObject({ passwordSet: false, signedIn: false });

    const wrong = await call("auth.setupPassword", "mutation", {}, { ownerToken: "tg_wrong", password });
    expect(wrong.status).toBe(401);
    const weak = await call("auth.setupPassword", "mutation", {}, { ownerToken: ownerToken(), password: "short" });
    expect(weak.status).toBe(400);
    const refusal = (await weak.json()) as { error: { data: { tollgate: { field?: string } } } };
    expect(refusal.error.data.tollgate.field).toBe("password");

    const setup = await call("auth.setupPassword", "mutation", {}, { ownerToken: ownerToken(), password });
    expect(setup.status).toBe(200);
    const cookie = sessionCookieOf(setup);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);

    const again = await call("auth.setupPassword", "mutation", {}, { ownerToken: ownerToken(), password });
    expect(again.status).toBe(409);

    const session = cookie.split(";")[0] as string;
    const whoami = await call("system.whoami", "query", { cookie: session }, undefined);
    expect(((await whoami.json()) as { result: { data: unknown } }).result.data).toEqual({
      kind: "session",
      scope: "admin",
      actor: "user:owner",
    });
    const tokens = await call("tokens.list", "query", { cookie: session }, undefined);
    expect(tokens.status).toBe(200);
  });

  it("login behind a TLS proxy sets Secure; a wrong password is 401; logout ends the session", async () => {
    const bad = await call("auth.login", "mutation", {}, { password: "not the password" });
    expect(bad.status).toBe(401);
    expect(bad.headers.getSetCookie()).toEqual([]);

    const login = await call("auth.login", "mutation", { "x-forwarded-proto": "https" }, { password });
    expect(login.status).toBe(200);
    const cookie = sessionCookieOf(login);
    expect(cookie).toMatch(/; Secure/);
    const session = cookie.split(";")[0] as string;

    const stream = await call("events.stream", "subscription", { cookie: session }, undefined);
    expect(stream.status).toBe(200);
    expect(stream.headers.get("content-type")).toMatch(/text\/event-stream/);
    await stream.body?.cancel();

    // A signed-in browser's mutation carries its own origin (cross-origin ones are refused: hostile-input suite).
    const logout = await call("auth.logout", "mutation", { cookie: session, origin: server.url }, undefined);
    expect(logout.status).toBe(200);
    expect(sessionCookieOf(logout)).toMatch(/Max-Age=0/);
    const after = await call("system.whoami", "query", { cookie: session }, undefined);
    expect(after.status).toBe(401);
  });

  it("changing the password (admin token) ends existing sessions", async () => {
    const login = await call("auth.login", "mutation", {}, { password });
    const session = sessionCookieOf(login).split(";")[0] as string;
    const change = await call(
      "auth.setPassword",
      "mutation",
      { authorization: `Bearer ${ownerToken()}` },
      { password: "another long passphrase" },
    );
    expect(change.status).toBe(200);
    expect((await call("system.whoami", "query", { cookie: session }, undefined)).status).toBe(401);
    expect((await call("auth.login", "mutation", {}, { password })).status).toBe(401);
    expect((await call("auth.login", "mutation", {}, { password: "another long passphrase" })).status).toBe(200);
  });

  it("ten wrong passwords in a minute from one address are followed by 429, even for the right password", async () => {
    for (let i = 0; i < 10; i++) {
      expect((await call("auth.login", "mutation", {}, { password: `wrong guess ${i}` })).status).toBe(401);
    }
    const limited = await call("auth.login", "mutation", {}, { password: "another long passphrase" });
    expect(limited.status).toBe(429);
    expect(JSON.stringify(await limited.json())).toContain("Too many wrong passwords");
  });
});
