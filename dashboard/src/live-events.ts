/** What the live feed carries, and which of it each view needs: no DOM here, so tests can load it. */

export type LiveEvent =
  | { type: "created" | "updated"; id: number; status: string }
  | { type: "attempt"; id: number; channel: string; status: string }
  /** A recipient created, changed or erased: `id` is the user's, not a notification's. */
  | { type: "user"; id: number; change: "created" | "updated" | "erased" }
  /** A suppression added or removed: `id` is the suppression's. */
  | { type: "suppression"; id: number; change: "created" | "deleted" }
  | { type: "ready" }
  | { type: "resync" };

/** Whether an event is about notification `id` (it, or one of its attempts; not a user). */
export function concernsNotification(event: LiveEvent, id: number): boolean {
  return (
    (event.type === "created" || event.type === "updated" || event.type === "attempt") && event.id === id
  );
}

/** Whether an event changes the Users list: any user created, changed or erased. */
export function changesUsers(event: LiveEvent): boolean {
  return event.type === "user";
}

/** Whether user `id`'s page must reload: they changed (profile, preferences, a Telegram chat connected). */
export function changesUser(event: LiveEvent, id: number): boolean {
  return event.type === "user" && event.id === id && event.change === "updated";
}

/**
 * Whether an event changes the suppressions shown: the Suppressions view's, and a user's page's
 * (which lists those of their addresses; the event names no address, so any one may be theirs).
 */
export function changesSuppressions(event: LiveEvent): boolean {
  return event.type === "suppression";
}

/** Whether user `id` was erased (here or elsewhere). */
export function erasesUser(event: LiveEvent, id: number): boolean {
  return event.type === "user" && event.id === id && event.change === "erased";
}

/** The attempt outcomes the Channels view counts (see ChannelActivityQueries on the server). */
const COUNTED_OUTCOMES: ReadonlySet<string> = new Set(["sent", "failed", "skipped"]);

/**
 * Whether an event changes what the Channels view shows: an attempt that ended sent, failed or
 * skipped. Receipts (accepted, delivered, undelivered, unknown) come as attempt events too, one
 * or more per SMS, and change nothing there, so they must not make it reload.
 */
export function changesChannelActivity(event: LiveEvent): boolean {
  return event.type === "attempt" && COUNTED_OUTCOMES.has(event.status);
}
