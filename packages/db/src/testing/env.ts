import { appendFileSync } from "node:fs";
import { expect } from "vitest";

// Test-support configuration: the external server to test against, if any.
const databaseUrl = process.env.DATABASE_URL || undefined;
// `scripts/test.sh` sets this in the first (embedded) pass: every test file that asks whether to use
// an external database is listed there, and the DATABASE_URL pass runs only those files.
const databaseUsersFile = process.env.TOLLGATE_TEST_DATABASE_USERS || undefined;

/** Notes that the running test file's behaviour depends on DATABASE_URL. */
export function recordDatabaseUse(): void {
  if (!databaseUsersFile) return;
  const file = expect.getState().testPath;
  if (file) appendFileSync(databaseUsersFile, `${file}\n`);
}

/** DATABASE_URL for the run's global setup (./template-database.ts); reading it records no test file. */
export const runDatabaseUrl = databaseUrl;

export const testEnv = {
  /** DATABASE_URL, if set; reading it records the test file as one that uses the database. */
  get databaseUrl(): string | undefined {
    recordDatabaseUse();
    return databaseUrl;
  },
};
