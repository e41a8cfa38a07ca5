import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SecretStore, SettingsStore } from "@tollgate/core/secrets/secret-store";
import { type Devnet, startDevnet } from "../start-devnet.ts";
import { createMemorySecretStore, createMemorySettingsStore } from "./memory-stores.ts";

/** A devnet in a fresh temporary home with in-memory stores; `cleanup()` stops it and removes the home. */
export async function startTestDevnet(): Promise<{
  devnet: Devnet;
  home: string;
  secrets: SecretStore;
  settings: SettingsStore;
  cleanup(): Promise<void>;
}> {
  const home = mkdtempSync(join(tmpdir(), "tollgate-devnet-"));
  const secrets = createMemorySecretStore();
  const settings = createMemorySettingsStore();
  const devnet = await startDevnet({ home, secrets, settings });
  return {
    devnet,
    home,
    secrets,
    settings,
    async cleanup() {
      await devnet.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
