import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testingEnv } from "../testing/env.ts";
import { runCli } from "../testing/serve-process.ts";

const fakeHome = mkdtempSync(join(tmpdir(), "tollgate-svc-"));
afterAll(() => rmSync(fakeHome, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({
  PATH: testingEnv.inheritedEnv.PATH,
  HOME: fakeHome,
  TOLLGATE_HOME: join(fakeHome, "data"),
  ...extra,
});

describe("tollgate service install --user", () => {
  it("--dry-run prints the unit and writes nothing", async () => {
    const res = await runCli(["service", "install", "--user", "--dry-run", "--json"], env());
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.written).toBe(false);
    expect(out.unit).toContain(`ExecStart=${process.execPath} `);
    expect(existsSync(out.unitPath)).toBe(false);
  });

  it("writes the unit pinned to this installation, and the DATABASE_URL only into a 0600 env file", async () => {
    const res = await runCli(
      ["service", "install", "--user", "--port", "8500", "--json"],
      env({ DATABASE_URL: "postgresql://tg:s3cret@127.0.0.1:5432/tg" }),
    );
    expect(res.code).toBe(0);
    const out = JSON.parse(res.stdout);
    expect(out.unitPath).toBe(join(fakeHome, ".config", "systemd", "user", "tollgate.service"));
    const unit = readFileSync(out.unitPath, "utf8");
    expect(unit).toContain("--port 8500");
    expect(unit).toContain(`Environment=TOLLGATE_HOME=${join(fakeHome, "data")}`);
    expect(unit).not.toContain("s3cret");
    expect(statSync(out.environmentFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(out.environmentFile, "utf8")).toContain("s3cret");
    if (!out.systemdRunning) expect(out.steps.join("\n")).toContain("systemctl --user daemon-reload");
  });

  it("refuses a bad port as a usage error", async () => {
    const res = await runCli(["service", "install", "--user", "--port", "99999"], env());
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("--port");
  });
});
