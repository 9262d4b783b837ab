/**
 * Quiet hours: a daily window in the recipient's time zone during which non-critical notifications
 * wait. Pure; the time zone rules come from Intl.
 */
import type { QuietHours } from "../core/model.js";
import { addDays, instantsOfWallTime, wallTimeAt } from "./time-zones.js";

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Minutes after midnight of an "HH:MM" reading, or null when it is not one. */
export function minutesOfClockTime(text: string): number | null {
  const match = CLOCK_TIME.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : null;
}

/**
 * When the quiet window that `instant` falls in ends, or null when `instant` is outside it. A
 * window whose start is after its end crosses midnight ("22:00"-"08:00" covers 23:30 and 07:00).
 * The end is the next instant the zone's clock reads the end time; on a night the clocks skip it,
 * the window ends as many minutes after the jump.
 */
export function quietHoursEnd(instant: Date, window: QuietHours, timeZone: string): Date | null {
  const start = minutesOfClockTime(window.start);
  const end = minutesOfClockTime(window.end);
  if (start === null || end === null || start === end) return null;
  const wall = wallTimeAt(instant, timeZone);
  const now = wall.hour * 60 + wall.minute + wall.second / 60;
  let endDay: typeof wall;
  if (start < end) {
    if (now < start || now >= end) return null;
    endDay = wall;
  } else if (now >= start) {
    endDay = addDays(wall, 1);
  } else if (now < end) {
    endDay = wall;
  } else {
    return null;
  }
  const endWall = { ...endDay, hour: Math.floor(end / 60), minute: end % 60, second: 0 };
  // The first reading of the end time still ahead: on the night clocks go back, 02:10 on the second
  // pass ends at the second 02:30, not at the first one, already gone.
  const ends = instantsOfWallTime(endWall, timeZone).find((at) => at.getTime() > instant.getTime());
  return ends ?? null;
}
