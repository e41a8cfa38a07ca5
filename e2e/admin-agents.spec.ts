import { expect, test } from "@playwright/test";
import { logIn, ownerMutation, ownerQuery } from "./fixtures.ts";

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

test("an agent's runtime is set from its card: a bad URL is refused naming the field, a good one saved, empty goes back to built-in", async ({
  page,
  request,
}) => {
  await ownerMutation(request, "agents.create", { name: "e2e-runtime", model: "demo" });
  await logIn(page, "/admin/agents");
  const card = page.getByRole("listitem", { name: "Agent e2e-runtime" });
  const form = card.getByRole("form", { name: "Runtime of e2e-runtime" });
  const field = form.getByLabel("External runtime URL");
  await expect(form).toContainText("Runtime: built-in");

  await field.fill("http://user:secret@127.0.0.1:9");
  await form.getByRole("button", { name: "Save runtime" }).click();
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(form).toContainText("runtimeUrl: must not carry a user name or password");
  expect(
    (await ownerQuery<{ runtimeUrl: string | null }>(request, "agents.show", { name: "e2e-runtime" })).runtimeUrl,
  ).toBeNull();

  await field.fill("http://127.0.0.1:9/");
  await form.getByRole("button", { name: "Save runtime" }).click();
  await expect(form).toContainText("Runtime: external, http://127.0.0.1:9");
  await expect(field).not.toHaveAttribute("aria-invalid", "true");
  expect(
    (await ownerQuery<{ runtimeUrl: string | null }>(request, "agents.show", { name: "e2e-runtime" })).runtimeUrl,
  ).toBe("http://127.0.0.1:9");

  await field.fill("");
  await form.getByRole("button", { name: "Save runtime" }).click();
  await expect(form).toContainText("Runtime: built-in");
  await ownerMutation(request, "agents.delete", { name: "e2e-runtime" });
});
