import { expect, test } from "@playwright/test";
import { logIn, ownerMutation } from "./fixtures.ts";

test("the agents page shows the wallet, balance, low-balance warning, spend against budget, and funds on the devnet", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const agent = await ownerMutation<{ walletAddress: string }>(request, "agents.create", {
    name: "e2e-agent",
    model: "demo",
    skills: ["research"],
  });
  await ownerMutation(request, "agents.policy", { name: "e2e-agent", maxPerPayment: "0.01", dailyBudget: "0.05" });
  await logIn(page, "/admin/agents");
  const card = page.getByRole("listitem", { name: "Agent e2e-agent" });
  await expect(card).toContainText(agent.walletAddress);
  await expect(card).toContainText("Spent today: 0 USDC of 0.05 USDC budget");
  await expect(card).toContainText("Balance: 0 USDC");
  await expect(card.getByRole("alert")).toContainText("Low balance");
  // On the devnet funding is a button; the address QR code is for real chains only.
  await expect(card.getByRole("button", { name: "Fund 1 test USDC (devnet)" })).toBeVisible();
  await expect(card.getByTestId("address-qr")).toHaveCount(0);
  await card.getByRole("button", { name: "Fund 1 test USDC (devnet)" }).click();
  await expect(card).toContainText("Balance: 1 USDC", { timeout: 20_000 });
  await expect(card.getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Outbound payments" })).toBeVisible();

  // The funded agent buys the seller's own devnet offer: the payments page shows the outbound row
  // beside the income it produced, and the direction filter narrows to either.
  const catalog = (await (await request.get("/api/services.json")).json()) as {
    services: { name: string; endpoint: string }[];
  };
  const hello = catalog.services.find((s) => s.name === "hello");
  expect(hello).toBeDefined();
  const paid = await ownerMutation<{ paid: boolean; state: string }>(request, "agents.pay", {
    name: "e2e-agent",
    url: hello?.endpoint,
  });
  expect(paid).toMatchObject({ paid: true, state: "settled" });
  await page.goto("/admin/payments");
  const outbound = page.getByRole("region", { name: "Outbound (agent spend)" });
  const row = outbound.getByTestId("outbound-payment-row").first();
  await expect(row).toContainText("outbound");
  await expect(row).toContainText("e2e-agent");
  await expect(row).toContainText("settled");
  await expect(page.getByRole("region", { name: "Income" }).getByTestId("payment-row").first()).toBeVisible();
  await page.getByLabel("Direction").selectOption("income");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(outbound).toHaveCount(0);
  await page.getByLabel("Direction").selectOption("outbound");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("region", { name: "Income" })).toHaveCount(0);
  await expect(outbound.getByTestId("outbound-payment-row").first()).toContainText("settled");
});
