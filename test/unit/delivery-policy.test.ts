import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AttemptResult,
  type NextStep,
  nextStep,
  type RetrySettings,
  retryDelaySeconds,
} from "../../src/core/delivery-policy.js";
import { CHANNELS, type Channel } from "../../src/core/model.js";

const fixed: RetrySettings = {
  maxRetries: 3,
  retryDelaySeconds: 60,
  retryBackoff: "fixed",
  retryMaxDelaySeconds: 3600,
};
const step = (channels: Channel[], history: AttemptResult[], retryCount = 0, settings = fixed): NextStep =>
  nextStep({ channels, history, retryCount, settings, random: () => 0.5 });

describe("the delivery policy", () => {
  it("tries the channels in the given order, one after the other", () => {
    expect(step(["sms", "email", "telegram"], [])).toEqual({ type: "try", channel: "sms", round: 1 });
    expect(step(["sms", "email", "telegram"], [{ channel: "sms", round: 1, result: "transient" }])).toEqual({
      type: "try",
      channel: "email",
      round: 1,
    });
    expect(step(["telegram", "sms"], [])).toEqual({ type: "try", channel: "telegram", round: 1 });
  });

  it("stops at the first success", () => {
    const history: AttemptResult[] = [
      { channel: "sms", round: 1, result: "transient" },
      { channel: "email", round: 1, result: "sent" },
    ];
    expect(step(["sms", "email", "telegram"], history)).toEqual({ type: "sent", channel: "email" });
  });

  it("schedules another round after RETRY_DELAY_SECONDS when a whole round fails", () => {
    const history: AttemptResult[] = [
      { channel: "sms", round: 1, result: "transient" },
      { channel: "email", round: 1, result: "transient" },
    ];
    expect(step(["sms", "email"], history)).toEqual({ type: "retry", round: 2, delaySeconds: 60 });
  });

  it("fails after MAX_RETRIES retries", () => {
    const history: AttemptResult[] = [1, 2, 3, 4].map((round) => ({
      channel: "sms",
      round,
      result: "transient",
    }));
    expect(step(["sms"], history, 3)).toEqual({
      type: "fail",
      reason: "every channel failed in all 4 rounds",
    });
  });

  it("fails at once when every channel is skipped", () => {
    const history: AttemptResult[] = [
      { channel: "sms", round: 1, result: "skipped", cause: "no_contact" },
      { channel: "telegram", round: 1, result: "skipped", cause: "not_configured" },
    ];
    expect(step(["sms", "telegram"], history)).toMatchObject({
      type: "fail",
      reason: expect.stringMatching(/skipped/),
    });
  });

  it("never tries a channel again after it failed permanently, and fails when nothing retryable is left", () => {
    const history: AttemptResult[] = [
      { channel: "sms", round: 1, result: "permanent" },
      { channel: "email", round: 1, result: "transient" },
    ];
    expect(step(["sms", "email"], history)).toMatchObject({ type: "retry", round: 2 });
    expect(step(["sms", "email"], history, 1)).toEqual({ type: "try", channel: "email", round: 2 });
    const after: AttemptResult[] = [...history, { channel: "email", round: 2, result: "permanent" }];
    expect(step(["sms", "email"], after, 1)).toMatchObject({ type: "fail" });
  });

  it("waits at least as long as a rate-limited provider asked", () => {
    const history: AttemptResult[] = [
      { channel: "telegram", round: 1, result: "rate_limited", retryAfterSeconds: 300 },
    ];
    expect(step(["telegram"], history)).toEqual({ type: "retry", round: 2, delaySeconds: 300 });
  });

  it("retries an interrupted attempt in the same round", () => {
    const history: AttemptResult[] = [{ channel: "sms", round: 1, result: "interrupted" }];
    expect(step(["sms", "email"], history)).toEqual({ type: "try", channel: "sms", round: 1 });
  });

  it("doubles the delay per round with exponential backoff, capped, with jitter in the upper half", () => {
    const settings: RetrySettings = {
      ...fixed,
      retryBackoff: "exponential",
      retryDelaySeconds: 10,
      retryMaxDelaySeconds: 50,
    };
    expect(retryDelaySeconds(0, settings, () => 0)).toBe(5);
    expect(retryDelaySeconds(0, settings, () => 0.999999)).toBeCloseTo(10);
    expect(retryDelaySeconds(1, settings, () => 0.999999)).toBeCloseTo(20);
    expect(retryDelaySeconds(5, settings, () => 0.999999)).toBeCloseTo(50);
    expect(retryDelaySeconds(5, settings, () => 0)).toBe(25);
  });
});

