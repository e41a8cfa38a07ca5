// Test-support configuration read from the environment.
export const testingEnv = {
  databaseUrl: process.env.DATABASE_URL || undefined,
  inheritedEnv: { ...process.env },
};
