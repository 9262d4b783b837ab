import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import { selectTestFiles } from "./test/support/available-services.js";

export default defineConfig(async () => {
  // Files that need a PostgreSQL or a Redis this machine lacks are left out, and named at the end.
  const selection = await selectTestFiles(fileURLToPath(new URL(".", import.meta.url)));
  process.env.NS_TESTS_NOT_RUN = JSON.stringify(selection.skipped);
  return {
    test: {
      include: ["test/**/*.test.ts", "src/**/*.test.ts"],
      exclude: [...configDefaults.exclude, ...selection.exclude],
      // The dashboard is built once before the tests, so /dashboard serves the current source.
      globalSetup: ["test/support/build-dashboard.ts", "test/support/report-tests-not-run.ts"],
      // Every file has its own database and Redis prefix, so files run in parallel safely.
      pool: "forks",
      maxWorkers: 4,
      testTimeout: 30_000,
      hookTimeout: 60_000,
      reporters: ["default"],
    },
  };
});
