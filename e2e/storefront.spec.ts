import { expect, test } from "@playwright/test";
import { type DevnetInfo, expectNoSeriousAxeViolations, ownerQuery } from "./fixtures.ts";

interface Catalog {
  services: { name: string; network: string; payTo: string; amountPerRequest: string; price: string }[];
}

test("a buyer opens a devnet offer, uses Try it, sees 200 and a tx hash; the seller's balance rose by the price", async ({
  page,
  request,
}) => {
  const catalog = (await (await request.get("/api/services.json")).json()) as Catalog;
  const hello = catalog.services.find((s) => s.name === "hello");
  expect(hello?.network).toBe("local");
  const before = await ownerQuery<DevnetInfo>(request, "devnet.info");
  expect(before.accounts.seller.address).toBe(hello?.payTo);

  await page.goto("/");
  const offers = page.getByRole("region", { name: "Offers" });
  const card = offers.getByRole("article", { name: "hello" });
  await expect(card).toContainText("0.001 USDC/request");
  await expect(card).toContainText("available");
  await expect(card).toContainText("test chain");
  await expect(card).toContainText("demo");
  await card.getByRole("link", { name: "hello" }).click();

  await expect(page).toHaveURL(/\/offers\/hello$/);
  await expect(page.getByRole("heading", { level: 1, name: "hello" })).toBeVisible();
  await expect(page.getByText("1000", { exact: true }).first()).toBeVisible();
  for (const href of ["/api/services.json", "/skill.md", "/.well-known/agent-registration.json"]) {
    await expect(page.getByRole("main").locator(`a[href="${href}"]`)).toHaveCount(1);
  }
  await expect(page.getByRole("figure", { name: "curl" })).toContainText("curl -i");
  await expect(page.getByRole("figure", { name: "@x402/fetch" })).toContainText("wrapFetchWithPayment");

  await page.getByRole("button", { name: "Pay and call with the devnet buyer" }).click();
  const steps = page.getByRole("list", { name: "Payment steps" });
  await expect(steps).toContainText("402 Payment Required received", { timeout: 20_000 });
  await expect(steps).toContainText("Authorization signed");
  await expect(page.getByTestId("try-status")).toContainText("200");
  const txHash = (await page.getByTestId("try-tx-hash").textContent())?.trim() ?? "";
  expect(txHash).toMatch(/^0x[0-9a-f]{64}$/);
  await expect(steps).toContainText("Hello from Tollgate!");

  const after = await ownerQuery<DevnetInfo>(request, "devnet.info");
  expect(BigInt(after.accounts.seller.usdcBalance ?? "0") - BigInt(before.accounts.seller.usdcBalance ?? "0")).toBe(
    BigInt(hello?.amountPerRequest ?? "-1"),
  );
});

test("Try it is refused for an offer that is not on the devnet, and an unknown offer page is a 404", async ({
  request,
  page,
}) => {
  const refused = await request.post("/trpc/storefront.tryDevnetOffer", { data: { name: "no-such-offer" } });
  expect(refused.status()).toBe(404);
  const response = await page.goto("/offers/no-such-offer");
  expect(response?.status()).toBe(404);
});

test("axe finds no serious or critical violations on the storefront pages", async ({ page }) => {
  for (const path of ["/", "/offers/hello", "/offers/demo-llm", "/admin/login"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expectNoSeriousAxeViolations(page);
  }
});
