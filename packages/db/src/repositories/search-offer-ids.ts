import type { OfferSearchFacets, OfferSearchQuery, OfferSearchScope, OfferType } from "@tollgate/core";
import { Prisma } from "../generated/prisma/client.ts";
import type { Db } from "../prisma-client.ts";

// Prisma stores `timestamp(3)` without a zone, in UTC: compare with a UTC wall-clock literal.
const utc = (date: Date) => Prisma.sql`CAST(${date.toISOString()} AS timestamp(3))`;

/** The end of a stopped offer's drain is still ahead of `now`. */
const draining = (now: Date) =>
  Prisma.sql`(o."state" = 'stopped' AND o."drainAt" IS NOT NULL AND o."drainAt" + make_interval(secs => COALESCE(o."drainGraceSeconds", 0)) > ${utc(now)})`;

/**
 * The offers a scope covers. Listed = what the discovery documents list (SPEC §4.2): serving at `now`
 * (active, or draining before its end), on a chain the listing knows, and operationally ready. Readiness
 * is the trigger-kept `operationallyReady` column, recomputed whenever the reconciler writes a condition.
 */
function scopeFilter(scope: OfferSearchScope): Prisma.Sql {
  if (scope.kind === "listed") {
    return Prisma.sql`o."operationallyReady" AND (o."state" = 'active' OR ${draining(scope.now)})
      AND o."chain" = ANY(${[...scope.chains]})`;
  }
  switch (scope.state) {
    case "live":
      return Prisma.sql`o."state" <> 'deleted'`;
    case "active":
      return Prisma.sql`o."state" = 'active'`;
    case "draining":
      return draining(scope.now);
    case "stopped":
      return Prisma.sql`(o."state" = 'stopped' AND NOT ${draining(scope.now)})`;
    case "deleted":
      return Prisma.sql`o."state" = 'deleted'`;
    case "all":
      return Prisma.sql`TRUE`;
  }
}

/** `%word%` for LIKE, with the pattern characters of the word taken literally. */
const containing = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Words, type and category; the trigger-kept `searchText` is matched through its trigram index. */
function searchFilter(query: OfferSearchQuery): Prisma.Sql[] {
  const parts = query.words.map((word) => Prisma.sql`o."searchText" LIKE ${containing(word.toLowerCase())}`);
  if (query.type) parts.push(Prisma.sql`o."type" = CAST(${query.type} AS "OfferType")`);
  if (query.category) parts.push(Prisma.sql`o."listingCategory" = ${query.category}`);
  return parts;
}

const orderBy = (scope: OfferSearchScope) =>
  scope.kind === "listed"
    ? Prisma.sql`o."listingWeight" DESC, o."name" COLLATE "C" ASC, o."id" ASC`
    : Prisma.sql`o."name" COLLATE "C" ASC, o."createdAt" DESC, o."id" ASC`;

const categoryFacetLimit = 50;

/**
 * The ids of one page of offers matching a search, in display order, with the total and the scope's
 * facets: three bounded queries, none of which loads offers beyond the page.
 */
export async function searchOfferIds(
  db: Db,
  query: OfferSearchQuery,
): Promise<{ ids: string[]; total: number; facets: OfferSearchFacets }> {
  const scope = scopeFilter(query.scope);
  const filters = searchFilter(query);
  const where = Prisma.join([scope, ...filters], " AND ");
  const offset = (query.page - 1) * query.pageSize;
  const [pageRows, facetRows, totalRows] = await Promise.all([
    db.$queryRaw<{ id: string }[]>`
      SELECT o."id" FROM "Offer" o WHERE ${where}
      ORDER BY ${orderBy(query.scope)} LIMIT ${query.pageSize} OFFSET ${offset}`,
    db.$queryRaw<{ type: OfferType; category: string | null; count: number }[]>`
      SELECT o."type"::text AS "type", o."listingCategory" AS "category", count(*)::int AS "count"
      FROM "Offer" o WHERE ${scope} GROUP BY 1, 2`,
    filters.length
      ? db.$queryRaw<{ count: number }[]>`SELECT count(*)::int AS "count" FROM "Offer" o WHERE ${where}`
      : Promise.resolve(null),
  ]);
  const facets = toFacets(facetRows);
  return { ids: pageRows.map((r) => r.id), total: totalRows ? (totalRows[0]?.count ?? 0) : facets.total, facets };
}

function toFacets(rows: { type: OfferType; category: string | null; count: number }[]): OfferSearchFacets {
  const types = new Map<OfferType, number>();
  const categories = new Map<string, number>();
  let total = 0;
  for (const row of rows) {
    total += row.count;
    types.set(row.type, (types.get(row.type) ?? 0) + row.count);
    if (row.category) categories.set(row.category, (categories.get(row.category) ?? 0) + row.count);
  }
  return {
    total,
    types: [...types].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type)),
    categories: [...categories]
      .map(([category, count]) => ({ category, count }))
      .sort((a, b) => b.count - a.count || (a.category < b.category ? -1 : 1))
      .slice(0, categoryFacetLimit),
  };
}
