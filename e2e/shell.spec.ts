import { expect, type Page, test } from "@playwright/test";
import { readOwnerToken, tollgateHome } from "./fixtures.ts";

interface ServerInfo {
  version: string;
  database: { mode: string; serverVersion: string };
  migrations: { applied: number };
  home: string;
  publicBaseUrl: string;
}

/** The value shown next to a label in the admin page's server description list. */
function infoValue(page: Page, label: string) {
  return page
    .getByRole("region", { name: "Server" })
    .locator("dt")
    .filter({ hasText: new RegExp(`^${label}$`) })
    .locator("xpath=following-sibling::dd[1]");
}

async function signIn(page: Page, token: string) {
  await page.getByLabel("Owner API token").fill(token);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("the storefront home shows the pitch, an empty offers list and the discovery links", async ({ page }) => {
  await page.goto("/");
  await expect(
    page.getByRole("heading", { level: 1, name: "Paid APIs, inference and agents — pay per request with x402 (USDC)" }),
  ).toBeVisible();

  const offers = page.getByRole("region", { name: "Offers" });
  await expect(offers.getByRole("heading", { name: "No offers are listed yet" })).toBeVisible();
  await expect(offers).toContainText("tollgate offers create");

  const documents = page.getByRole("navigation", { name: "Machine-readable documents" });
  for (const href of ["/api/services.json", "/skill.md", "/.well-known/agent-registration.json"]) {
    await expect(documents.getByRole("link", { name: href })).toHaveAttribute("href", href);
  }

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Admin" })).toBeVisible();
});

test("a wrong token shows the server's refusal and stays on the sign-in card", async ({ page, request }) => {
  const wrongToken = "tg_not-the-owner-token";
  // What the server itself says to this token, so the page is checked against the real answer.
  const direct = await request.get("/trpc/system.whoami", { headers: { authorization: `Bearer ${wrongToken}` } });
  expect(direct.status()).toBe(401);
  const refusal = (await direct.json()) as { error: { data: { tollgate: { message: string } } } };
  const serverMessage = refusal.error.data.tollgate.message;
  expect(serverMessage).not.toBe("");

  await page.goto("/admin");
  await signIn(page, wrongToken);

  // (Next adds an empty route-announcer alert of its own.)
  const alert = page.getByRole("alert").filter({ hasText: "Sign-in failed" });
  await expect(alert).toBeVisible();
  await expect(alert).toContainText(serverMessage);
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Server" })).toHaveCount(0);
  expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
});

test("the owner token signs in and the admin page shows server info from system.info", async ({ page, request }) => {
  const token = readOwnerToken();
  const direct = await request.get("/trpc/system.info", { headers: { authorization: `Bearer ${token}` } });
  expect(direct.ok()).toBe(true);
  const info = ((await direct.json()) as { result: { data: ServerInfo } }).result.data;
  expect(info.database.mode).toBe("embedded");
  expect(info.migrations.applied).toBeGreaterThan(0);

  await page.goto("/admin");
  await signIn(page, token);

  await expect(page.getByRole("region", { name: "Signed in" })).toContainText("admin scope");
  await expect(infoValue(page, "Version")).toHaveText(info.version);
  await expect(infoValue(page, "Database mode")).toContainText("embedded");
  await expect(infoValue(page, "Database server")).toHaveText(info.database.serverVersion);
  await expect(infoValue(page, "Migrations applied")).toHaveText(String(info.migrations.applied));
  await expect(infoValue(page, "Data directory")).toHaveText(tollgateHome());
  await expect(infoValue(page, "Public base URL")).toHaveText(info.publicBaseUrl);

  // The token lives in this tab's session storage: a reload keeps the session.
  await page.reload();
  await expect(infoValue(page, "Migrations applied")).toHaveText(String(info.migrations.applied));

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
});

test("a stored token the server no longer accepts returns to the sign-in card with a notice", async ({ page }) => {
  await page.goto("/admin");
  await page.evaluate(() => window.sessionStorage.setItem("tollgate.adminToken", "tg_revoked-token"));
  await page.reload();

  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Signed out:" })).toBeVisible();
  expect(await page.evaluate(() => window.sessionStorage.length)).toBe(0);
});
