import { expect, test as setup } from "@playwright/test";
import { ownerPassword, readOwnerToken } from "./fixtures.ts";

// Runs once before the specs (project "setup"): the first-run page is the only way in without a password.
setup("first run: the admin sends the owner to setup, which needs the owner token", async ({ page }) => {
  await page.goto("/admin");
  await expect(page).toHaveURL(/\/admin\/setup$/);
  await expect(page.getByRole("heading", { name: "Set the admin password" })).toBeVisible();

  await page.getByLabel("Owner API token").fill("tg_not-the-owner-token");
  await page.getByLabel("New password", { exact: true }).fill(ownerPassword);
  await page.getByLabel("Repeat the password").fill(ownerPassword);
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page.getByText("That is not a live owner (admin) token")).toBeVisible();

  await page.getByLabel("Owner API token").fill(readOwnerToken());
  await page.getByRole("button", { name: "Set password and sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "tollgate_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Strict");
});
