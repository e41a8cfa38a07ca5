import { type APIRequestContext, expect, test } from "@playwright/test";
import { logIn, ownerMutation, ownerQuery, readOwnerToken } from "./fixtures.ts";

const catalogNames = async (request: APIRequestContext) =>
  ((await (await request.get("/api/services.json")).json()) as { services: { name: string }[] }).services.map(
    (s) => s.name,
  );

const agentNames = async (request: APIRequestContext) =>
  (await ownerQuery<{ name: string }[]>(request, "agents.list")).map((a) => a.name);

test("deleting an agent asks first, naming the offers that go with it; cancel keeps both, confirm removes both", async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await ownerMutation(request, "agents.create", { name: "e2e-doomed", model: "demo" });
  await ownerMutation(request, "offers.create", {
    name: "e2e-doomed-ask",
    type: "agent",
    agent: "e2e-doomed",
    payment: { chain: "local", price: "0.01" },
    registration: { enabled: false },
  });
  // Listed once the reconciler found the agent's runtime healthy.
  await expect.poll(() => catalogNames(request), { timeout: 30_000 }).toContain("e2e-doomed-ask");

  // A confirmation that showed other offers than those selling the agent now deletes nothing.
  const stale = await request.post("/trpc/agents.delete", {
    headers: { authorization: `Bearer ${readOwnerToken()}` },
    data: { name: "e2e-doomed", confirmedOffers: [] },
  });
  expect(stale.status()).toBe(409);
  expect(await stale.text()).toContain("e2e-doomed-ask");
  expect(await agentNames(request)).toContain("e2e-doomed");

  await logIn(page, "/admin/agents");
  const card = page.getByRole("listitem", { name: "Agent e2e-doomed" });
  await card.getByRole("button", { name: "Delete agent…" }).click();
  const dialog = card.getByRole("alertdialog", { name: "Delete agent e2e-doomed?" });
  await expect(dialog.getByRole("list", { name: "Offers deleted with the agent" })).toHaveText("e2e-doomed-ask");

  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(card).toBeVisible();
  expect(await agentNames(request)).toContain("e2e-doomed");
  expect(await catalogNames(request)).toContain("e2e-doomed-ask");

  await card.getByRole("button", { name: "Delete agent…" }).click();
  await dialog.getByRole("button", { name: "Confirm delete" }).click();
  await expect(page.getByText("Deleted agent e2e-doomed and its offers: e2e-doomed-ask.")).toBeVisible();
  await expect(card).toHaveCount(0);
  expect(await agentNames(request)).not.toContain("e2e-doomed");
  expect(await catalogNames(request)).not.toContain("e2e-doomed-ask");
});
