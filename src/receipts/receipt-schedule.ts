/**
 * When to ask about an accepted message again, and when to stop asking. Pure: the checker hands
 * in what it knows. Checks back off (the first after SMS_RECEIPT_POLL_SECONDS, each next wait
 * doubled up to SMS_RECEIPT_POLL_MAX_SECONDS), and the last one falls on the max age itself, so
 * a receipt that comes just before it still counts.
 */
export interface ReceiptSchedule {
  pollSeconds: number;
  pollMaxSeconds: number;
  maxAgeSeconds: number;
}

export type NextCheck = { kind: "again"; inSeconds: number } | { kind: "give_up" };

/** After `checks` checks of a message accepted `ageSeconds` ago, none of which was final. */
export function nextCheck(checks: number, ageSeconds: number, schedule: ReceiptSchedule): NextCheck {
  const left = schedule.maxAgeSeconds - ageSeconds;
  if (left <= 0) return { kind: "give_up" };
  const backoff = Math.min(schedule.pollMaxSeconds, schedule.pollSeconds * 2 ** Math.min(checks, 30));
  return { kind: "again", inSeconds: Math.min(backoff, left) };
}

/** No check is made more than this much before its time. */
const MAX_EARLY_SECONDS = 5;

/**
 * How early a check may be made: checks that fall due within this window of one another go out
 * together, in as few provider calls as they fit, instead of one call per message as each one's
 * time comes. A third of the first wait, so that the backoff keeps its shape, and 5 s at most.
 */
export function earlyWindowSeconds(schedule: ReceiptSchedule): number {
  return Math.min(MAX_EARLY_SECONDS, schedule.pollSeconds / 3);
}
