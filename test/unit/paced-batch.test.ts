import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { PacedBatch } from "../../src/redis/paced-batch.js";

describe("PacedBatch", () => {
  let sent: string[][];
  const batch = () =>
    new PacedBatch<string>(100, async (items) => {
      sent.push(items);
    });

  beforeEach(() => {
    sent = [];
    vi.useFakeTimers({
      toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends what a quiet process adds on the next tick, together", async () => {
    const paced = batch();
    paced.add("a");
    paced.add("b");
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([["a", "b"]]);
  });

  it("sends at most one batch per interval under load, in the order added", async () => {
    const paced = batch();
    paced.add("a");
    await vi.advanceTimersByTimeAsync(0);
    paced.add("b");
    await vi.advanceTimersByTimeAsync(10);
    paced.add("c");
    await vi.advanceTimersByTimeAsync(80);
    expect(sent).toEqual([["a"]]);
    await vi.advanceTimersByTimeAsync(10);
    expect(sent).toEqual([["a"], ["b", "c"]]);
    // A quiet interval later, the next item goes at once again.
    await vi.advanceTimersByTimeAsync(500);
    paced.add("d");
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([["a"], ["b", "c"], ["d"]]);
  });

  it("flush sends what is pending at once and cancels the timer", async () => {
    const paced = batch();
    paced.add("a");
    await vi.advanceTimersByTimeAsync(0);
    paced.add("b");
    await paced.flush();
    expect(sent).toEqual([["a"], ["b"]]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent).toEqual([["a"], ["b"]]);
    await paced.flush();
    expect(sent).toHaveLength(2);
  });
});
