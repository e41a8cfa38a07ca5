import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..");

// Playwright evaluates this file in the runner and again in every worker. The runner creates the
// fresh data directory and exports it; workers inherit the variable and reuse the same directory,
// so specs can read `<home>/admin-token` (see `fixtures.ts`).
if (!process.env.TOLLGATE_E2E_HOME) {
  process.env.TOLLGATE_E2E_HOME = mkdtempSync(join(tmpdir(), "tollgate-e2e-"));
}
const home = process.env.TOLLGATE_E2E_HOME;
const port = Number(process.env.TOLLGATE_E2E_PORT ?? 8499);
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  forbidOnly: Boolean(process.env.CI),
  // No retries: a test that passes only on a second attempt is a bug to fix, and the summary counts it as one.
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // `list` for people; the JSON file is what the root test script counts results from.
  reporter: [["list"], ["json", { outputFile: join(here, "playwright-results.json") }]],
  outputDir: join(here, "test-results"),
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  // "setup" sets the admin password through the first-run page; the specs sign in with it.
  projects: [
    { name: "setup", testMatch: "first-run.setup.ts", use: { browserName: "chromium" } },
    { name: "chromium", dependencies: ["setup"], use: { browserName: "chromium" } },
  ],
  // The real server: embedded Postgres, migrations, /trpc and the built Next app on one origin.
  // The web app must be built first (`pnpm build`).
  webServer: {
    command: `pnpm tollgate serve --port ${port}`,
    cwd: repoRoot,
    url: `${baseURL}/readyz`,
    env: { TOLLGATE_HOME: home, NEXT_TELEMETRY_DISABLED: "1" },
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
