import type { PublishedRoute, RouteTable } from "@tollgate/core";

/**
 * The local driver's route table: replaced whole by the reconciler, read by the gateway on every request.
 * `match` is a longest-prefix match on `/` boundaries (`/services/a` matches `/services/a` and
 * `/services/a/x`, never `/services/ab`); `rest` is what follows the prefix ("" for the prefix itself).
 */
export function createInMemoryRouteTable(): RouteTable {
  let routes: PublishedRoute[] = [];
  // Longest paths first, so the first hit is the longest prefix.
  let byLength: PublishedRoute[] = [];
  return {
    match(pathname) {
      for (const route of byLength) {
        if (pathname === route.path) return { route, rest: "" };
        if (pathname.startsWith(route.path) && pathname.charAt(route.path.length) === "/") {
          return { route, rest: pathname.slice(route.path.length) };
        }
      }
      return null;
    },
    list: () => routes,
    replace(next) {
      routes = [...next];
      byLength = [...next].sort((a, b) => b.path.length - a.path.length);
    },
  };
}
