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

/**
 * Reserved after offers already existed (SPEC §4.3 list extended): refused for new and changed offer paths,
 * but a stored offer on one of them keeps serving with a warning, so these never stop a route.
 */
export const laterReservedPathPrefixes = [
  "/offers",
  "/agents",
  "/schemas",
  "/healthz",
  "/readyz",
  "/favicon.ico",
  "/logo.svg",
  "/robots.txt",
] as const;

/** Paths refused exactly (their children are fine: `/services/<name>` is the default). */
export const reservedExactPaths = ["/", "/services"] as const;

function matchPrefix(path: string, prefixes: readonly string[]): string | null {
  const lower = path.toLowerCase();
  for (const prefix of prefixes) {
    if (lower === prefix || lower.startsWith(`${prefix}/`)) return prefix;
  }
  return null;
}

function trimPath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, "") : path;
}

/** The reserved path a published route may never take (the route is refused), or null. */
export function findReservedPath(path: string): string | null {
  const trimmed = trimPath(path);
  if ((reservedExactPaths as readonly string[]).includes(trimmed)) return trimmed;
  return matchPrefix(trimmed, reservedPathPrefixes);
}

/** The reserved path a new or changed offer path collides with (the full list), or null. */
export function findReservedPathForNewOffer(path: string): string | null {
  return findReservedPath(path) ?? matchPrefix(trimPath(path), laterReservedPathPrefixes);
}
