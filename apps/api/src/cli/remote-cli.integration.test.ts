import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useServeHome } from "../testing/serve-home.ts";

// The single-file CLI, copied alone into an empty directory, manages a running server through a
// named remote: it needs nothing of the checkout, keeps the token in a 0600 file and never prints it.
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const box = useServeHome();
const scratch = mkdtempSync(join(tmpdir(), "tollgate-remote-"));
const laptop = join(scratch, "laptop");
const configHome = join(scratch, "config");
let adminToken = "";
let serverUrl = "";
const printed: string[] = [];

beforeAll(async () => {
  const built = join(scratch, "build", "tollgate.mjs");
  const build = spawnSync(process.execPath, [join(repoRoot, "scripts", "build-cli.mjs"), "--out", built], {
    encoding: "utf8",
  });
  expect(build.status, build.stderr).toBe(0);
  mkdirSync(laptop);
  copyFileSync(built, join(laptop, "tollgate.mjs"));
  serverUrl = (await box.start()).url;
  adminToken = readFileSync(join(box.home(), "admin-token"), "utf8").trim();
  writeFileSync(join(scratch, "admin.token"), `${adminToken}\n`, { mode: 0o600 });
});

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const laptopEnv = (): Record<string, string | undefined> => ({
  PATH: process.env.PATH,
  HOME: scratch,
  XDG_CONFIG_HOME: configHome,
});

/** Runs the copied file from the empty directory with a bare environment (no TOLLGATE_*, no checkout). */
function laptopCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(laptop, "tollgate.mjs"), ...args], {
      cwd: laptop,
      env: laptopEnv() as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => {
      printed.push(stdout, stderr);
      resolve({ code, stdout, stderr });
    });
  });
}

describe("the single-file CLI on a laptop", () => {
  it("adds a named remote, stores its token 0600 and talks to the box through it", async () => {
    const added = await laptopCli([
      "remote",
      "add",
      "box",
      "--url",
      serverUrl,
      "--token-file",
      join(scratch, "admin.token"),
      "--use",
    ]);
    expect(added.code, added.stderr).toBe(0);
    const file = join(configHome, "tollgate", "remotes.json");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const created = await laptopCli(["tokens", "create", "dashboards", "--scope", "read", "--json"]);
    expect(created.code, created.stderr).toBe(0);
    const readToken = JSON.parse(created.stdout).token as string;
    // `tokens create` shows the new token once, by design; nothing after it may print it again.
    const afterCreate = printed.length;
    const listed = await laptopCli(["tokens", "list", "--json"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((t: { name: string }) => t.name)).toContain("dashboards");

    const offers = await laptopCli(["offers", "list", "--json"]);
    expect(offers.code, offers.stderr).toBe(0);
    expect(Array.isArray(JSON.parse(offers.stdout))).toBe(true);

    // A read-token remote for dashboards, used per call with --remote: it reads but cannot change.
    writeFileSync(join(scratch, "read.token"), readToken, { mode: 0o600 });
    expect(
      (await laptopCli(["remote", "add", "dash", "--url", serverUrl, "--token-file", join(scratch, "read.token")]))
        .code,
    ).toBe(0);
    expect((await laptopCli(["--remote", "dash", "offers", "list", "--json"])).code).toBe(0);
    const refused = await laptopCli(["--remote", "dash", "tokens", "create", "sneaky", "--json"]);
    expect(refused.code).toBe(1);

    const remotes = await laptopCli(["remote", "list", "--json"]);
    expect(JSON.parse(remotes.stdout)).toEqual({
      current: "box",
      remotes: [
        { name: "box", url: serverUrl, current: true },
        { name: "dash", url: serverUrl, current: false },
      ],
    });
    // The tokens are in the file, and in nothing the CLI printed.
    expect(readFileSync(file, "utf8")).toContain(adminToken);
    for (const out of printed) expect(out).not.toContain(adminToken);
    for (const out of printed.slice(afterCreate)) expect(out).not.toContain(readToken);
  });

  it("switches back to the local server and forgets a remote", async () => {
    expect((await laptopCli(["remote", "use", "--local"])).code).toBe(0);
    // Nothing listens on the local default port in this environment's view of the laptop.
    const local = await laptopCli(["--url", "http://127.0.0.1:9", "offers", "list"]);
    expect(local.code).toBe(3);
    expect((await laptopCli(["remote", "remove", "dash"])).code).toBe(0);
    const unknown = await laptopCli(["--remote", "dash", "offers", "list"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no remote named "dash"');
  });

  it("says which commands need the box itself instead of failing obscurely", async () => {
    const r = await laptopCli(["export", "--out", join(scratch, "backup.tgz")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("works on the box itself");
  });
});
