import pg from "pg";
import { describe, expect, it } from "vitest";
// Installs the service's type parsers.
import "../../src/db/database.js";

const parseTimestamptz = (text: string) => pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ)(text);

describe("timestamptz values read from PostgreSQL", () => {
  it("are a Date of their own each, when rows repeat the same time", () => {
    const first = parseTimestamptz("2026-12-03 11:54:10.291234+00");
    const second = parseTimestamptz("2026-12-03 11:54:10.291234+00");
    expect(first).toBeInstanceOf(Date);
    expect(second).not.toBe(first);
    expect((second as Date).toISOString()).toBe("2026-12-03T11:54:10.291Z");
    (first as Date).setTime(0);
    expect((parseTimestamptz("2026-12-03 11:54:10.291234+00") as Date).toISOString()).toBe(
      "2026-12-03T11:54:10.291Z",
    );
  });

  it("follow the text when it changes, offsets and infinities included", () => {
    expect((parseTimestamptz("2026-12-03 14:54:10+03") as Date).toISOString()).toBe(
      "2026-12-03T11:54:10.000Z",
    );
    expect((parseTimestamptz("2026-12-03 11:54:10.5+00") as Date).toISOString()).toBe(
      "2026-12-03T11:54:10.500Z",
    );
    expect(parseTimestamptz("infinity")).toBe(Number.POSITIVE_INFINITY);
    expect(parseTimestamptz("-infinity")).toBe(Number.NEGATIVE_INFINITY);
  });
});
