/**
 * Collects what a process sends to Redis in the background (wake-ups, live events, latency
 * counts) and sends it in batches: on the next tick when nothing went out in the last
 * `intervalMs`, otherwise when that interval is up. A quiet service still sends each item at
 * once; a busy one sends at most one batch per interval instead of one per event-loop tick, which
 * under load was a Redis round trip for every dozen notifications.
 */
export class PacedBatch<Item> {
  private pending: Item[] = [];
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    /** Sends one batch; a failure is the sender's to report, the items are not tried again. */
    private readonly send: (items: Item[]) => Promise<void>,
  ) {}

  add(item: Item): void {
    this.pending.push(item);
    if (this.immediate || this.timer) return;
    const wait = this.lastSentAt + this.intervalMs - performance.now();
    if (wait <= 0) this.immediate = setImmediate(() => void this.flush());
    else {
      // Not holding the process open: what is pending is sent by close(), or lost with the process.
      this.timer = setTimeout(() => void this.flush(), wait).unref();
    }
  }

  /** Sends what is pending now; resolves once Redis has answered. */
  async flush(): Promise<void> {
    if (this.immediate) clearImmediate(this.immediate);
    if (this.timer) clearTimeout(this.timer);
    this.immediate = null;
    this.timer = null;
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.lastSentAt = performance.now();
    await this.send(items);
  }
}
