/** Paths an offer may not equal or live under (SPEC §4.3); `/` and `/services` themselves are also refused. */
export const reservedPathPrefixes = [
  "/api",
  "/trpc",
  "/admin",
  "/skill.md",
  "/openapi.json",
  "/metrics",
  "/.well-known",
  "/_next",
] as const;

/** Paths refused exactly (their children are fine: `/services/<name>` is the default). */
export const reservedExactPaths = ["/", "/services"] as const;

/** The reserved path an offer path collides with, or null when the path is free to use. */
export function findReservedPath(path: string): string | null {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
  if ((reservedExactPaths as readonly string[]).includes(trimmed)) return trimmed;
  const lower = trimmed.toLowerCase();
  for (const prefix of reservedPathPrefixes) {
    if (lower === prefix || lower.startsWith(`${prefix}/`)) return prefix;
  }
  return null;
}
