/** Options that decide the unit's content. */
export interface UnitOptions {
  /** Absolute path of the node binary that ran the install (pinned: no PATH lookup at boot). */
  nodePath: string;
  /** Absolute path of the `tollgate` entry script that ran the install. */
  binPath: string;
  workingDirectory: string;
  home: string;
  host: string;
  port: number;
  /** Environment file holding settings that may carry secrets (DATABASE_URL). */
  environmentFile: string | null;
  scope: "system" | "user";
}

/** Quotes a value for systemd's ExecStart/Environment when it holds spaces or specials. */
function quote(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `"${value.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;
}

/**
 * The systemd unit for `tollgate serve`: starts at boot after the network is up, restarts on
 * failure, stops the server (which stops its database and devnet) before killing anything else.
 */
export function renderSystemdUnit(o: UnitOptions): string {
  const lines = [
    "# Written by `tollgate service install`. Re-run it after moving the installation.",
    "[Unit]",
    "Description=Tollgate seller console (x402 storefront, gateway and ledger)",
    `Documentation=file://${o.workingDirectory}/README.md`,
    "Wants=network-online.target",
    `After=network-online.target${o.scope === "system" ? " postgresql.service" : ""}`,
    "StartLimitIntervalSec=300",
    "StartLimitBurst=10",
    "",
    "[Service]",
    "Type=simple",
    `WorkingDirectory=${quote(o.workingDirectory)}`,
    `Environment=TOLLGATE_HOME=${quote(o.home)}`,
    "Environment=TOLLGATE_LOG_FORMAT=json",
    "Environment=NEXT_TELEMETRY_DISABLED=1",
    ...(o.environmentFile ? [`EnvironmentFile=-${o.environmentFile}`] : []),
    `ExecStart=${quote(o.nodePath)} ${quote(o.binPath)} serve --host ${quote(o.host)} --port ${o.port}`,
    "Restart=on-failure",
    "RestartSec=3",
    // The server stops its embedded PostgreSQL and devnet itself on SIGTERM; only then kill leftovers.
    "KillMode=mixed",
    "TimeoutStopSec=45",
    "",
    "[Install]",
    `WantedBy=${o.scope === "system" ? "multi-user.target" : "default.target"}`,
    "",
  ];
  return lines.join("\n");
}
