import { defineConfig } from "vitest/config";
import { SlowestFirstSequencer } from "./scripts/test-report/slowest-first-sequencer.mjs";

const exclude = ["**/node_modules/**", "**/.next/**", "e2e/**"];
// Integration files a run leaves out, one path a line: `scripts/test.sh` leaves to the DATABASE_URL pass
// the files that run only there (scripts/test-report/database-passes.json). `--exclude` on the command
// line does not reach the projects.
const integrationExclude = (process.env.TOLLGATE_TEST_EXCLUDE ?? "").split("\n").filter(Boolean);

export default defineConfig({
  test: {
    // The slowest integration files start first (scripts/test-report/slow-files.json).
    sequence: { sequencer: SlowestFirstSequencer },
    projects: [
      {
        test: {
          name: "unit",
          sequence: { groupOrder: 0 },
          include: ["{apps,packages,contracts,scripts}/**/*.test.ts"],
          // Files share a worker's modules (each file's import of its dependencies cost more CPU than
          // its tests); no test file mocks modules, fakes timers or changes process-wide state.
          isolate: false,
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
          exclude: [...exclude, ...integrationExclude],
          environment: "node",
          testTimeout: 120_000,
          hookTimeout: 120_000,
          pool: "forks",
          // A worker runs its files one after another in one process, importing the dependencies once:
          // importing them again for every file cost more CPU (about 1.3 s a file) than many files' tests.
          isolate: false,
          // Files at once; `scripts/test.sh` runs the DATABASE_URL pass beside this one with its own count.
          maxWorkers: Number(process.env.TOLLGATE_TEST_WORKERS) || 2,
        },
      },
    ],
  },
});
