import { expect, test } from "@playwright/test";
import { logIn } from "./fixtures.ts";

const adminPages = [
  "/admin",
  "/admin/offers",
  "/admin/offers/new",
  "/admin/offers/hello",
  "/admin/offers/hello/edit",
  "/admin/payments",
  "/admin/settings",
  "/admin/tokens",
  "/admin/models",
  "/admin/agents",
];

test("every admin page sends an anonymous visitor to the login page", async ({ page }) => {
  for (const path of adminPages) {
    const response = await page.goto(path);
    expect(new URL(page.url()).pathname, path).toBe("/admin/login");
    expect(new URL(page.url()).searchParams.get("next"), path).toBe(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  }
});

test("after login the owner lands on the page asked for, and every admin page renders", async ({ page }) => {
  await logIn(page, "/admin/payments");
  await expect(page.getByRole("heading", { level: 1, name: "Payments" })).toBeVisible();
  for (const path of adminPages) {
    await page.goto(path);
    expect(new URL(page.url()).pathname, path).toBe(path);
    await expect(page.getByRole("navigation", { name: "Admin" })).toBeVisible();
  }
});

test("anonymous tRPC calls to admin procedures and the live stream answer 401", async ({ request }) => {
  for (const path of ["tokens.list", "offers.list", "payments.list", "devnet.info", "events.stream"]) {
    const response = await request.get(`/trpc/${path}`);
    expect(response.status(), path).toBe(401);
  }
});
