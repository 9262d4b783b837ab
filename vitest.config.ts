import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "src/**/*.test.ts"],
    // The dashboard is built once before the tests, so /dashboard serves the current source.
    globalSetup: ["test/support/build-dashboard.ts"],
    // Every file has its own database and Redis prefix, so files run in parallel safely.
    pool: "forks",
    maxWorkers: 4,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
