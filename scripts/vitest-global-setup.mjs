// Global setup of the integration project: the tests spawn `tollgate` (apps/api/bin/tollgate.mjs),
// which runs the bundled CLIs only while they are current and the sources through tsx otherwise.
// Rebuilding a stale bundle here (about a second) lets every spawned server and CLI start from the
// sources as they are now without tsx's cost at each start.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { cliBundleIsCurrent } from "../apps/api/bin/cli-bundle.mjs";

export function setup() {
  if (cliBundleIsCurrent()) return;
  execFileSync(process.execPath, [fileURLToPath(new URL("build-cli.mjs", import.meta.url))], { stdio: "inherit" });
}
