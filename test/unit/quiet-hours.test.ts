import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { quietHoursEnd } from "../../src/scheduling/quiet-hours.js";
import { hasExpired, nextSendTime } from "../../src/scheduling/send-time.js";
import { canonicalTimeZone, instantsOfWallTime, wallTimeAt } from "../../src/scheduling/time-zones.js";

const at = (iso: string) => new Date(iso);
const night = { start: "22:00", end: "08:00" };
const BERLIN = "Europe/Berlin";

describe("time zones", () => {
  it("accepts IANA names in their canonical spelling and refuses the rest", () => {
    expect(canonicalTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("america/new_york")).toBe("America/New_York");
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("Mars/Olympus_Mons")).toBeNull();
    expect(canonicalTimeZone("+03:00")).toBeNull();
    expect(canonicalTimeZone("")).toBeNull();
  });

  it("reads the clock of a zone, and finds when it reads a given time", () => {
    expect(wallTimeAt(at("2026-01-15T22:30:00Z"), BERLIN)).toMatchObject({ day: 15, hour: 23, minute: 30 });
    const wall = { year: 2026, month: 7, day: 1, hour: 8, minute: 0, second: 0 };
    expect(instantsOfWallTime(wall, BERLIN)).toEqual([at("2026-07-01T06:00:00Z")]);
  });

  it("gives both instants of a time the clocks read twice, and shifts one they skip", () => {
    // Berlin, 2026-10-25: 03:00 CEST back to 02:00 CET; 2026-03-29: 02:00 CET on to 03:00 CEST.
    expect(
      instantsOfWallTime({ year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0 }, BERLIN),
    ).toEqual([at("2026-10-25T00:30:00Z"), at("2026-10-25T01:30:00Z")]);
    expect(
      instantsOfWallTime({ year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0 }, BERLIN),
    ).toEqual([at("2026-03-29T01:30:00Z")]);
  });
});

