import type { LedgerSnapshot } from "@tollgate/db";
import {
  type DevnetSetting,
  devnetSecretNames,
  devnetSettingKey,
  devnetSettingSchema,
} from "../chain/devnet-setting.ts";

/**
 * What an import does about the local devnet (SPEC §10: an import never leaves a box that silently
 * serves nothing):
 * - `none`: the bundle has no devnet, or no active offer depends on it;
 * - `restored`: the bundle's devnet resumes (its keys are in the bundle or already in this home);
 * - `repointed`: `--keep-local-devnet`: this box keeps its devnet and the local offers move to it;
 * - `refused`: active offers would stay dead; `message` names what is missing and `hint` the fix.
 */
export type DevnetDecision =
  | { outcome: "none" | "restored"; message: string }
  | { outcome: "repointed"; message: string; keep: DevnetSetting; from: DevnetSetting }
  | { outcome: "refused"; message: string; hint: string; missing: string[] };

function parseDevnetSetting(value: unknown): DevnetSetting | null {
  const parsed = devnetSettingSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const sameAddress = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());

/** Decides what an import does with the local devnet; pure, so the dry run and the import agree. */
export function assessLocalDevnet(options: {
  snapshot: LedgerSnapshot;
  bundleHasDevnetState: boolean;
  /** Devnet secret names the bundle carries (opened with the passphrase). */
  bundleSecretNames: string[];
  /** The deployer address the devnet will use after the import (bundle's key, else this home's), or null. */
  deployerAfterImport: string | null;
  /** This home's own devnet record and whether its deployer key is here, or null when it never ran one. */
  thisBoxDevnet: DevnetSetting | null;
  keepLocalDevnet: boolean;
}): DevnetDecision {
  const from = parseDevnetSetting(options.snapshot.setting?.find((row) => row.key === devnetSettingKey)?.value);
  const localOffers = (options.snapshot.offer ?? []).filter((o) => o.chain === "local" && o.state === "active");
  const names = localOffers.map((o) => String(o.name));
  if (!from) return { outcome: "none", message: "the bundle has no devnet" };
  const resumes = options.bundleHasDevnetState && sameAddress(options.deployerAfterImport, from.accounts.deployer);
  const thisBox = options.thisBoxDevnet;
  if (options.keepLocalDevnet) {
    if (!thisBox) {
      return {
        outcome: "refused",
        message: "--keep-local-devnet: this home has no devnet yet to re-point the local offers at",
        hint: "start the server once on this home (it creates the devnet), stop it, then import again",
        missing: ["this box's devnet"],
      };
    }
    return {
      outcome: "repointed",
      message: `this box keeps its devnet (USDC ${thisBox.usdc}); ${names.length} active local offer(s) re-pointed at it${names.length ? `: ${names.join(", ")}` : ""}; the bundle's devnet state and local identities are not imported`,
      keep: thisBox,
      from,
    };
  }
  if (resumes) return { outcome: "restored", message: "the bundle's devnet resumes with its keys and contracts" };
  if (localOffers.length === 0)
    return { outcome: "none", message: "no active offer uses the local devnet; it starts with this box's keys" };
  const missing = Object.values(devnetSecretNames).filter((name) => !options.bundleSecretNames.includes(name));
  return {
    outcome: "refused",
    message: `import refused: ${names.length} active offer(s) on the local devnet (${names.join(", ")}) would not serve: the bundle's devnet belongs to keys that are not in it (${missing.join(", ")}), so its USDC contract would not be this box's`,
    hint: "export with --passphrase-file and import with the same --passphrase-file, or import with --keep-local-devnet to re-point the local offers at this box's devnet",
    missing,
  };
}

/** The snapshot to write for a re-pointed import: local offers on this box's devnet, its devnet record kept. */
export function repointLocalOffers(
  snapshot: LedgerSnapshot,
  decision: Extract<DevnetDecision, { outcome: "repointed" }>,
): LedgerSnapshot {
  const { keep, from } = decision;
  return {
    ...snapshot,
    offer: (snapshot.offer ?? []).map((o) =>
      o.chain !== "local"
        ? o
        : {
            ...o,
            asset: keep.usdc,
            payTo: sameAddress(String(o.payTo), from.accounts.seller) ? keep.accounts.seller : o.payTo,
          },
    ),
    setting: [
      ...(snapshot.setting ?? []).filter((row) => row.key !== devnetSettingKey),
      { key: devnetSettingKey, value: keep, updatedAt: new Date().toISOString() },
    ],
    // Registrations on the bundle's devnet name a registry and agent ids this chain does not have.
    identity: (snapshot.identity ?? []).filter((row) => row.chain !== "local"),
  };
}
