/**
 * The one place that decides what follows a provider outcome: the next channel now, another
 * round later, or the end. Pure: everything it needs is passed in, so it is tested exhaustively.
 */
import type { Channel } from "./model.js";
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
  | { channel: Channel; round: number; result: "sent" }
  | { channel: Channel; round: number; result: "interrupted" }
  | { channel: Channel; round: number; result: "skipped"; cause: SkipCause }
  | { channel: Channel; round: number; result: Exclude<FailureKind, "rate_limited"> }
  | { channel: Channel; round: number; result: "rate_limited"; retryAfterSeconds: number };

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
}

export type NextStep =
  | { type: "try"; channel: Channel; round: number }
  | { type: "sent"; channel: Channel }
  | { type: "retry"; round: number; delaySeconds: number }
  | { type: "fail"; reason: string };

/** A channel that can never deliver this notification, whatever the next rounds bring. */
export function isDeadEnd(attempt: AttemptResult): boolean {
  if (attempt.result === "permanent") return true;
  return attempt.result === "skipped" && attempt.cause !== "circuit_open";
}

export function nextStep(input: PolicyInput): NextStep {
  const { channels, retryCount, settings } = input;
  const firstRound = input.historyFromRound ?? 1;
  const history =
    firstRound > 1 ? input.history.filter((attempt) => attempt.round >= firstRound) : input.history;
  // Retries made in this series; the same as retryCount when there was no manual retry.
  const retriesSoFar = Math.max(0, retryCount - (firstRound - 1));
  const success = history.find((attempt) => attempt.result === "sent");
  if (success) return { type: "sent", channel: success.channel };

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
