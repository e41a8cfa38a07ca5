import { defineConfig } from "vitest/config";

const exclude = ["**/node_modules/**", "**/.next/**", "e2e/**"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["{apps,packages,contracts,scripts}/**/*.test.ts"],
          exclude: [...exclude, "**/*.integration.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          sequence: { groupOrder: 1 },
          globalSetup: ["scripts/vitest-global-setup.mjs", "packages/db/src/testing/template-database.ts"],
          include: ["{apps,packages,contracts}/**/*.integration.test.ts"],
          exclude,
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
          // Files at once; `scripts/test.sh` runs the DATABASE_URL pass beside this one with its own count.
          maxWorkers: Number(process.env.TOLLGATE_TEST_WORKERS) || 2,
        },
      },
    ],
  },
});
