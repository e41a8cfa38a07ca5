import type { PublishedRoute, RouteTable } from "@tollgate/core";

/**
 * The local driver's route table, read by the gateway on every request and changed one offer at a time by
 * the driver. `match` is a longest-prefix match on `/` boundaries (`/services/a` matches `/services/a` and
 * `/services/a/x`, never `/services/ab`); `rest` is what follows the prefix ("" for the prefix itself). A
 * lookup costs one map probe per path segment, whatever the number of routes.
 */
export function createInMemoryRouteTable(): RouteTable {
  const byOffer = new Map<string, PublishedRoute>();
  const byPath = new Map<string, PublishedRoute>();
  let listed: PublishedRoute[] | null = null;

  function unset(offerId: string): void {
    const old = byOffer.get(offerId);
    if (!old) return;
    byOffer.delete(offerId);
    // Another offer may have taken the path over already (a path conflict resolved in its favour).
    if (byPath.get(old.path)?.offerId === offerId) byPath.delete(old.path);
    listed = null;
  }

  return {
    match(pathname) {
      let prefix = pathname;
      while (prefix.length > 0) {
        const route = byPath.get(prefix);
        if (route) return { route, rest: pathname.slice(prefix.length) };
        const cut = prefix.lastIndexOf("/");
        if (cut <= 0) return null;
        prefix = prefix.slice(0, cut);
      }
      return null;
    },
    list() {
      listed ??= [...byOffer.values()].sort((a, b) => a.path.localeCompare(b.path));
      return listed;
    },
    replace(next) {
      byOffer.clear();
      byPath.clear();
      for (const route of next) {
        byOffer.set(route.offerId, route);
        byPath.set(route.path, route);
      }
      listed = null;
    },
    set(route) {
      unset(route.offerId);
      byOffer.set(route.offerId, route);
      byPath.set(route.path, route);
      listed = null;
    },
    delete: unset,
    get: (offerId) => byOffer.get(offerId) ?? null,
  };
}
