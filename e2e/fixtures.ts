import { readFileSync } from "node:fs";
import { join } from "node:path";

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
