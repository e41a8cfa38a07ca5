import { expect, test } from "@playwright/test";
import { logIn, ownerMutation } from "./fixtures.ts";

test("the agents page shows the wallet, balance, low-balance warning, spend against budget, and funds on the devnet", async ({
  page,
  request,
}) => {
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
  await card.getByRole("button", { name: "Fund 1 test USDC (devnet)" }).click();
  await expect(card).toContainText("Balance: 1 USDC", { timeout: 20_000 });
  await expect(card.getByRole("alert")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Outbound payments" })).toBeVisible();
});
