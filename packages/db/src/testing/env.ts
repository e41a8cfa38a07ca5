// Test-support configuration: the external server to test against, if any.
export const testEnv = {
  databaseUrl: process.env.DATABASE_URL || undefined,
};