describe("the delivery policy after a manual retry", () => {
  // Round 1 failed everywhere (sms for good), rounds 2-4 too: the notification failed after 3 retries.
  const failedHistory: AttemptResult[] = [
    { channel: "sms", round: 1, result: "permanent" },
    ...[1, 2, 3, 4].map((round) => ({ channel: "email" as const, round, result: "transient" as const })),
  ];
  const retried = (history: AttemptResult[], retryCount: number, historyFromRound: number) =>
    nextStep({
      channels: ["sms", "email"],
      history,
      retryCount,
      historyFromRound,
      settings: fixed,
      random: () => 0.5,
    });

  it("gives a channel that failed permanently before the retry a fresh chance, in the new round", () => {
    expect(retried(failedHistory, 4, 5)).toEqual({ type: "try", channel: "sms", round: 5 });
  });

  it("counts MAX_RETRIES again from the retry's round", () => {
    const round5: AttemptResult[] = [
      ...failedHistory,
      { channel: "sms", round: 5, result: "transient" },
      { channel: "email", round: 5, result: "transient" },
    ];
    expect(retried(round5, 4, 5)).toEqual({ type: "retry", round: 6, delaySeconds: 60 });
    const round8 = [5, 6, 7, 8].flatMap((round) => [
      { channel: "sms" as const, round, result: "transient" as const },
      { channel: "email" as const, round, result: "transient" as const },
    ]);
    expect(retried([...failedHistory, ...round8], 7, 5)).toEqual({
      type: "fail",
      reason: "every channel failed in all 4 rounds since the manual retry",
    });
  });

  it("still remembers permanent failures within the new series", () => {
    const history: AttemptResult[] = [
      ...failedHistory,
      { channel: "sms", round: 5, result: "permanent" },
      { channel: "email", round: 5, result: "transient" },
    ];
    expect(retried(history, 5, 5)).toEqual({ type: "try", channel: "email", round: 6 });
  });

  it("starts its backoff from the first delay again", () => {
    const settings: RetrySettings = { ...fixed, retryBackoff: "exponential", retryDelaySeconds: 10 };
    const history: AttemptResult[] = [...failedHistory, { channel: "email", round: 5, result: "transient" }];
    const step = nextStep({
      channels: ["email"],
      history,
      retryCount: 4,
      historyFromRound: 5,
      settings,
      random: () => 0.999999,
    });
    expect(step).toMatchObject({ type: "retry", round: 6 });
    expect((step as { delaySeconds: number }).delaySeconds).toBeCloseTo(10);
  });
});

