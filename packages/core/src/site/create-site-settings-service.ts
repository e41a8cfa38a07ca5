import type { AuditSink } from "../audit/audit-sink.ts";
import {
  normalizePublicBaseUrl,
  publicBaseUrlSchema,
  publicBaseUrlSettingKey,
  readStorefrontProfile,
  type StorefrontProfile,
  storefrontProfileSchema,
  storefrontProfileSettingKey,
} from "../discovery/index.ts";
import { TollgateError } from "../errors/error-codes.ts";
import type { EventPublisher } from "../events/event-bus.ts";
import type { SettingsStore } from "../secrets/secret-store.ts";
import { z } from "zod";

/** The public site settings as transports show them. */
export interface SiteSettingsView {
  publicBaseUrl: string;
  /** `setting`: stored in the ledger; `default`: TOLLGATE_PUBLIC_URL or the serve origin. */
  publicBaseUrlSource: "setting" | "default";
  defaultPublicBaseUrl: string;
  profile: StorefrontProfile;
}

/** A change to the site settings; `publicBaseUrl: null` goes back to the default. */
export const updateSiteSettingsInputSchema = z
  .object({
    publicBaseUrl: z.string().max(2048).nullable().optional(),
    displayName: storefrontProfileSchema.shape.displayName.optional(),
    tagline: storefrontProfileSchema.shape.tagline.optional(),
    logoUrl: z.string().max(2048).optional(),
  })
  .strict();
export type UpdateSiteSettingsInput = z.infer<typeof updateSiteSettingsInputSchema>;

export const siteSettingsViewSchema = z.object({
  publicBaseUrl: z.string(),
  publicBaseUrlSource: z.enum(["setting", "default"]),
  defaultPublicBaseUrl: z.string(),
  profile: z.object({ displayName: z.string(), tagline: z.string(), logoUrl: z.string() }),
});

function refuse(field: string, message: string, hint?: string): never {
  throw new TollgateError("VALIDATION_FAILED", message, hint ? { field, hint } : { field });
}

/**
 * The public base URL (ledger setting `publicBaseUrl`, default TOLLGATE_PUBLIC_URL or the serve origin) and
 * the storefront profile. Values are cached in memory (`currentPublicBaseUrl()` is synchronous for hot
 * paths); every change publishes `settings.changed`, on which the documents re-render and the registrar
 * updates on-chain agentURIs.
 */
export function createSiteSettingsService({
  settings,
  defaultPublicBaseUrl,
  audit,
  events,
}: {
  settings: SettingsStore;
  defaultPublicBaseUrl: string;
  audit?: AuditSink | undefined;
  events?: EventPublisher | undefined;
}) {
  const fallback = normalizePublicBaseUrl(defaultPublicBaseUrl);
  const changed = () => events?.publish({ type: "settings.changed", key: "site", at: new Date().toISOString() });
  let cached: SiteSettingsView | null = null;

  async function load(): Promise<SiteSettingsView> {
    const stored = publicBaseUrlSchema.safeParse(await settings.get(publicBaseUrlSettingKey));
    cached = {
      publicBaseUrl: stored.success ? stored.data : fallback,
      publicBaseUrlSource: stored.success ? "setting" : "default",
      defaultPublicBaseUrl: fallback,
      profile: readStorefrontProfile(await settings.get(storefrontProfileSettingKey)),
    };
    return cached;
  }

  const get = async () => cached ?? (await load());

  return {
    get,
    async getPublicBaseUrl(): Promise<string> {
      return (await get()).publicBaseUrl;
    },
    async getProfile(): Promise<StorefrontProfile> {
      return (await get()).profile;
    },
    /** The last loaded public base URL (the default before the first load). */
    currentPublicBaseUrl(): string {
      return cached?.publicBaseUrl ?? fallback;
    },
    /** Reads the settings again without telling the bus (another replica changed them and said so). */
    async refresh(): Promise<void> {
      await load();
    },
    /** Reads the settings again (after the ledger was replaced by an import) and says so on the bus. */
    async reload(): Promise<SiteSettingsView> {
      const after = await load();
      changed();
      return after;
    },
    async update({ actor, input }: { actor: string; input: UpdateSiteSettingsInput }): Promise<SiteSettingsView> {
      const parsed = updateSiteSettingsInputSchema.safeParse(input);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        refuse(String(issue?.path[0] ?? "input"), issue?.message ?? "invalid input");
      }
      const patch = parsed.data;
      const before = await get();
      let url: string | null | undefined;
      if (patch.publicBaseUrl === null) url = null;
      else if (patch.publicBaseUrl !== undefined) {
        const checked = publicBaseUrlSchema.safeParse(patch.publicBaseUrl);
        if (!checked.success) {
          refuse(
            "publicBaseUrl",
            `Not a usable public URL: ${patch.publicBaseUrl}`,
            "Use the http(s) origin buyers reach, e.g. https://seller.example (no query or fragment)",
          );
        }
        url = checked.data;
      }
      const profile = { ...before.profile };
      if (patch.displayName !== undefined) profile.displayName = patch.displayName;
      if (patch.tagline !== undefined) profile.tagline = patch.tagline;
      if (patch.logoUrl !== undefined) profile.logoUrl = patch.logoUrl;
      const checkedProfile = storefrontProfileSchema.safeParse(profile);
      if (!checkedProfile.success) {
        const issue = checkedProfile.error.issues[0];
        refuse(String(issue?.path[0] ?? "profile"), issue?.message ?? "invalid profile");
      }
      // The store has no delete: an empty string reads as "unset" (the default applies).
      if (url !== undefined) await settings.set(publicBaseUrlSettingKey, url ?? "");
      if (JSON.stringify(checkedProfile.data) !== JSON.stringify(before.profile))
        await settings.set(storefrontProfileSettingKey, checkedProfile.data);
      const after = await load();
      if (JSON.stringify(after) !== JSON.stringify(before)) {
        await audit?.record({
          actor,
          action: "site.update",
          objectType: "Setting",
          objectId: "site",
          before: { publicBaseUrl: before.publicBaseUrl, profile: before.profile },
          after: { publicBaseUrl: after.publicBaseUrl, profile: after.profile },
        });
        changed();
      }
      return after;
    },
  };
}

export type SiteSettingsService = ReturnType<typeof createSiteSettingsService>;
