/**
 * The one place that decides what follows a provider outcome: the next channel now, another
 * round later, or the end. Pure: everything it needs is passed in, so it is tested exhaustively.
 */
import type { Channel, DeliveryState } from "./model.js";
import type { FailureKind } from "./outcome.js";

/** Why a channel was not even tried. */
export type SkipCause =
  | "no_contact"
  | "not_configured"
  | "circuit_open"
  | "no_template_body"
  /** The recipient turned the channel off, everywhere or for the notification's category. */
  | "preference"
  /** The recipient's address on the channel is suppressed (proven dead, or by hand). */
  | "suppressed";

/** What the policy needs to know of one past attempt. */
export type AttemptResult =
  | AcceptedAttempt
  | { channel: Channel; round: number; result: "interrupted" }
  | { channel: Channel; round: number; result: "skipped"; cause: SkipCause }
  | { channel: Channel; round: number; result: Exclude<FailureKind, "rate_limited"> }
  | { channel: Channel; round: number; result: "rate_limited"; retryAfterSeconds: number };

/**
 * A provider accepted the message. `delivery` and `acceptedAt` matter only on a channel with a
 * receipt deadline; without them the attempt counts as delivered, as it always did.
 */
export interface AcceptedAttempt {
  channel: Channel;
  round: number;
  result: "sent";
  delivery?: DeliveryState;
  /** When the provider accepted it, in ms since the epoch. */
  acceptedAt?: number;
}

export interface RetrySettings {
  maxRetries: number;
  retryDelaySeconds: number;
  retryBackoff: "fixed" | "exponential";
  retryMaxDelaySeconds: number;
}

export interface PolicyInput {
  /** The notification's channels in the order to try them. */
  channels: readonly Channel[];
  /** Every attempt so far, in the order they were made. */
  history: readonly AttemptResult[];
  /** Rounds that have already been rescheduled; the current round is retryCount + 1. */
  retryCount: number;
  /**
   * The first round that counts (default 1). A manual retry starts a fresh series at a new round:
   * attempts before it are history for people, not for the policy, so channels that failed
   * permanently get another chance and MAX_RETRIES counts again from there.
   */
  historyFromRound?: number;
  settings: RetrySettings;
  /** A number in [0, 1) for jitter. */
  random: () => number;
  /**
   * Per channel whose provider gives receipts, how long an accepted message may wait for its
   * final receipt before the next channel is tried (SMS_RECEIPT_TIMEOUT_SECONDS). Absent: the
   * provider accepting it is enough.
   */
  receiptTimeoutSeconds?: Partial<Record<Channel, number>>;
  /** The time now, in ms since the epoch; needed only with receipt deadlines. */
  now?: number;
}

export type NextStep =
  | { type: "try"; channel: Channel; round: number }
  | { type: "sent"; channel: Channel }
  /** Hold the notification until the receipt comes or the deadline passes, whichever is first. */
  | { type: "await_receipt"; channel: Channel; delaySeconds: number }
  | { type: "retry"; round: number; delaySeconds: number }
  | { type: "fail"; reason: string };

/** A channel that can never deliver this notification, whatever the next rounds bring. */
export function isDeadEnd(attempt: AttemptResult): boolean {
  if (attempt.result === "permanent") return true;
  return attempt.result === "skipped" && attempt.cause !== "circuit_open";
}

/**
 * What an accepted attempt counts as: `delivered` ends the notification sent; `waiting` holds it
 * until its receipt deadline; `undelivered` is a failure in its round (the next channel is tried);
 * `timed_out` passed its deadline without a final receipt: the next channel is tried, but if none
 * delivers, the accepted message stands and the notification ends sent rather than failed.
 */
export type AcceptedStanding =
  | { kind: "delivered" }
  | { kind: "waiting"; remainingSeconds: number }
  | { kind: "undelivered" }
  | { kind: "timed_out" };

export function standingOf(
  attempt: AcceptedAttempt,
  receiptTimeoutSeconds: PolicyInput["receiptTimeoutSeconds"],
  now: number,
): AcceptedStanding {
  const deadline = receiptTimeoutSeconds?.[attempt.channel];
  if (deadline === undefined || attempt.delivery === undefined || attempt.delivery === "delivered") {
    return { kind: "delivered" };
  }
  if (attempt.delivery === "undelivered") return { kind: "undelivered" };
  if (attempt.delivery === "unknown") return { kind: "timed_out" };
  const remainingSeconds = deadline - (now - (attempt.acceptedAt ?? now)) / 1000;
  return remainingSeconds > 0 ? { kind: "waiting", remainingSeconds } : { kind: "timed_out" };
}

