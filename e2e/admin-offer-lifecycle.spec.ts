import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { logIn } from "./fixtures.ts";

let upstream: Server;
let upstreamUrl: string;

test.beforeAll(async () => {
  // A real upstream for the new offer: /health answers 200, everything else a JSON greeting.
  upstream = createServer((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(req.url === "/health" ? { ok: true } : { answer: "e2e upstream says hi" }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
});

test("the owner creates an offer (field errors first), sees it Ready and paid live, drains it, deletes it", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await logIn(page, "/admin/offers/new");

  // A bad price is refused inline by the shared schema, before anything is sent.
  await page.getByLabel("Name").fill("e2e-weather");
  await page.getByLabel("Upstream URL").fill(upstreamUrl);
  await page.getByLabel("Description").fill("Weather for tests");
  await page.getByLabel("Price").fill("0");
  await page.getByRole("button", { name: "Create offer" }).click();
  await expect(page.getByText("must be greater than zero")).toBeVisible();
  await expect(page.getByLabel("Price")).toHaveAttribute("aria-invalid", "true");

  // A name the server refuses (a live offer has it) comes back as a field error too.
  await page.getByLabel("Name").fill("hello");
  await page.getByLabel("Price").fill("0.002");
  await page.getByRole("button", { name: "Create offer" }).click();
  await expect(page.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Name").fill("e2e-weather");
  await page.getByRole("button", { name: "Create offer" }).click();
  await expect(page).toHaveURL(/\/admin\/offers\/e2e-weather$/);
  await expect(page.getByTestId("offer-ready")).toHaveText("Ready", { timeout: 20_000 });
  await expect(page.getByTestId("settled-count")).toHaveText("0");
  await expect(page.getByTestId("last-settlement")).toHaveText("none yet");

  // A test buyer pays (the devnet buyer, through the real gateway); the page updates without a reload.
  const paid = await request.post("/trpc/storefront.tryDevnetOffer", { data: { name: "e2e-weather" } });
  expect(paid.ok()).toBe(true);
  const started = Date.now();
  await expect(page.getByTestId("settled-count")).toHaveText("1", { timeout: 3_000 });
  expect(Date.now() - started).toBeLessThan(3_000);
  await expect(page.getByTestId("offer-revenue")).toContainText("0.002 USDC");
  await expect(page.getByTestId("last-settlement")).toContainText("ago");
  await expect(page.getByRole("region", { name: "Payments" }).getByTestId("payment-row")).toHaveCount(1);

  // Stop with a short grace: the storefront shows it draining.
  await page.getByRole("button", { name: "Stop…" }).click();
  await page.getByLabel("Grace in seconds").fill("120");
  await page.getByRole("button", { name: "Confirm stop" }).click();
  await expect(page.getByText(/Stopped: draining until/)).toBeVisible();
  await expect(page.getByTestId("offer-state")).toHaveText("draining");

  const storefront = await page.context().newPage();
  await storefront.goto("/");
  const card = storefront.getByRole("article", { name: "e2e-weather" });
  await expect(card).toContainText("draining · ends");

  // Delete: gone from the storefront.
  await page.getByRole("button", { name: "Delete…" }).click();
  await page.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page).toHaveURL(/\/admin\/offers$/);
  await expect(page.getByTestId("offer-row-e2e-weather")).toHaveCount(0);
  await storefront.reload();
  await expect(storefront.getByRole("article", { name: "hello" })).toBeVisible();
  await expect(storefront.getByRole("article", { name: "e2e-weather" })).toHaveCount(0);
});

test("the payments page lists the ledger and exports it as CSV", async ({ page }) => {
  await logIn(page, "/admin/payments");
  await expect(page.getByTestId("payment-row").first()).toBeVisible();
  const download = page.waitForEvent("download");
  // The export streams from the server (every row the filters match), as a download.
  await page.getByRole("link", { name: "Export CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^tollgate-payments-\d{8}T\d{6}Z\.csv$/);
});

test("tokens: create with a scope shows the secret once; revoke asks first", async ({ page }) => {
  await logIn(page, "/admin/tokens");
  await page.getByLabel("Token name").fill("e2e-reader");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token")).toHaveText(/^tg_/);
  const row = page.getByRole("row", { name: /e2e-reader/ });
  await row.getByRole("button", { name: "Revoke…" }).click();
  await row.getByRole("button", { name: "Confirm revoke e2e-reader" }).click();
  await expect(row).toContainText("revoked");
});
