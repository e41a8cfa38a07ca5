import { z } from "zod";

/** The SettingsStore key of the public base URL (the origin buyers reach: a tunnel or TLS proxy URL). */
export const publicBaseUrlSettingKey = "publicBaseUrl";

/** An http(s) origin with an optional path prefix, stored without a trailing slash, query or fragment. */
export const publicBaseUrlSchema = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = new URL(value);
    return !url.search && !url.hash && !url.username && !url.password;
  }, "must be a plain http(s) URL without query, fragment or credentials")
  .transform((value) => normalizePublicBaseUrl(value));

/** Strips a trailing slash: `https://seller.example/` → `https://seller.example`. */
export function normalizePublicBaseUrl(value: string): string {
  const url = new URL(value);
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}

/** An absolute URL on the public origin for a path (absolute URLs pass through). */
export function toPublicUrl(publicBaseUrl: string, path: string): string {
  if (/^https?:\/\//.test(path)) return path;
  return `${publicBaseUrl.replace(/\/+$/, "")}${path.startsWith("/") ? "" : "/"}${path}`;
}