describe("the delivery policy, for any sequence of outcomes", () => {
  const outcome = fc.oneof(
    fc.constant({ result: "sent" } as const),
    fc.constant({ result: "transient" } as const),
    fc.constant({ result: "permanent" } as const),
    fc.constant({ result: "misconfigured" } as const),
    fc.constant({ result: "interrupted" } as const),
    fc.record({
      result: fc.constant("rate_limited" as const),
      retryAfterSeconds: fc.integer({ min: 0, max: 1000 }),
    }),
    fc.record({
      result: fc.constant("skipped" as const),
      cause: fc.constantFrom("no_contact" as const, "not_configured" as const, "circuit_open" as const),
    }),
  );
  const channelsArb = fc.shuffledSubarray([...CHANNELS], { minLength: 1 }) as fc.Arbitrary<Channel[]>;
  const settingsArb = fc.record({
    maxRetries: fc.integer({ min: 0, max: 5 }),
    retryDelaySeconds: fc.double({ min: 0, max: 100, noNaN: true }),
    retryBackoff: fc.constantFrom("fixed" as const, "exponential" as const),
    retryMaxDelaySeconds: fc.double({ min: 0, max: 1000, noNaN: true }),
  });

  /** Drives the policy as the worker does, feeding it outcomes, until it ends. */
  function simulate(
    channels: Channel[],
    settings: RetrySettings,
    outcomes: fc.Arbitrary<unknown>[] | unknown[],
  ) {
    const history: AttemptResult[] = [];
    let retryCount = 0;
    let steps = 0;
    let interruptions = 0;
    for (const next of outcomes as Array<Record<string, unknown>>) {
      const decision = nextStep({ channels, history, retryCount, settings, random: Math.random });
      steps += 1;
      if (decision.type === "sent" || decision.type === "fail")
        return { decision, history, retryCount, steps };
      if (decision.type === "retry") {
        expect(decision.round).toBe(retryCount + 2);
        expect(decision.delaySeconds).toBeGreaterThanOrEqual(0);
        retryCount += 1;
        continue;
      }
      if (decision.type === "await_receipt") throw new Error("no receipt deadline is configured here");
      // An interrupted attempt is retried; a worker that dies forever is not this test's subject.
      const result = next.result === "interrupted" && ++interruptions > 3 ? { result: "transient" } : next;
      history.push({ channel: decision.channel, round: decision.round, ...result } as AttemptResult);
    }
    return { decision: null, history, retryCount, steps };
  }

  it("always ends within its rounds, never retries a permanent failure, and never exceeds MAX_RETRIES", () => {
    fc.assert(
      fc.property(
        channelsArb,
        settingsArb,
        fc.array(outcome, { minLength: 200, maxLength: 200 }),
        (channels, settings, outcomes) => {
          const { decision, history, retryCount } = simulate(channels, settings, outcomes);
          expect(decision).not.toBeNull();
          expect(retryCount).toBeLessThanOrEqual(settings.maxRetries);
          for (const attempt of history) {
            expect(attempt.round).toBeLessThanOrEqual(settings.maxRetries + 1);
            expect(channels).toContain(attempt.channel);
          }
          // After a permanent failure (or a hopeless skip) the channel is never tried again.
          for (const [index, attempt] of history.entries()) {
            const deadEnd =
              attempt.result === "permanent" ||
              (attempt.result === "skipped" && attempt.cause !== "circuit_open");
            if (deadEnd)
              expect(history.slice(index + 1).some((later) => later.channel === attempt.channel)).toBe(false);
          }
          // Within a round, each channel ends at most once (interrupted attempts aside).
          const finished = history.filter((attempt) => attempt.result !== "interrupted");
          const keys = finished.map((attempt) => `${attempt.round}:${attempt.channel}`);
          expect(new Set(keys).size).toBe(keys.length);
          if (decision?.type === "sent") expect(history.at(-1)?.result).toBe("sent");
        },
      ),
      { numRuns: 500 },
    );
  });

  it("after any number of manual retries, still ends each series within MAX_RETRIES and never reuses a round", () => {
    fc.assert(
      fc.property(
        channelsArb,
        settingsArb,
        fc.array(outcome, { minLength: 300, maxLength: 300 }),
        fc.integer({ min: 1, max: 3 }),
        (channels, settings, outcomes, manualRetries) => {
          const history: AttemptResult[] = [];
          const seriesOf: number[] = [];
          let retryCount = 0;
          let historyFromRound = 1;
          let retriesLeft = manualRetries;
          let interruptions = 0;
          let decision: NextStep | null = null;
          for (const next of outcomes as Array<Record<string, unknown>>) {
            decision = nextStep({
              channels,
              history,
              retryCount,
              historyFromRound,
              settings,
              random: Math.random,
            });
            if (decision.type === "sent") break;
            if (decision.type === "fail") {
              if (retriesLeft === 0) break;
              // What POST /retry does: the next unused round starts a fresh series.
              retriesLeft -= 1;
              const highest = Math.max(0, ...history.map((attempt) => attempt.round));
              historyFromRound = Math.max(retryCount + 1, highest + 1);
              retryCount = historyFromRound - 1;
              continue;
            }
            if (decision.type === "retry") {
              expect(decision.round).toBe(retryCount + 2);
              retryCount += 1;
              expect(retryCount - (historyFromRound - 1)).toBeLessThanOrEqual(settings.maxRetries);
              continue;
            }
            if (decision.type === "await_receipt") throw new Error("no receipt deadline is configured here");
            expect(decision.round).toBeGreaterThanOrEqual(historyFromRound);
            const result =
              next.result === "interrupted" && ++interruptions > 3 ? { result: "transient" } : next;
            history.push({ channel: decision.channel, round: decision.round, ...result } as AttemptResult);
            seriesOf.push(manualRetries - retriesLeft);
          }
          expect(decision?.type === "sent" || decision?.type === "fail").toBe(true);
          // Within a series, a channel that failed for good is never tried again.
          for (const [index, attempt] of history.entries()) {
            if (attempt.result !== "permanent") continue;
            const sameSeriesLater = history
              .slice(index + 1)
              .filter((_, offset) => seriesOf[index + 1 + offset] === seriesOf[index]);
            expect(sameSeriesLater.some((other) => other.channel === attempt.channel)).toBe(false);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