describe("quiet hours", () => {
  it("holds a time inside a window that crosses midnight until the window ends", () => {
    // 23:30 in Berlin (winter, UTC+1) waits until 08:00 the next morning.
    expect(quietHoursEnd(at("2026-01-15T22:30:00Z"), night, BERLIN)).toEqual(at("2026-01-16T07:00:00Z"));
    // 06:00 the morning after: until 08:00 the same day.
    expect(quietHoursEnd(at("2026-01-16T05:00:00Z"), night, BERLIN)).toEqual(at("2026-01-16T07:00:00Z"));
    // Noon is outside.
    expect(quietHoursEnd(at("2026-01-16T11:00:00Z"), night, BERLIN)).toBeNull();
  });

  it("includes the start and excludes the end", () => {
    expect(quietHoursEnd(at("2026-01-15T21:00:00Z"), night, BERLIN)).toEqual(at("2026-01-16T07:00:00Z"));
    expect(quietHoursEnd(at("2026-01-16T07:00:00Z"), night, BERLIN)).toBeNull();
    expect(quietHoursEnd(at("2026-01-15T20:59:59Z"), night, BERLIN)).toBeNull();
  });

  it("handles windows within one day", () => {
    const lunch = { start: "12:00", end: "13:30" };
    expect(quietHoursEnd(at("2026-06-01T10:15:00Z"), lunch, BERLIN)).toEqual(at("2026-06-01T11:30:00Z"));
    expect(quietHoursEnd(at("2026-06-01T11:30:00Z"), lunch, BERLIN)).toBeNull();
    expect(quietHoursEnd(at("2026-06-01T09:59:00Z"), lunch, BERLIN)).toBeNull();
  });

  it("ends at 08:00 local time across the night clocks go forward (the night is an hour shorter)", () => {
    // Saturday 23:00 CET; Sunday 08:00 is CEST (UTC+2), so 06:00Z, not 07:00Z.
    expect(quietHoursEnd(at("2026-03-28T22:00:00Z"), night, BERLIN)).toEqual(at("2026-03-29T06:00:00Z"));
    // New York goes forward on 2026-03-08: 08:00 EDT is 12:00Z.
    expect(quietHoursEnd(at("2026-03-08T04:00:00Z"), night, "America/New_York")).toEqual(
      at("2026-03-08T12:00:00Z"),
    );
  });

  it("ends at 08:00 local time across the night clocks go back (the night is an hour longer)", () => {
    // Saturday 23:00 CEST; Sunday 08:00 is CET (UTC+1), so 07:00Z.
    expect(quietHoursEnd(at("2026-10-24T21:00:00Z"), night, BERLIN)).toEqual(at("2026-10-25T07:00:00Z"));
  });

  it("ends a window whose end the clocks skip as many minutes after the jump", () => {
    // 01:00-02:30 on the night 02:00 CET becomes 03:00 CEST: 02:30 never shows, 03:30 does.
    const early = { start: "01:00", end: "02:30" };
    expect(quietHoursEnd(at("2026-03-29T00:30:00Z"), early, BERLIN)).toEqual(at("2026-03-29T01:30:00Z"));
  });

  it("ends a window whose end the clocks read twice at the next reading still ahead", () => {
    const early = { start: "01:00", end: "02:30" };
    // 01:30 CEST: the first 02:30 (CEST).
    expect(quietHoursEnd(at("2026-10-24T23:30:00Z"), early, BERLIN)).toEqual(at("2026-10-25T00:30:00Z"));
    // 02:10 CET, on the second pass: the second 02:30 (CET).
    expect(quietHoursEnd(at("2026-10-25T01:10:00Z"), early, BERLIN)).toEqual(at("2026-10-25T01:30:00Z"));
  });

  it("always ends later than the instant, at a time outside the window, within a day", () => {
    const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }));
    const hhmm = ([h, m]: [number, number]) => `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
    fc.assert(
      fc.property(
        fc.date({ min: at("2026-01-01T00:00:00Z"), max: at("2027-12-31T00:00:00Z"), noInvalidDate: true }),
        clock,
        clock,
        fc.constantFrom(BERLIN, "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC"),
        (instant, start, end, zone) => {
          const window = { start: hhmm(start), end: hhmm(end) };
          const ends = quietHoursEnd(instant, window, zone);
          if (ends === null) return;
          expect(ends.getTime()).toBeGreaterThan(instant.getTime());
          expect(ends.getTime() - instant.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
          expect(quietHoursEnd(ends, window, zone)).toBeNull();
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe("when a notification may next go", () => {
  const base = {
    expiresAt: null,
    priority: "normal" as const,
    quietHours: night,
    timeZone: BERLIN,
  };

  it("goes at its earliest time outside quiet hours", () => {
    expect(nextSendTime({ ...base, earliest: at("2026-01-16T11:00:00Z") })).toEqual({
      kind: "at",
      at: at("2026-01-16T11:00:00Z"),
      heldUntilQuietHoursEnd: false,
    });
  });

  it("waits for the end of quiet hours, unless it is critical", () => {
    expect(nextSendTime({ ...base, earliest: at("2026-01-15T23:00:00Z") })).toEqual({
      kind: "at",
      at: at("2026-01-16T07:00:00Z"),
      heldUntilQuietHoursEnd: true,
    });
    expect(nextSendTime({ ...base, priority: "critical", earliest: at("2026-01-15T23:00:00Z") })).toEqual({
      kind: "at",
      at: at("2026-01-15T23:00:00Z"),
      heldUntilQuietHoursEnd: false,
    });
  });

  it("has no quiet hours without a time zone", () => {
    expect(nextSendTime({ ...base, timeZone: null, earliest: at("2026-01-15T23:00:00Z") })).toMatchObject({
      kind: "at",
      at: at("2026-01-15T23:00:00Z"),
    });
  });

  it("expires rather than wait past its expiry", () => {
    const during = nextSendTime({
      ...base,
      earliest: at("2026-01-15T23:00:00Z"),
      expiresAt: at("2026-01-16T01:00:00Z"),
    });
    expect(during).toMatchObject({ kind: "expires" });
    expect(during.kind === "expires" && during.reason).toContain("quiet hours");
    const critical = nextSendTime({
      ...base,
      priority: "critical",
      earliest: at("2026-01-16T02:00:00Z"),
      expiresAt: at("2026-01-16T01:00:00Z"),
    });
    expect(critical).toMatchObject({ kind: "expires" });
    expect(
      nextSendTime({ ...base, earliest: at("2026-01-16T12:00:00Z"), expiresAt: at("2026-01-16T12:00:01Z") }),
    ).toMatchObject({ kind: "at" });
  });

  it("counts the expiry instant itself as expired", () => {
    expect(hasExpired(at("2026-01-16T12:00:00Z"), at("2026-01-16T11:59:59.999Z"))).toBe(false);
    expect(hasExpired(at("2026-01-16T12:00:00Z"), at("2026-01-16T12:00:00Z"))).toBe(true);
    expect(hasExpired(null, at("2099-01-01T00:00:00Z"))).toBe(false);
  });
});
