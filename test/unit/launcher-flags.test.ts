import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { whyOneProcess, withFlags } from "../../src/entry/launcher.js";

describe("the forked worker's node flags", () => {
  const flags = ["--max-semi-space-size=16", "--heap-growing-percent=30"];

  it("adds the worker's flags to what the parent runs with", () => {
    expect(withFlags(["--import", "tsx"], flags)).toEqual(["--import", "tsx", ...flags]);
  });

  it("does not repeat a flag the parent already has, and keeps the parent's value", () => {
    expect(withFlags(flags, flags)).toEqual(flags);
    expect(withFlags(["--max-semi-space-size=64"], flags)).toEqual([
      "--max-semi-space-size=64",
      "--heap-growing-percent=30",
    ]);
  });
});

describe("when the API and the worker must share one process", () => {
  const server = { DATABASE_URL: "postgresql://postgres@db/notifications" };

  it("may run apart only with a PostgreSQL server and Redis", () => {
    expect(whyOneProcess(parseConfig({ ...server, REDIS_URL: "redis://redis:6379" }))).toBeNull();
  });

  it("must share one without Redis, or on the embedded database, and says why", () => {
    expect(whyOneProcess(parseConfig(server))).toMatch(/^REDIS_URL is not set/);
    expect(whyOneProcess(parseConfig({ REDIS_URL: "redis://redis:6379" }))).toMatch(
      /^the database is the embedded one/,
    );
    expect(whyOneProcess(parseConfig({}))).toMatch(/^the database is the embedded one/);
  });
});
