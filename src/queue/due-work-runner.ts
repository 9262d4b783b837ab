/**
 * The one mechanism for "claim due rows under a lease and work on them": PostgreSQL says what is
 * due, and this loop only decides when to ask. It claims as many rows as it has free slots for, in
 * one statement, whenever it is woken (work was made due in some process), when the earliest row
 * not yet due falls due (every claim says when that is), when a slot frees up while more may be
 * waiting, and on a slow poll that covers lost wake-ups and leases that lapsed with a dead worker.
 * Notifications use it; later kinds of due rows (webhook deliveries, receipt checks) bring their
 * own claim and handler.
 */
import type { Logger } from "../core/logger.js";
import type { WorkWakeUps } from "../usecases/ports.js";

export interface DueWork<Item> {
  items: Item[];
  /** Seconds, on the database's clock, until the next row not yet due is due; null if there is none. */
  nextDueInSeconds: number | null;
}

export interface DueWorkRunnerOptions<Item> {
  /** For logs: what kind of rows these are. */
  name: string;
  /** Claims up to `limit` due rows for this process. */
  claim(limit: number): Promise<DueWork<Item>>;
  /** Works on one claimed row; a rejection is logged, and the row's lease frees it for another try. */
  handle(item: Item): Promise<unknown>;
  /**
   * The row's identity. With it, a row this process is still working on is not worked on twice
   * when a claim takes it again (its lease lapsed while it waited, say for an SMTP connection):
   * that claim, under this process's own name, only renewed the lease.
   */
  idOf?(item: Item): unknown;
  /** Rows in hand at once. */
  concurrency: number;
  /** At most this many rows per claim, so a backlog spreads over several processes. */
  maxBatch: number;
  /** How often an idle runner looks anyway. */
  pollIntervalMs: number;
  wakeUps: WorkWakeUps | null;
  logger: Logger;
}

// A timer set for a row that falls due fires this much later, so that the row is due by the
// database's clock when the claim runs (timers may fire a little early).
const DUE_MARGIN_MS = 2;
/**
 * The longest delay a timer holds (2^31-1 ms, 24.8 days): Node fires a longer one after 1 ms, and
 * a row due months ahead (a send_at may be 366 days out) then made the runner claim in a loop. A
 * row further off is looked for again after this, which then sets the timer anew.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * With more work waiting, a runner whose slots free up one at a time claims again once a batch's
 * worth of slots (or a quarter of them) is free, or this long after the first one freed. Each
 * claim reads past the rows in hand, which stay due under their leases, so claiming for every
 * single free slot cost PostgreSQL ~130 rows read per notification in the bench.
 */
const REFILL_DELAY_MS = 5;

export class DueWorkRunner<Item> {
  private inFlight = 0;
  private readonly inHand = new Set<unknown>();
  private claiming = false;
  private claimAgain = false;
  /** The last claim filled every free slot or its batch: more rows may be due right now. */
  private mayHaveMore = false;
  private stopped = true;
  private pollTimer: NodeJS.Timeout | null = null;
  private dueTimer: NodeJS.Timeout | null = null;
  private dueTimerAt = Number.POSITIVE_INFINITY;
  private unlisten: (() => void) | null = null;
  private claimFailing = false;
  private drained: (() => void) | null = null;
  private refillTimer: NodeJS.Timeout | null = null;
  private readonly refillAt: number;

  constructor(private readonly options: DueWorkRunnerOptions<Item>) {
    this.refillAt = Math.max(1, Math.min(options.maxBatch, Math.ceil(options.concurrency / 4)));
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.pollTimer = setInterval(() => this.kick(), this.options.pollIntervalMs);
    this.unlisten = (await this.options.wakeUps?.listen(() => this.kick())) ?? null;
    this.kick();
  }

