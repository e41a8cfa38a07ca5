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
};