export function nextStep(input: PolicyInput): NextStep {
  const { channels, retryCount, settings } = input;
  const firstRound = input.historyFromRound ?? 1;
  const history =
    firstRound > 1 ? input.history.filter((attempt) => attempt.round >= firstRound) : input.history;
  // Retries made in this series; the same as retryCount when there was no manual retry.
  const retriesSoFar = Math.max(0, retryCount - (firstRound - 1));
  const now = input.now ?? Date.now();
  const accepted = history
    .filter((attempt): attempt is AcceptedAttempt => attempt.result === "sent")
    .map((attempt) => ({ attempt, standing: standingOf(attempt, input.receiptTimeoutSeconds, now) }));
  const success = accepted.find(({ standing }) => standing.kind === "delivered");
  if (success) return { type: "sent", channel: success.attempt.channel };
  const waiting = accepted.find(({ standing }) => standing.kind === "waiting");
  if (waiting?.standing.kind === "waiting") {
    return {
      type: "await_receipt",
      channel: waiting.attempt.channel,
      delaySeconds: waiting.standing.remainingSeconds,
    };
  }

  const round = retryCount + 1;
  const deadChannels = new Set(history.filter(isDeadEnd).map((attempt) => attempt.channel));
  // An interrupted attempt (its worker died mid-call) does not count: the channel is tried again.
  const doneThisRound = new Set(
    history
      .filter((attempt) => attempt.round === round && attempt.result !== "interrupted")
      .map((attempt) => attempt.channel),
  );
  const next = channels.find((channel) => !deadChannels.has(channel) && !doneThisRound.has(channel));
  if (next) return { type: "try", channel: next, round };
  // Nothing else delivered it: a message a provider accepted may still arrive, and another round
  // would send it again, so the accepted one stands.
  const standing = accepted.find(({ standing }) => standing.kind === "timed_out");
  if (standing) return { type: "sent", channel: standing.attempt.channel };

  const retryable = channels.filter((channel) => !deadChannels.has(channel));
  if (retryable.length === 0) return { type: "fail", reason: noChannelLeftReason(channels, history) };
  if (retriesSoFar >= settings.maxRetries) {
    const rounds = retriesSoFar + 1;
    const since = firstRound > 1 ? " since the manual retry" : "";
    return {
      type: "fail",
      reason: `every channel failed in all ${rounds} round${rounds === 1 ? "" : "s"}${since}`,
    };
  }
  const providerWait = Math.max(
    0,
    ...history
      .filter((attempt) => attempt.round === round)
      .map((attempt) => (attempt.result === "rate_limited" ? attempt.retryAfterSeconds : 0)),
  );
  const delaySeconds = Math.max(retryDelaySeconds(retriesSoFar, settings, input.random), providerWait);
  return { type: "retry", round: round + 1, delaySeconds };
}

/** The wait before round retryCount + 2, after round retryCount + 1 failed. */
export function retryDelaySeconds(retryCount: number, settings: RetrySettings, random: () => number): number {
  if (settings.retryBackoff === "fixed") return settings.retryDelaySeconds;
  const exponential = Math.min(settings.retryMaxDelaySeconds, settings.retryDelaySeconds * 2 ** retryCount);
  // "Equal jitter": never less than half the delay, so retries stay spread but still back off.
  return exponential / 2 + (random() * exponential) / 2;
}

function noChannelLeftReason(channels: readonly Channel[], history: readonly AttemptResult[]): string {
  const skipCause = (channel: Channel) =>
    history.find(
      (attempt): attempt is Extract<AttemptResult, { result: "skipped" }> =>
        attempt.channel === channel && attempt.result === "skipped",
    );
  const causes = channels.map((channel) => skipCause(channel)?.cause);
  if (causes.every((cause) => cause === "preference")) {
    return "the recipient turned off every channel of this notification in their preferences";
  }
  if (causes.every((cause) => cause === "suppressed")) {
    return "the recipient's address on every channel of this notification is suppressed";
  }
  if (causes.every((cause) => cause === "preference" || cause === "suppressed")) {
    const named = (wanted: SkipCause) => channels.filter((_, index) => causes[index] === wanted).join(", ");
    return `no channel may deliver this notification: ${named("preference")} turned off in the recipient's preferences, ${named("suppressed")} suppressed`;
  }
  const allSkipped = causes.every((cause) => cause !== undefined);
  return allSkipped
    ? "no channel can deliver this notification: every channel was skipped"
    : "no channel left that could deliver this notification: the others failed permanently";
}
