import { describe, expect, it } from "vitest";
import { adminOffersHref, parseAdminOffersQuery } from "./admin-offers-query.ts";
import { pageWindow, parseStorefrontQuery, storefrontHref } from "./storefront-query.ts";

describe("storefront query", () => {
  it("reads the URL's search, filters and page, and falls back on what it cannot read", () => {
    expect(parseStorefrontQuery({ q: "  tide tables ", type: "inference", category: "maps", page: "3" })).toEqual({
      q: "tide tables",
      type: "inference",
      category: "maps",
      page: 3,
    });
    expect(parseStorefrontQuery({ type: "printer", page: "-2" })).toEqual({
      q: "",
      type: null,
      category: null,
      page: 1,
    });
    expect(parseStorefrontQuery({ page: "2.5", q: ["first", "second"] })).toMatchObject({ q: "first", page: 1 });
    expect(parseStorefrontQuery({ page: "99999999" }).page).toBe(1);
    expect(parseStorefrontQuery({ q: "x".repeat(500) }).q).toHaveLength(200);
  });

  it("links to a query with empty parts left out", () => {
    expect(storefrontHref({ q: "", type: null, category: null, page: 1 })).toBe("/#offers");
    expect(storefrontHref({ q: "tide & co", type: "http", category: null, page: 2 })).toBe(
      "/?q=tide+%26+co&type=http&page=2#offers",
    );
  });

  it("shows the first, the last and the pages around the current one", () => {
    expect(pageWindow(1, 1)).toEqual([1]);
    expect(pageWindow(1, 11)).toEqual([1, 2, 3, null, 11]);
    expect(pageWindow(6, 11)).toEqual([1, null, 4, 5, 6, 7, 8, null, 11]);
    expect(pageWindow(4, 11)).toEqual([1, 2, 3, 4, 5, 6, null, 11]);
    expect(pageWindow(11, 11)).toEqual([1, null, 9, 10, 11]);
  });
});

describe("admin offers query", () => {
  it("adds the state filter to the storefront's query, `live` by default", () => {
    expect(parseAdminOffersQuery({ state: "draining", q: "tide", page: "2" })).toEqual({
      q: "tide",
      type: null,
      category: null,
      page: 2,
      state: "draining",
    });
    expect(parseAdminOffersQuery({ state: "gone" }).state).toBe("live");
    expect(adminOffersHref({ q: "tide", type: null, category: null, page: 2, state: "deleted" })).toBe(
      "/admin/offers?q=tide&state=deleted&page=2",
    );
    expect(adminOffersHref({ q: "", type: null, category: null, page: 1, state: "live" })).toBe("/admin/offers");
  });
});
