import { describe, expect, it } from "vitest";
import { withFlags } from "../../src/entry/launcher.js";

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
