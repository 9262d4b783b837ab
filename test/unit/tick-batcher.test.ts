import { describe, expect, it } from "vitest";
import { runAsIfAlone, TickBatcher } from "../../src/db/tick-batcher.js";

describe("TickBatcher", () => {
  it("runs the calls of one tick as one batch and answers each caller alone", async () => {
    const batches: number[][] = [];
    const batcher = new TickBatcher<number, number>(async (items) => {
      batches.push(items);
      return items.map((item) => (item < 0 ? new Error(`negative ${item}`) : item * 10));
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(-2), batcher.add(3)]);
    expect(batches).toEqual([[1, -2, 3]]);
    expect(
      results.map((result) => (result.status === "fulfilled" ? result.value : result.reason.message)),
    ).toEqual([10, "negative -2", 30]);
  });

  it("with maxInFlight, holds the calls made while a batch runs for the next batch, and goes on after a failure", async () => {
    // A few turns of the event loop: enough for a finished batch to hand over to the next.
    const settle = async () => {
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    };
    const batches: number[][] = [];
    const releases: Array<() => void> = [];
    const batcher = new TickBatcher<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise<void>((resolve) => releases.push(resolve));
        if (items.includes(13)) throw new Error("unlucky batch");
        return items;
      },
      3,
      1,
    );
    const first = batcher.add(1);
    await settle();
    expect(batches).toEqual([[1]]);
    // Four calls while the first batch runs: the next batch takes three (maxBatch), then one.
    const waiting = [2, 13, 4, 5].map((item) => batcher.add(item).catch((error: Error) => error.message));
    await settle();
    expect(batches).toEqual([[1]]);
    releases.shift()!();
    expect(await first).toBe(1);
    await settle();
    expect(batches).toEqual([[1], [2, 13, 4]]);
    releases.shift()!();
    await settle();
    expect(batches).toEqual([[1], [2, 13, 4], [5]]);
    releases.shift()!();
    expect(await Promise.all(waiting)).toEqual(["unlucky batch", "unlucky batch", "unlucky batch", 5]);
  });
});

describe("runAsIfAlone", () => {
  it("puts items that share a key in separate statements, one after the other", async () => {
    const statements: string[][] = [];
    const results = await runAsIfAlone(
      ["a1", "b1", "a2", "a3"],
      (item) => item[0],
      async (items) => {
        statements.push(items);
        return items.map((item) => item.toUpperCase());
      },
    );
    expect(statements).toEqual([["a1", "b1"], ["a2"], ["a3"]]);
    expect(results).toEqual(["A1", "B1", "A2", "A3"]);
  });

  it("tries each item alone when the batch fails, so only the bad item fails", async () => {
    const statements: string[][] = [];
    const results = await runAsIfAlone(
      ["ok", "bad", "fine"],
      (item) => item,
      async (items) => {
        statements.push(items);
        if (items.includes("bad")) throw new Error("invalid byte sequence");
        return items.map((item) => item.length);
      },
    );
    expect(statements).toEqual([["ok", "bad", "fine"], ["ok"], ["bad"], ["fine"]]);
    expect(results.slice(0, 1)).toEqual([2]);
    expect(results[1]).toBeInstanceOf(Error);
    expect(results[2]).toBe(4);
  });

  it("does not try items one by one while the database is away", async () => {
    let statements = 0;
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    const results = await runAsIfAlone(
      [1, 2, 3],
      (item) => item,
      async () => {
        statements += 1;
        throw refused;
      },
    );
    expect(statements).toBe(1);
    expect(results).toEqual([refused, refused, refused]);
  });
});
