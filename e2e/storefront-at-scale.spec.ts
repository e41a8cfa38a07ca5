import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { expectNoSeriousAxeViolations, logIn, ownerMutation } from "./fixtures.ts";

// SPEC §9 "Storefront at scale": 250 offers, one page of 24 at a time, searchable and keyboard-navigable.
const offerCount = 250;
const category = "scale-test";
const names = Array.from({ length: offerCount }, (_, i) => `scale-${String(i).padStart(3, "0")}`);
// One offer carries a word no other offer has, in its description only.
const needle = { name: "scale-137", word: "quokka" };

let upstream: Server;

async function inBatches(items: string[], size: number, run: (name: string) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
}

async function listedCount(request: APIRequestContext): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ category, pageSize: 1 }));
  const response = await request.get(`/trpc/storefront.search?input=${input}`);
  return ((await response.json()) as { result: { data: { total: number } } }).result.data.total;
}

const cards = (page: Page) => page.getByRole("region", { name: "Offers" }).getByRole("article");

test.beforeAll(async ({ request }) => {
  test.setTimeout(300_000);
  // A healthy upstream on loopback for all 250 offers.
  upstream = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  await inBatches(names, 8, (name) =>
    ownerMutation(request, "offers.create", {
      name,
      upstream: url,
      description:
        name === needle.name
          ? `Scale test offer that counts every ${needle.word} on the island`
          : `Scale test offer ${name}: a plausible one-line description of what it sells`,
      listing: { category, weight: 0 },
      payment: { chain: "local", price: "0.001", unit: "request" },
      registration: { enabled: false },
    }),
  );
  // Listed once the reconciler has found each upstream healthy and the payment gate ready.
  await expect.poll(() => listedCount(request), { timeout: 180_000, intervals: [1_000] }).toBe(offerCount);
});

test.afterAll(async ({ request }) => {
  test.setTimeout(300_000);
  // The other specs see the usual storefront again.
  await inBatches(names, 8, (name) => ownerMutation(request, "offers.delete", { name }).catch(() => undefined));
  await new Promise((resolve) => upstream?.close(resolve));
});

test("the home page shows the first 24 of 250+ offers and the counts", async ({ page }) => {
  await page.goto("/");
  await expect(cards(page)).toHaveCount(24);
  const counts = page.getByTestId("offers-counts");
  await expect(counts).toContainText(/offers listed/);
  const listed = Number((await counts.textContent())?.match(/^([\d,]+) offers listed/)?.[1]?.replaceAll(",", ""));
  expect(listed).toBeGreaterThanOrEqual(offerCount);
  await expect(page.getByTestId("offers-summary")).toHaveText(`Showing 1–24 of ${listed.toLocaleString("en-US")}.`);
  await expect(page.getByRole("navigation", { name: "Pages of offers" })).toBeVisible();
  await expectNoSeriousAxeViolations(page);
});

test("the search box finds an offer by a word of its description; a word nothing has says so", async ({ page }) => {
  await page.goto("/");
  const search = page.getByRole("searchbox", { name: "Search offers" });
  await search.fill(needle.word);
  await search.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${needle.word}`));
  await expect(cards(page)).toHaveCount(1);
  await expect(cards(page).first()).toHaveAccessibleName(needle.name);
  await expect(page.getByTestId("offers-summary")).toContainText(`1 offer matches “${needle.word}”`);

  await page.getByRole("searchbox", { name: "Search offers" }).fill("zebra-crossing-nowhere");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { name: "No offers match “zebra-crossing-nowhere”" })).toBeVisible();
  await expect(cards(page)).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
  await page.getByRole("link", { name: "Clear the search and show every offer" }).click();
  await expect(cards(page)).toHaveCount(24);
});

test("pages are links the keyboard reaches and follows, and each page has its own URL", async ({ page }) => {
  await page.goto(`/?category=${category}`);
  await expect(cards(page).first()).toHaveAccessibleName("scale-000");
  const pages = page.getByRole("navigation", { name: "Pages of matching offers" });
  await expect(pages.getByRole("link", { name: "Page 1", exact: true })).toHaveAttribute("aria-current", "page");
  await expect(pages.getByRole("link", { name: "Page 11", exact: true })).toBeVisible(); // 250 / 24 → 11 pages

  // Tab from the search box to "Next page", then Enter.
  await page.getByRole("searchbox", { name: "Search offers" }).focus();
  const next = pages.getByRole("link", { name: "Next page" });
  for (let i = 0; i < 80 && !(await next.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press("Tab");
  }
  await expect(next).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(cards(page).first()).toHaveAccessibleName("scale-024");
  await expect(cards(page)).toHaveCount(24);
  await expect(pages.getByRole("link", { name: "Page 2", exact: true })).toHaveAttribute("aria-current", "page");

  // Shift+Tab back from "Next page" to the page numbers and follow "Page 11" with Enter.
  const last = pages.getByRole("link", { name: "Page 11", exact: true });
  await pages.getByRole("link", { name: "Next page" }).focus();
  await page.keyboard.press("Shift+Tab");
  await expect(last).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/[?&]page=11/);
  await expect(cards(page)).toHaveCount(250 - 10 * 24);
  await expect(cards(page).last()).toHaveAccessibleName("scale-249");

  // The URL is the state: reloading shows the same page.
  await page.reload();
  await expect(cards(page).first()).toHaveAccessibleName("scale-240");
});

test("the admin offers table pages and searches the same way", async ({ page }) => {
  await logIn(page, "/admin/offers");
  await page.getByRole("searchbox", { name: "Search" }).fill(needle.word);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/offers\\?q=${needle.word}`));
  await expect(page.getByTestId(`offer-row-${needle.name}`)).toBeVisible();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2); // header + one offer

  await page.goto(`/admin/offers?category=${category}`);
  await expect(page.getByTestId("offer-row-scale-000")).toBeVisible();
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(51);
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(page).toHaveURL(/page=2/);
  await expect(page.getByTestId("offer-row-scale-050")).toBeVisible();
  await expect(page.getByTestId("offer-row-scale-000")).toHaveCount(0);
  await expectNoSeriousAxeViolations(page);
});
