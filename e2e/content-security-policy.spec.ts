import { expect, type Page, test } from "@playwright/test";
import { logIn } from "./fixtures.ts";

/** Records every CSP violation the page reports, and every console error that names the policy. */
async function watchPolicy(page: Page): Promise<() => Promise<string[]>> {
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) {
      consoleErrors.push(message.text());
    }
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  return async () => [
    ...consoleErrors,
    ...(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)),
  ];
}

/** True once React has hydrated the element (it attaches its fiber to the DOM node). */
async function expectHydrated(page: Page, selector: string) {
  await expect
    .poll(() =>
      page.evaluate(
        (s) => Object.keys(document.querySelector(s) ?? {}).some((key) => key.startsWith("__reactFiber")),
        selector,
      ),
    )
    .toBe(true);
}

function scriptSources(policy: string): string {
  return policy.split(";").find((directive) => directive.trim().startsWith("script-src")) ?? "";
}

test("pages carry a nonce-based CSP without 'unsafe-inline' for scripts, a fresh nonce per request", async ({
  request,
}) => {
  const nonces = new Set<string>();
  for (const path of ["/", "/", "/admin/login", "/offers/hello"]) {
    const response = await request.get(path);
    const policy = response.headers()["content-security-policy"] ?? "";
    const scripts = scriptSources(policy);
    expect(scripts, path).toMatch(/'nonce-[A-Za-z0-9+/=]{16,}'/);
    expect(scripts, path).not.toContain("unsafe-inline");
    expect(scripts, path).not.toContain("unsafe-eval");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    const nonce = /'nonce-([^']+)'/.exec(scripts)?.[1] ?? "";
    // Next puts the nonce on its own scripts; no inline script goes without it.
    const html = await response.text();
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1] ?? "");
    expect(inline.length, path).toBeGreaterThan(0);
    for (const attributes of inline) expect(attributes, path).toContain(`nonce="${nonce}"`);
    nonces.add(nonce);
  }
  expect(nonces.size).toBe(4);
});

test("the storefront hydrates under the policy with no violation", async ({ page }) => {
  const violations = await watchPolicy(page);
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Offers" })).toBeVisible();
  await expectHydrated(page, "main");
  await page.goto("/offers/hello");
  await expect(page.getByRole("heading", { level: 1, name: "hello" })).toBeVisible();
  await expectHydrated(page, "main");
  expect(await violations()).toEqual([]);
});

test("the admin hydrates under the policy: sign-in, live updates, no violation", async ({ page }) => {
  const violations = await watchPolicy(page);
  await logIn(page);
  await expect(page.getByTestId("live-status")).toContainText("Live");
  await expectHydrated(page, "main");
  await page.goto("/admin/offers/new");
  await expect(page.getByLabel("Largest request body (bytes)")).toBeVisible();
  await expectHydrated(page, "form");
  expect(await violations()).toEqual([]);
});
