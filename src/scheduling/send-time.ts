/**
 * When a notification may next go: its own earliest time (send_at, now, or a retry's delay), pushed
 * to the end of the recipient's quiet hours unless it is critical, and never at or after its expiry.
 * Pure: the caller passes the clock's reading, so the decisions are tested without waiting.
 */
import type { Priority, QuietHours } from "../core/model.js";
import { quietHoursEnd } from "./quiet-hours.js";

export interface SendTimeInput {
  /** The earliest it may go: send_at or now at creation, now + the retry delay between rounds. */
  earliest: Date;
  expiresAt: Date | null;
  priority: Priority;
  quietHours: QuietHours | null;
  /** No time zone means no quiet hours. */
  timeZone: string | null;
}

export type SendTime =
  /** `heldUntilQuietHoursEnd`: the time was moved to the end of the recipient's quiet hours. */
  | { kind: "at"; at: Date; heldUntilQuietHoursEnd: boolean }
  /** It cannot go before it expires; `reason` says why, for failure_reason. */
  | { kind: "expires"; reason: string };

export function nextSendTime(input: SendTimeInput): SendTime {
  let at = input.earliest;
  let held = false;
  if (input.priority !== "critical" && input.quietHours && input.timeZone) {
    const end = quietHoursEnd(at, input.quietHours, input.timeZone);
    if (end) {
      at = end;
      held = true;
    }
  }
  if (input.expiresAt && at.getTime() >= input.expiresAt.getTime()) {
    const expires = input.expiresAt.toISOString();
    return {
      kind: "expires",
      reason: held
        ? `it would have expired (at ${expires}) while waiting for the recipient's quiet hours to end (${input.quietHours?.end} ${input.timeZone})`
        : `it would have expired (at ${expires}) before it was due (${at.toISOString()})`,
    };
  }
  return { kind: "at", at, heldUntilQuietHoursEnd: held };
}

/** True once `now` has reached the expiry: from then on nothing more may be sent. */
export function hasExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && now.getTime() >= expiresAt.getTime();
}

/** The failure reason of a notification found expired when a round or an attempt was due. */
export function expiredReason(expiresAt: Date): string {
  return `it expired at ${expiresAt.toISOString()} before any channel delivered it`;
}
