import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** How to launch anvil: the real binary when found, else the npm wrapper script run by node. */
export interface AnvilCommand {
  command: string;
  args: string[];
  /** True for the node wrapper, which does not forward SIGKILL: run it in its own process group. */
  viaWrapper: boolean;
}

const archNames: Partial<Record<string, string>> = { x64: "amd64", arm64: "arm64" };

/**
 * Finds the anvil binary shipped in `@foundry-rs/anvil-<os>-<arch>` (resolved from `@foundry-rs/anvil`), so
 * signals reach anvil itself; falls back to the package's `bin.mjs` wrapper.
 */
export function resolveAnvilCommand(): AnvilCommand {
  const require = createRequire(import.meta.url);
  const wrapperPackageJson = require.resolve("@foundry-rs/anvil/package.json");
  const wrapperDir = dirname(wrapperPackageJson);
  const arch = archNames[process.arch];
  if (arch) {
    const platformPackage = `@foundry-rs/anvil-${process.platform}-${arch}`;
    try {
      const binary = createRequire(wrapperPackageJson).resolve(`${platformPackage}/bin/anvil`);
      if (existsSync(binary)) return { command: binary, args: [], viaWrapper: false };
    } catch {
      // Not installed for this platform: use the wrapper below.
    }
  }
  return { command: process.execPath, args: [join(wrapperDir, "bin.mjs")], viaWrapper: true };
}
