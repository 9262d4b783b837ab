/**
 * When the due-work runner claims: the decisions of the loop alone, against an in-memory list of
 * due rows (the integration and fault tests run it against PostgreSQL).
 */
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { DueWorkRunner } from "../../src/queue/due-work-runner.js";
import type { WorkWakeUps } from "../../src/usecases/ports.js";

/** Rows due at a time (ms on this clock); claims take the due ones, oldest first. */
class DueRows {
  private rows: { id: number; dueAt: number }[] = [];
  readonly claims: number[] = [];

  add(id: number, inMs = 0): void {
    this.rows.push({ id, dueAt: Date.now() + inMs });
  }

  async claim(limit: number) {
    this.claims.push(limit);
    const now = Date.now();
    const due = this.rows.filter((row) => row.dueAt <= now).slice(0, limit);
    this.rows = this.rows.filter((row) => !due.includes(row));
    const later = this.rows.map((row) => row.dueAt - now);
    return {
      items: due.map((row) => row.id),
      nextDueInSeconds: later.length > 0 ? Math.min(...later) / 1000 : null,
    };
  }
}

class LocalWakeUps implements WorkWakeUps {
  private readonly listeners = new Set<() => void>();
  wake(): void {
    for (const listener of this.listeners) listener();
  }
  async listen(listener: () => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  async close() {}
}

const settle = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the due-work runner", () => {
  const runners: DueWorkRunner<number>[] = [];
  afterEach(async () => {
    for (const runner of runners.splice(0)) await runner.stop(1_000);
  });

  const start = async (
    rows: DueRows,
    options: {
      concurrency?: number;
      maxBatch?: number;
      pollIntervalMs?: number;
      handle?: (id: number) => Promise<unknown>;
      idOf?: (id: number) => unknown;
    } = {},
  ) => {
    const handled: number[] = [];
    const wakeUps = new LocalWakeUps();
    const runner = new DueWorkRunner<number>({
      name: "test rows",
      claim: (limit) => rows.claim(limit),
      handle: async (id) => {
        handled.push(id);
        await options.handle?.(id);
      },
      ...(options.idOf ? { idOf: options.idOf } : {}),
      concurrency: options.concurrency ?? 8,
      maxBatch: options.maxBatch ?? 4,
      pollIntervalMs: options.pollIntervalMs ?? 60_000,
      wakeUps,
      logger: silentLogger,
    });
    runners.push(runner);
    await runner.start();
    return { runner, handled, wakeUps };
  };

  it("claims what is due at start in batches, and what is made due when woken", async () => {
    const rows = new DueRows();
    for (let id = 1; id <= 6; id += 1) rows.add(id);
    const { handled, wakeUps } = await start(rows);
    await expect.poll(() => handled).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rows.claims.slice(0, 2)).toEqual([4, 4]);

    await settle(50); // the claims that follow a full batch find nothing more
    rows.add(7);
    await settle();
    expect(handled).not.toContain(7); // no poll for a minute, and nobody woke it
    wakeUps.wake();
    await expect.poll(() => handled).toContain(7);
  });

  it("does not work twice on a row a claim takes again while it is still in hand", async () => {
    const rows = new DueRows();
    rows.add(1);
    let finish: () => void = () => {};
    const { handled, wakeUps } = await start(rows, {
      idOf: (id) => id,
      handle: (id) => (id === 1 ? new Promise<void>((resolve) => (finish = resolve)) : Promise.resolve()),
    });
    await expect.poll(() => handled).toEqual([1]);
    // Its lease lapsed while it waited (for an SMTP connection, say): the next claim takes it again.
    rows.add(1);
    rows.add(2);
    wakeUps.wake();
    await expect.poll(() => handled).toEqual([1, 2]);
    finish();
    await settle();
    expect(handled).toEqual([1, 2]);
  });

  it("looks again when the next row falls due, as the last claim said", async () => {
    const rows = new DueRows();
    rows.add(1, 150);
    const { handled } = await start(rows);
    await settle(50);
    expect(handled).toEqual([]);
    await expect.poll(() => handled).toEqual([1]);
  });

  it("waits quietly for a row due months ahead (longer than a timer can hold)", async () => {
    // A send_at may be 366 days ahead; Node fires a timer set past 2^31-1 ms (24.8 days) after
    // 1 ms, so the runner claimed again at once, was told the same far-off time, and looped.
    const rows = new DueRows();
    rows.add(1, 300 * 24 * 3600 * 1000);
    await start(rows);
    await settle(100);
    expect(rows.claims.length).toBe(1);
  });

  it("claims no more rows than it has free slots, and claims again for freed slots together", async () => {
    const rows = new DueRows();
    for (let id = 1; id <= 20; id += 1) rows.add(id);
    const releases: (() => void)[] = [];
    const { handled, runner } = await start(rows, {
      concurrency: 8,
      maxBatch: 8,
      handle: () => new Promise<void>((resolve) => releases.push(resolve)),
    });
    await expect.poll(() => handled).toHaveLength(8);
    expect(runner.busy).toBe(8);
    const claimsBefore = rows.claims.length;
    // One slot frees up: below a quarter of the slots, so it waits a moment for company.
    releases.shift()?.();
    releases.shift()?.();
    await expect.poll(() => handled).toHaveLength(10);
    expect(rows.claims.length).toBe(claimsBefore + 1);
    expect(rows.claims.at(-1)).toBe(2);
  });

  it("on stop, claims nothing more and waits for the rows in hand, up to the grace period", async () => {
    const rows = new DueRows();
    rows.add(1);
    let finish: () => void = () => {};
    const { runner, handled, wakeUps } = await start(rows, {
      handle: () => new Promise<void>((resolve) => (finish = resolve)),
    });
    await expect.poll(() => handled).toEqual([1]);
    const stopping = runner.stop(5_000);
    rows.add(2);
    wakeUps.wake();
    await settle();
    finish();
    expect(await stopping).toBe(true);
    expect(handled).toEqual([1]);

    const other = new DueRows();
    other.add(3);
    const hanging = await start(other, { handle: () => new Promise(() => {}) });
    await expect.poll(() => hanging.handled).toEqual([3]);
    expect(await hanging.runner.stop(50)).toBe(false);
  });
});
