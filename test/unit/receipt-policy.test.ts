import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type AttemptResult,
  nextStep,
  type PolicyInput,
  type RetrySettings,
} from "../../src/core/delivery-policy.js";
import type { Channel, DeliveryState } from "../../src/core/model.js";
import { nextCheck } from "../../src/receipts/receipt-schedule.js";

const settings: RetrySettings = {
  maxRetries: 2,
  retryDelaySeconds: 60,
  retryBackoff: "fixed",
  retryMaxDelaySeconds: 3600,
};
const NOW = 1_000_000_000;
const sms = (delivery: DeliveryState, secondsAgo: number, round = 1): AttemptResult => ({
  channel: "sms",
  round,
  result: "sent",
  delivery,
  acceptedAt: NOW - secondsAgo * 1000,
});
const step = (history: AttemptResult[], timeouts: PolicyInput["receiptTimeoutSeconds"] = { sms: 30 }) =>
  nextStep({
    channels: ["sms", "email", "telegram"],
    history,
    retryCount: 0,
    settings,
    random: () => 0.5,
    receiptTimeoutSeconds: timeouts,
    now: NOW,
  });

describe("the delivery policy with receipts", () => {
  it("without a receipt deadline, an accepted SMS is enough, whatever its receipt says later", () => {
    for (const delivery of ["accepted", "undelivered", "unknown", "delivered"] as const) {
      expect(step([sms(delivery, 5)], {})).toEqual({ type: "sent", channel: "sms" });
    }
  });

  it("with a deadline, holds for the receipt until the deadline, and ends sent once delivered", () => {
    expect(step([sms("accepted", 10)])).toEqual({ type: "await_receipt", channel: "sms", delaySeconds: 20 });
    expect(step([sms("delivered", 10)])).toEqual({ type: "sent", channel: "sms" });
  });

  it("goes on to the next channel in the same round when the SMS is not delivered or the deadline passed", () => {
    expect(step([sms("undelivered", 5)])).toEqual({ type: "try", channel: "email", round: 1 });
    expect(step([sms("accepted", 31)])).toEqual({ type: "try", channel: "email", round: 1 });
    expect(step([sms("unknown", 31)])).toEqual({ type: "try", channel: "email", round: 1 });
  });

  it("lets a timed-out SMS stand when no other channel delivers, instead of sending it again", () => {
    const failedElsewhere: AttemptResult[] = [
      sms("accepted", 40),
      { channel: "email", round: 1, result: "transient" },
      { channel: "telegram", round: 1, result: "permanent" },
    ];
    expect(step(failedElsewhere)).toEqual({ type: "sent", channel: "sms" });
    // An undelivered one does not stand: the round failed.
    failedElsewhere[0] = sms("undelivered", 40);
    expect(step(failedElsewhere)).toMatchObject({ type: "retry", round: 2 });
  });

  it("a late delivered SMS after the fallback went out ends it on the first delivered attempt, never a third send", () => {
    const history: AttemptResult[] = [sms("delivered", 90), { channel: "email", round: 1, result: "sent" }];
    expect(step(history)).toEqual({ type: "sent", channel: "sms" });
  });

  it("never sends on a channel twice in a round, never waits past the deadline, and always ends", () => {
    const channel = fc.constantFrom<Channel>("sms", "email", "telegram");
    const outcome = fc.oneof(
      fc.record({
        result: fc.constant("sent" as const),
        delivery: fc.constantFrom<DeliveryState>("accepted", "delivered", "undelivered", "unknown"),
        secondsAgo: fc.integer({ min: 0, max: 120 }),
      }),
      fc.record({
        result: fc.constantFrom("transient" as const, "permanent" as const, "misconfigured" as const),
      }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(channel, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(outcome, { minLength: 30, maxLength: 30 }),
        (channels, deadline, outcomes) => {
          const history: AttemptResult[] = [];
          let retryCount = 0;
          for (const next of outcomes) {
            const decision = nextStep({
              channels,
              history,
              retryCount,
              settings,
              random: () => 0.5,
              receiptTimeoutSeconds: { sms: deadline },
              now: NOW,
            });
            if (decision.type === "sent" || decision.type === "fail") {
              if (decision.type === "sent") {
                // It ends on a message a provider accepted, never on one reported not delivered.
                const ending = history.filter(
                  (attempt) =>
                    attempt.channel === decision.channel &&
                    attempt.result === "sent" &&
                    attempt.delivery !== "undelivered",
                );
                expect(ending.length).toBeGreaterThan(0);
              }
              return;
            }
            if (decision.type === "await_receipt") {
              expect(decision.channel).toBe("sms");
              expect(decision.delaySeconds).toBeGreaterThan(0);
              expect(decision.delaySeconds).toBeLessThanOrEqual(deadline);
              // Time passes to the deadline: the held SMS has timed out by then.
              const held = history.findLast(
                (attempt) => attempt.channel === "sms" && attempt.result === "sent",
              );
              if (held?.result === "sent") held.acceptedAt = NOW - deadline * 1000;
              continue;
            }
            if (decision.type === "retry") {
              retryCount += 1;
              continue;
            }
            expect(
              history.some(
                (attempt) => attempt.round === decision.round && attempt.channel === decision.channel,
              ),
            ).toBe(false);
            const attempt: AttemptResult =
              next.result === "sent"
                ? decision.channel === "sms"
                  ? {
                      channel: "sms",
                      round: decision.round,
                      result: "sent",
                      delivery: next.delivery,
                      acceptedAt: NOW - next.secondsAgo * 1000,
                    }
                  : { channel: decision.channel, round: decision.round, result: "sent" }
                : { channel: decision.channel, round: decision.round, result: next.result };
            history.push(attempt);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("the receipt check schedule", () => {
  const schedule = { pollSeconds: 10, pollMaxSeconds: 300, maxAgeSeconds: 3600 };

  it("backs off from the first wait up to the cap, and the last check falls on the max age", () => {
    expect(nextCheck(0, 0, schedule)).toEqual({ kind: "again", inSeconds: 10 });
    expect(nextCheck(1, 10, schedule)).toEqual({ kind: "again", inSeconds: 20 });
    expect(nextCheck(10, 1000, schedule)).toEqual({ kind: "again", inSeconds: 300 });
    expect(nextCheck(10, 3500, schedule)).toEqual({ kind: "again", inSeconds: 100 });
    expect(nextCheck(11, 3600, schedule)).toEqual({ kind: "give_up" });
  });

  it("never schedules a check past the max age", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        (checks, age) => {
          const next = nextCheck(checks, age, schedule);
          if (next.kind === "give_up") expect(age).toBeGreaterThanOrEqual(schedule.maxAgeSeconds);
          else {
            expect(next.inSeconds).toBeGreaterThan(0);
            expect(age + next.inSeconds).toBeLessThanOrEqual(schedule.maxAgeSeconds + 1e-9);
          }
        },
      ),
    );
  });
});
