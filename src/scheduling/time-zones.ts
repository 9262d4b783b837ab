/**
 * Wall-clock time in IANA time zones with the built-in Intl: what a clock in a zone reads at an
 * instant, and the instant at which it reads a given time. Pure, no dependency.
 */

/** The zone's canonical IANA name, or null when Intl does not know it. */
export function canonicalTimeZone(name: string): string | null {
  // Offsets and abbreviations ("+03:00", "EST") are valid for Intl but are not places with rules.
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** A clock reading: the calendar date and the time of day, with no zone. */
export interface WallTime {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** What a clock in `timeZone` reads at `instant` (to the second). */
export function wallTimeAt(instant: Date, timeZone: string): WallTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour! % 24,
    minute: parts.minute!,
    second: parts.second!,
  };
}

/** The wall time written as if it were UTC, in ms: arithmetic on dates without a zone. */
function wallAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

/** How far the zone's clock is ahead of UTC at `instantMs`, in ms. */
function offsetAt(instantMs: number, timeZone: string): number {
  const whole = Math.floor(instantMs / 1000) * 1000;
  return wallAsUtc(wallTimeAt(new Date(whole), timeZone)) - whole;
}

const DAY_MS = 86_400_000;

/**
 * The instants at which a clock in `timeZone` reads `wall`, earliest first: one on most days, two
 * when the clocks go back over it. A time the clocks skip (going forward) is taken as that many
 * minutes after the jump, as the clock would read it had it not jumped (02:30 on a night clocks go
 * from 02:00 to 03:00 is 03:30).
 */
export function instantsOfWallTime(wall: WallTime, timeZone: string): Date[] {
  const target = wallAsUtc(wall);
  // Real zones change their offset at most once in any two days, so the offsets a day either side
  // are the only candidates.
  const before = offsetAt(target - DAY_MS, timeZone);
  const after = offsetAt(target + DAY_MS, timeZone);
  const candidates = [...new Set([before, after])]
    .map((offset) => target - offset)
    .filter((instant) => wallAsUtc(wallTimeAt(new Date(instant), timeZone)) === target)
    .sort((a, b) => a - b);
  if (candidates.length > 0) return candidates.map((instant) => new Date(instant));
  return [new Date(target - before)];
}

/** The calendar date `days` after the wall time's date (months and years roll over). */
export function addDays(wall: WallTime, days: number): WallTime {
  const shifted = new Date(wallAsUtc(wall) + days * DAY_MS);
  return {
    ...wall,
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
  };
}
