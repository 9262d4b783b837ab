/** What the live feed carries, and which of it each view needs: no DOM here, so tests can load it. */

export type LiveEvent =
  | { type: "created" | "updated"; id: number; status: string }
  | { type: "attempt"; id: number; channel: string; status: string }
  | { type: "ready" }
  | { type: "resync" };

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
