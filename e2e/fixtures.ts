import { readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { type APIRequestContext, expect, type Page } from "@playwright/test";

/** The data directory the server under test runs with (created by playwright.config.ts). */
export function tollgateHome(): string {
  const home = process.env.TOLLGATE_E2E_HOME;
  if (!home) throw new Error("TOLLGATE_E2E_HOME is not set: run the specs through playwright.config.ts");
  return home;
}

/** The owner API token the server wrote at first start. */
export function readOwnerToken(): string {
  return readFileSync(join(tollgateHome(), "admin-token"), "utf8").trim();
}

/** The admin password the first-run setup (first-run.setup.ts) sets. */
export const ownerPassword = "e2e owner passphrase";

/** A tRPC query with the owner token, returning `result.data`. */
export async function ownerQuery<T>(request: APIRequestContext, path: string, input?: unknown): Promise<T> {
  const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
  const response = await request.get(`/trpc/${path}${query}`, {
    headers: { authorization: `Bearer ${readOwnerToken()}` },
  });
  if (!response.ok()) throw new Error(`${path}: HTTP ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** A tRPC mutation with the owner token, returning `result.data`. */
export async function ownerMutation<T>(request: APIRequestContext, path: string, input: unknown): Promise<T> {
  const response = await request.post(`/trpc/${path}`, {
    headers: { authorization: `Bearer ${readOwnerToken()}` },
    data: input,
  });
  if (!response.ok()) throw new Error(`${path}: HTTP ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { result: { data: T } }).result.data;
}

/** Signs the page's browser context in through the login form. */
export async function logIn(page: Page, next = "/admin") {
  await page.goto(`/admin/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Password").fill(ownerPassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname === next);
}

export interface DevnetAccount {
  address: string;
  privateKey: string | null;
  usdcBalance: string | null;
}

export interface DevnetInfo {
  usdc: string;
  accounts: { seller: DevnetAccount; buyer: DevnetAccount; facilitator: DevnetAccount };
}

/** axe (WCAG rules) finds nothing serious or critical on the page as it is now. */
export async function expectNoSeriousAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect(serious).toEqual([]);
}
