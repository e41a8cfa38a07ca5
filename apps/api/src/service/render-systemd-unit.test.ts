import { describe, expect, it } from "vitest";
import { renderSystemdUnit } from "./render-systemd-unit.ts";

const base = {
  nodePath: "/opt/node-20/bin/node",
  binPath: "/srv/tollgate/apps/api/bin/tollgate.mjs",
  workingDirectory: "/srv/tollgate",
  home: "/var/lib/tollgate home",
  host: "127.0.0.1",
  port: 8402,
  environmentFile: null,
  scope: "system" as const,
};

describe("renderSystemdUnit", () => {
  it("pins the node binary and entry script that ran the install, and carries TOLLGATE_HOME", () => {
    const unit = renderSystemdUnit(base);
    expect(unit).toContain(
      "ExecStart=/opt/node-20/bin/node /srv/tollgate/apps/api/bin/tollgate.mjs serve --host 127.0.0.1 --port 8402",
    );
    expect(unit).toContain('Environment=TOLLGATE_HOME="/var/lib/tollgate home"');
    expect(unit).not.toMatch(/ExecStart=(node|tollgate|pnpm) /);
  });

  it("waits for the network, restarts on failure, lets the server stop its children first", () => {
    const unit = renderSystemdUnit(base);
    expect(unit).toContain("After=network-online.target");
    expect(unit).toContain("Wants=network-online.target");
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("KillMode=mixed");
    expect(unit).toContain("WantedBy=multi-user.target");
  });

  it("user units start with the user's session; secrets go to an environment file, never the unit", () => {
    const unit = renderSystemdUnit({
      ...base,
      scope: "user",
      environmentFile: "/home/a/.local/share/tollgate/service.env",
    });
    expect(unit).toContain("WantedBy=default.target");
    expect(unit).toContain("EnvironmentFile=-/home/a/.local/share/tollgate/service.env");
    expect(unit).not.toContain("DATABASE_URL");
  });
});
