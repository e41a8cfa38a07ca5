import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { renderSystemdUnit, type UnitOptions } from "./render-systemd-unit.ts";

export interface InstallResult {
  unitPath: string;
  unit: string;
  environmentFile: string | null;
  written: boolean;
  enabled: boolean;
  systemdRunning: boolean;
  /** What happened or what the operator should do next, one line each. */
  steps: string[];
}

/** Writes (unless dryRun) and, where systemd runs, enables and starts the Tollgate unit. */
export function installService(options: {
  scope: "system" | "user";
  dryRun: boolean;
  unit: Omit<UnitOptions, "environmentFile" | "scope">;
  databaseUrl: string | undefined;
}): InstallResult {
  const { scope, dryRun } = options;
  if (scope === "system" && userInfo().uid !== 0 && !dryRun) {
    throw new Error("installing a system unit needs root; use --user for a per-user unit, or run with sudo");
  }
  const unitPath =
    scope === "system"
      ? "/etc/systemd/system/tollgate.service"
      : join(homedir(), ".config", "systemd", "user", "tollgate.service");
  // DATABASE_URL may carry a password: keep it out of the world-readable unit.
  const environmentFile = options.databaseUrl ? join(options.unit.home, "service.env") : null;
  const unit = renderSystemdUnit({ ...options.unit, environmentFile, scope });
  const systemdRunning = existsSync("/run/systemd/system");
  const ctl = scope === "user" ? ["systemctl", "--user"] : ["systemctl"];
  const steps: string[] = [];
  if (dryRun) {
    steps.push(`would write ${unitPath}`);
    if (environmentFile) steps.push(`would write ${environmentFile} (mode 0600) with DATABASE_URL`);
    return { unitPath, unit, environmentFile, written: false, enabled: false, systemdRunning, steps };
  }
  mkdirSync(dirname(unitPath), { recursive: true });
  writeFileSync(unitPath, unit, { mode: 0o644 });
  steps.push(`wrote ${unitPath}`);
  if (environmentFile && options.databaseUrl) {
    mkdirSync(options.unit.home, { recursive: true, mode: 0o700 });
    writeFileSync(environmentFile, `DATABASE_URL=${options.databaseUrl}\n`, { mode: 0o600 });
    chmodSync(environmentFile, 0o600);
    steps.push(`wrote ${environmentFile} (mode 0600)`);
  }
  let enabled = false;
  if (systemdRunning) {
    for (const args of [["daemon-reload"], ["enable", "--now", "tollgate.service"]]) {
      const res = spawnSync(ctl[0] as string, [...ctl.slice(1), ...args], { encoding: "utf8" });
      if (res.status !== 0) {
        steps.push(`${ctl.join(" ")} ${args.join(" ")} failed: ${(res.stderr || res.stdout || "").trim()}`);
        return { unitPath, unit, environmentFile, written: true, enabled, systemdRunning, steps };
      }
      steps.push(`ran ${ctl.join(" ")} ${args.join(" ")}`);
    }
    enabled = true;
    if (scope === "user")
      steps.push(`to start it at boot without a login: loginctl enable-linger ${userInfo().username}`);
  } else {
    steps.push("systemd is not running here: the unit was written but not enabled");
    steps.push(
      `on a systemd host run: ${ctl.join(" ")} daemon-reload && ${ctl.join(" ")} enable --now tollgate.service`,
    );
  }
  return { unitPath, unit, environmentFile, written: true, enabled, systemdRunning, steps };
}
