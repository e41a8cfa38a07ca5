import { z } from "zod";

/** The only bundle format this version reads and writes. */
export const bundleVersion = 1;

export const bundleComponentNames = ["ledger", "credentials", "payments", "secrets", "devnet"] as const;
export type BundleComponentName = (typeof bundleComponentNames)[number];

export const bundleComponentSchema = z.object({
  name: z.enum(bundleComponentNames),
  included: z.boolean(),
  notes: z.array(z.string().max(500)).max(20),
});

/** `manifest.json`, the first entry of every bundle (SPEC §10). */
export const bundleManifestSchema = z.object({
  version: z.literal(bundleVersion),
  tollgateVersion: z.string().max(50),
  createdAt: z.iso.datetime({ offset: true }),
  components: z.array(bundleComponentSchema).max(20),
});
export type BundleManifest = z.infer<typeof bundleManifestSchema>;

/** Limits that make a hostile archive fail early (SPEC §10). */
export const bundleLimits = {
  manifestBytes: 1024 * 1024,
  /** Decompression-bomb guard: abort once this many bytes are out AND the ratio is above `maxRatio`. */
  bombBytes: 64 * 1024 * 1024,
  maxRatio: 100,
} as const;

/** Entry names inside a bundle, as the exporter writes them. */
export const bundleEntries = {
  manifest: "manifest.json",
  ledger: "ledger/ledger.json",
  payments: "ledger/payments.json",
  secrets: "secrets/secrets.enc.json",
  devnetState: "devnet/state.json",
} as const;

/**
 * Why an archive entry name is unsafe (absolute, `..`, backslashes, control characters), or null
 * when it is a plain relative path.
 */
export function unsafeEntryNameReason(name: string): string | null {
  if (name.length === 0) return "empty entry name";
  if (name.startsWith("/")) return `absolute entry name "${name}"`;
  if ([...name].some((ch) => ch.charCodeAt(0) < 0x20 || ch === "\\"))
    return `entry name with control characters or backslashes "${name}"`;
  if (name.split("/").some((part) => part === "..")) return `entry name escaping the archive root "${name}"`;
  return null;
}

/**
 * Whether a link at `entryName` pointing to `target` stays inside the archive root
 * (relative targets resolve against the entry's directory).
 */
export function linkStaysInside(entryName: string, target: string): boolean {
  if (target.startsWith("/")) return false;
  const parts = entryName.split("/").slice(0, -1);
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return false;
      parts.pop();
    } else parts.push(part);
  }
  return true;
}
