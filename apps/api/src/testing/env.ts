import { recordDatabaseUse } from "@tollgate/db/testing/env";

// Test-support configuration read from the environment.
const databaseUrl = process.env.DATABASE_URL || undefined;

export const testingEnv = {
  /** DATABASE_URL, if set; reading it records the test file as one that uses the database. */
  get databaseUrl(): string | undefined {
    recordDatabaseUse();
    return databaseUrl;
  },
  inheritedEnv: { ...process.env },
  /** Where each test server's output is also written, one file per server (scripts/test.sh sets it). */
  serverLogDir: process.env.TOLLGATE_TEST_SERVER_LOGS || undefined,
};
