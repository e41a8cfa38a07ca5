import { z } from "zod";

/** The SettingsStore key of the storefront profile. */
export const storefrontProfileSettingKey = "storefront/profile";

/** What buyers see as the seller's name, tagline and logo (SPEC §3 Setting). */
export const storefrontProfileSchema = z.object({
  displayName: z.string().trim().min(1).max(80),
  tagline: z.string().trim().max(200),
  /** Absolute http(s) URL, or a path on the public origin (e.g. `/logo.png`). */
  logoUrl: z.union([z.url({ protocol: /^https?$/ }), z.string().regex(/^\/[^\s]*$/, "an absolute URL or a /path")]),
});

export type StorefrontProfile = z.infer<typeof storefrontProfileSchema>;

/** The profile used until the seller sets one. */
export const defaultStorefrontProfile: StorefrontProfile = {
  displayName: "Tollgate",
  tagline: "Paid APIs and inference, pay per request with x402.",
  logoUrl: "/logo.svg",
};

/** Reads a stored profile leniently: unreadable fields fall back to the defaults one by one. */
export function readStorefrontProfile(value: unknown): StorefrontProfile {
  const raw = (value && typeof value === "object" ? value : {}) as Record<string, unknown>;
  const field = <K extends keyof StorefrontProfile>(key: K): StorefrontProfile[K] => {
    const parsed = storefrontProfileSchema.shape[key].safeParse(raw[key]);
    return parsed.success ? (parsed.data as StorefrontProfile[K]) : defaultStorefrontProfile[key];
  };
  return { displayName: field("displayName"), tagline: field("tagline"), logoUrl: field("logoUrl") };
}
