import { expect, test } from "@playwright/test";
import { logIn, ownerPassword, tollgateHome } from "./fixtures.ts";

test("a wrong password shows the server's refusal and stays on the login page", async ({ page }) => {
  await page.goto("/admin/login");
  await page.getByLabel("Password").fill(`${ownerPassword} but wrong`);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Wrong password")).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/login/);
  expect((await page.context().cookies()).find((c) => c.name === "tollgate_session")).toBeUndefined();
});

test("the owner logs in, sees server info, and logs out", async ({ page }) => {
  await logIn(page);
  await expect(page.getByText("Signed in as user:owner")).toBeVisible();
  const server = page.getByRole("region", { name: "Server" });
  await expect(server).toContainText("embedded");
  await expect(server).toContainText(tollgateHome());
  await expect(page.getByTestId("live-status")).toContainText("Live");

  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page).toHaveURL(/\/admin\/login$/);
  await page.goto("/admin/offers");
  await expect(page).toHaveURL(/\/admin\/login\?next=%2Fadmin%2Foffers$/);
});