  /** Makes sure the runner looks again within `seconds` (a row it knows of falls due then). */
  wakeIn(seconds: number): void {
    if (this.stopped) return;
    const at = performance.now() + Math.max(0, seconds * 1000) + DUE_MARGIN_MS;
    if (at >= this.dueTimerAt) return;
    if (this.dueTimer) clearTimeout(this.dueTimer);
    this.dueTimerAt = at;
    this.dueTimer = setTimeout(
      () => {
        this.dueTimer = null;
        this.dueTimerAt = Number.POSITIVE_INFINITY;
        this.kick();
      },
      Math.min(MAX_TIMER_MS, Math.ceil(at - performance.now())),
    );
  }

  /** Rows being worked on now. */
  get busy(): number {
    return this.inFlight;
  }

  /**
   * Claims nothing more; resolves true once the rows in hand are done, or false when `graceMs`
   * passed first (those rows are still being worked on).
   */
  async stop(graceMs: number): Promise<boolean> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.dueTimer) clearTimeout(this.dueTimer);
    if (this.refillTimer) clearTimeout(this.refillTimer);
    this.unlisten?.();
    if (this.inFlight === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const drained = new Promise<true>((resolve) => {
      this.drained = () => resolve(true);
    });
    const graceOver = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    });
    try {
      return await Promise.race([drained, graceOver]);
    } finally {
      clearTimeout(timer);
    }
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.claiming) {
      this.claimAgain = true;
      return;
    }
    this.claiming = true;
    void this.claimWhileFree().finally(() => {
      this.claiming = false;
      if (this.claimAgain) {
        this.claimAgain = false;
        this.kick();
      }
    });
  }

  private async claimWhileFree(): Promise<void> {
    while (!this.stopped) {
      const free = this.options.concurrency - this.inFlight;
      if (free <= 0) {
        this.mayHaveMore = true;
        return;
      }
      const limit = Math.min(free, this.options.maxBatch);
      let claimed: DueWork<Item>;
      try {
        claimed = await this.options.claim(limit);
      } catch (error) {
        // The database is away or refused: the poll tries again. Said once per outage.
        if (!this.claimFailing) {
          this.options.logger.warn(
            { work: this.options.name, err: (error as Error).message },
            "could not claim due work; will try again",
          );
        }
        this.claimFailing = true;
        return;
      }
      if (this.claimFailing) this.options.logger.info({ work: this.options.name }, "claiming due work again");
      this.claimFailing = false;
      for (const item of claimed.items) {
        if (this.options.idOf && this.inHand.has(this.options.idOf(item))) continue;
        this.run(item);
      }
      if (claimed.nextDueInSeconds !== null) this.wakeIn(claimed.nextDueInSeconds);
      if (claimed.items.length < limit) {
        this.mayHaveMore = false;
        return;
      }
      this.mayHaveMore = true;
    }
  }

  private run(item: Item): void {
    this.inFlight += 1;
    const id = this.options.idOf?.(item);
    if (id !== undefined) this.inHand.add(id);
    this.options
      .handle(item)
      .catch((error: Error) =>
        this.options.logger.error(
          { work: this.options.name, err: error.message },
          "working on a claimed row failed; its lease frees it for another try",
        ),
      )
      .finally(() => {
        this.inFlight -= 1;
        if (id !== undefined) this.inHand.delete(id);
        if (this.stopped) {
          if (this.inFlight === 0) this.drained?.();
          return;
        }
        if (this.mayHaveMore) this.refill();
      });
  }

  /** Claims for the slots that freed up, together: now when enough are free, else a moment later. */
  private refill(): void {
    if (this.options.concurrency - this.inFlight >= this.refillAt) {
      if (this.refillTimer) clearTimeout(this.refillTimer);
      this.refillTimer = null;
      setImmediate(() => this.kick());
    } else {
      this.refillTimer ??= setTimeout(() => {
        this.refillTimer = null;
        this.kick();
      }, REFILL_DELAY_MS);
    }
  }
}
