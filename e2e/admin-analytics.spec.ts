import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { logIn, readOwnerToken } from "./fixtures.ts";

const run = promisify(execFile);
const repoRoot = join(import.meta.dirname, "..");

/** `tollgate stats --json` against the server under test. */
async function statsJson(baseURL: string, since: string) {
  const { stdout } = await run(
    process.execPath,
    [
      join(repoRoot, "apps/api/bin/tollgate.mjs"),
      "--json",
      "--url",
      baseURL,
      "--token",
      readOwnerToken(),
      "stats",
      "--since",
      since,
    ],
    { cwd: repoRoot },
  );
  return JSON.parse(stdout) as {
    funnel: { challenges: number; verified: number; settled: number };
    revenue: { totals: { testTotals: { display: string; symbol: string }[] } };
  };
}

const count = async (text: Promise<string | null>) => Number((await text)?.replaceAll(/[^0-9]/g, ""));

test("a paid request shows up in the live ticker and moves the revenue chart and the funnel, without a reload", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await logIn(page, "/admin");
  const settled = page.getByTestId("funnel-settled");
  await expect(settled).toBeVisible();
  const settledBefore = await count(settled.textContent());
  const verifiedBefore = await count(page.getByTestId("funnel-verified").textContent());
  const chartBefore = BigInt((await page.getByTestId("revenue-chart").getAttribute("data-total")) ?? "0");

  // The devnet buyer pays the demo offer through the real gateway.
  const paid = await request.post("/trpc/storefront.tryDevnetOffer", { data: { name: "hello" } });
  expect(paid.ok()).toBe(true);

  await expect(page.getByTestId("live-ticker")).toContainText("hello");
  await expect(page.getByTestId("live-ticker")).toContainText("settled");
  await expect(settled).toHaveText(String(settledBefore + 1));
  await expect(page.getByTestId("funnel-verified")).toHaveText(String(verifiedBefore + 1));
  await expect
    .poll(async () => BigInt((await page.getByTestId("revenue-chart").getAttribute("data-total")) ?? "0"))
    .toBeGreaterThan(chartBefore);
  await expect(page.locator('[data-testid="revenue-chart"] svg rect').first()).toBeVisible();
});

test("tollgate stats --json and the overview agree on the same range", async ({ page, baseURL }) => {
  await logIn(page, "/admin");
  await page.getByText("7 d", { exact: true }).click();
  await expect(page.getByRole("radio", { name: "7 d" })).toBeChecked();
  const stats = await statsJson(baseURL ?? "", "7d");
  await expect(page.getByTestId("funnel-settled")).toHaveText(String(stats.funnel.settled));
  await expect(page.getByTestId("funnel-verified")).toHaveText(String(stats.funnel.verified));
  const testTotal = stats.revenue.totals.testTotals.map((t) => `${t.display} ${t.symbol}`).join(" + ") || "0";
  await expect(page.getByTestId("revenue-test-total")).toHaveText(testTotal);
});

test("the payments list filters combine, and the CSV export streams what they match", async ({ page }) => {
  await logIn(page, "/admin/payments");
  await page.getByLabel("Offer").fill("hello");
  await page.getByLabel("State").selectOption("settled");
  await page.getByLabel("Chain").fill("local");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("payment-row").first()).toBeVisible();
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  expect(href).toContain("offer=hello");
  expect(href).toContain("state=settled");
  const csv = await page.request.get(href ?? "");
  expect(csv.headers()["content-type"]).toContain("text/csv");
  const lines = (await csv.text()).trim().split("\r\n");
  expect(lines[0]).toMatch(/^id,createdAt,settledAt,offerName,chain/);
  expect(lines.length).toBeGreaterThan(1);
  expect(lines.slice(1).every((line) => line.includes(",hello,local,") && line.includes(",settled,"))).toBe(true);

  await page.getByLabel("Payer").fill("not-an-address");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByText("Could not load payments")).toBeVisible();
  await expect(page.getByText(/a 0x address/)).toBeVisible();
});

test("axe finds no serious or critical violations on the overview, an offer page and the payments list", async ({
  page,
}) => {
  await logIn(page, "/admin");
  for (const path of ["/admin", "/admin/offers/hello", "/admin/payments"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    if (path !== "/admin/payments") await expect(page.getByTestId("funnel-settled")).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${path}: ${v.id} ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  }
});
