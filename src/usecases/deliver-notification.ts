import { audienceSkip, type UnsubscribeLinkMaker, unsubscribeUrlOf } from "../audiences/audience-gate.js";
import { suppressionAddressOf } from "../audiences/suppression-address.js";
import type { ChannelAddressing, ChannelProvider, OutgoingMessage } from "../channels/channel.js";
import { type AttemptResult, nextStep, type RetrySettings, type SkipCause } from "../core/delivery-policy.js";
import type { Logger } from "../core/logger.js";
import type {
  Channel,
  ClaimedDelivery,
  Recipient,
  RecipientAudience,
  StoredAttempt,
  StoredNotification,
  UserProfile,
} from "../core/model.js";
import { type DeliveryOutcome, type SentOutcome, transient } from "../core/outcome.js";
import { expiredReason, hasExpired, nextSendTime } from "../scheduling/send-time.js";
import type { ChannelCircuit } from "./channel-circuit.js";
import type { DeliveryObserver } from "./delivery-observer.js";
import type {
  DeliveryStore,
  NotificationEventPublisher,
  SuppressionWebhookEvents,
  WebhookEvents,
} from "./ports.js";

export interface DeliverDeps {
  deliveries: DeliveryStore;
  /** Hears of every change a delivery commits (live dashboards). */
  events: NotificationEventPublisher;
  providers: ReadonlyMap<Channel, ChannelProvider>;
  /** Each recipient's address on a channel, or why there is none. */
  addressing: ChannelAddressing;
  /** Why each channel without a provider has none, recorded on its skipped attempts. */
  missingChannels: Partial<Record<Channel, string>>;
  circuit: ChannelCircuit;
  channelOrder: readonly Channel[];
  retry: RetrySettings;
  leaseSeconds: number;
  providerTimeoutSeconds: number;
  /** Identifies this worker in leases; unique per process. */
  workerId: string;
  logger: Logger;
  /** True once the worker is shutting down: finish the call in flight, start no other. */
  stopping?: () => boolean;
  random?: () => number;
  /** Hears of notifications that end sent (metrics); optional. */
  observer?: DeliveryObserver;
  /** Told when a round this worker scheduled falls due, so it need not wait for its next poll. */
  wakeIn?: (seconds: number) => void;
  /** The time now, for expiry and quiet hours; tests pass their own. */
  clock?: () => Date;
  /** Tells webhook subscribers of sends, failures and failed attempts; optional. */
  webhooks?: WebhookEvents & SuppressionWebhookEvents;
  /** CRITICAL_CATEGORIES: categories delivered whatever the recipient's preferences. */
  criticalCategories?: ReadonlySet<string>;
  /** Makes the one-click unsubscribe link of an email; absent without PUBLIC_URL. */
  unsubscribeLinks?: UnsubscribeLinkMaker | null;
  /**
   * Per channel with a receipt deadline (SMS_RECEIPT_TIMEOUT_SECONDS): how long an accepted
   * message holds its notification for the final receipt before the next channel is tried.
   */
  receiptTimeoutSeconds?: Partial<Record<Channel, number>>;
  /** Per channel whose provider gives receipts: when to first ask about an accepted message. */
  receiptFirstCheckSeconds?: Partial<Record<Channel, number>>;
}

/** A message the provider accepted in this run, not yet written: the policy says how to end it. */
interface AcceptedNow {
  attemptId: number;
  outcome: SentOutcome;
  channel: Channel;
  round: number;
}

export type DeliveryResult =
  | "sent"
  | "failed"
  | "retry_scheduled"
  | "awaiting_receipt"
  | "held"
  | "expired"
  | "lease_lost"
  | "released";

/**
 * Runs the current round of one notification this worker has claimed: tries its channels in order
 * as the delivery policy says, records every attempt, and ends it sent, failed, or due again for
 * its next round. Every write is guarded by the lease, so a notification cancelled or taken over
 * meanwhile is left as it is ("lease_lost").
 */
export async function deliverNotification(
  deps: DeliverDeps,
  claimed: ClaimedDelivery,
): Promise<DeliveryResult> {
  const { deliveries, workerId } = deps;
  const { notification, recipient } = claimed;
  const notificationId = notification.id;
  if (claimed.interrupted > 0) {
    deps.logger.warn(
      { notificationId, round: notification.retryCount + 1, interrupted: claimed.interrupted },
      "took over a delivery whose worker stopped mid-attempt",
    );
    // The claim has just recorded the dead worker's attempt (a notification's last) as interrupted.
    const last = claimed.attempts.at(-1);
    if (last)
      deps.events.publish({
        type: "attempt",
        id: notificationId,
        channel: last.channel,
        status: "interrupted",
      });
  }
  if (!recipient) {
    const marked = await markFailed(deps, notificationId, "the user no longer exists", null);
    deps.logger.warn(
      {
        notificationId,
        round: notification.retryCount + 1,
        outcome: "failed",
        reason: "the user no longer exists",
      },
      "notification failed",
    );
    return marked ? "failed" : "lease_lost";
  }
  const channels = notification.channels ?? deps.channelOrder;
  const history = claimed.attempts.map(toAttemptResult);
  let lastChannel: Channel | null = notification.lastChannel;
  let acceptedNow: AcceptedNow | null = null;
  if (isExpired(deps, notification)) {
    return expireUnlessAccepted(deps, notification, history, lastChannel);
  }
  // Quiet hours are decided here, when the round falls due, and nowhere else: creating a
  // notification then needs no read of its recipient, and a window set after it was created counts.
  const due = nextSendTime({
    earliest: deps.clock?.() ?? new Date(),
    expiresAt: notification.expiresAt,
    priority: notification.priority,
    quietHours: recipient.quietHours,
    timeZone: recipient.timezone,
  });
  const decide = () =>
    nextStep({
      channels,
      history,
      retryCount: notification.retryCount,
      historyFromRound: notification.historyFromRound,
      settings: deps.retry,
      random: deps.random ?? Math.random,
      receiptTimeoutSeconds: deps.receiptTimeoutSeconds,
      now: (deps.clock?.() ?? new Date()).getTime(),
    });
  if (due.kind === "expires")
    return expireUnlessAccepted(deps, notification, history, lastChannel, due.reason);
  // Quiet hours hold back sending; ending a notification on a receipt, or holding it for one, sends nothing.
  const settledByReceipt = () => {
    if (!history.some((attempt) => attempt.result === "sent")) return false;
    const first = decide().type;
    return first === "sent" || first === "await_receipt";
  };
  if (due.heldUntilQuietHoursEnd && !settledByReceipt()) return holdForQuietHours(deps, notification, due.at);

  for (;;) {
    const step = decide();
    const log = { notificationId, round: notification.retryCount + 1 };
    if (acceptedNow && step.type !== "await_receipt") {
      // Accepted a moment ago and enough: recording it and ending the notification is one
      // statement, the hot path. (The policy never goes on past a message accepted just now
      // without holding for it, so this is the only other ending.)
      return finishAccepted(
        deps,
        notification,
        acceptedNow,
        step.type === "sent" ? step.channel : acceptedNow.channel,
      );
    }
    switch (step.type) {
      case "sent": {
        // Reached when an earlier worker recorded the success but died before marking it, or a
        // receipt said a held message was delivered.
        const marked = await deliveries.markSent(notificationId, workerId, step.channel);
        if (!marked) return "lease_lost";
        deps.events.publish({ type: "updated", id: notificationId, status: "sent" });
        reportSent(deps, notification, step.channel, log.round);
        return "sent";
      }
      case "await_receipt": {
        // Past its expiry no fallback may go out, so there is no point holding it longer.
        const holdSeconds = Math.min(step.delaySeconds, secondsUntilExpiry(deps, notification));
        const held = acceptedNow
          ? await deliveries.finishAcceptedAndHold({
              attemptId: acceptedNow.attemptId,
              outcome: acceptedNow.outcome,
              notificationId,
              owner: workerId,
              channel: acceptedNow.channel,
              receiptCheckSeconds: deps.receiptFirstCheckSeconds?.[acceptedNow.channel] ?? null,
              holdSeconds,
            })
          : await deliveries.scheduleRetry(
              notificationId,
              workerId,
              notification.retryCount,
              holdSeconds,
              lastChannel,
            );
        if (acceptedNow) {
          deps.events.publish({ type: "attempt", id: notificationId, channel: step.channel, status: "sent" });
        }
        if (!held) return "lease_lost";
        deps.events.publish({ type: "updated", id: notificationId, status: "pending" });
        deps.logger.info(
          { ...log, channel: step.channel, outcome: "awaiting_receipt", holdSeconds },
          "waiting for the delivery receipt",
        );
        deps.wakeIn?.(holdSeconds);
        return "awaiting_receipt";
      }
      case "fail": {
        const marked = await markFailed(deps, notificationId, step.reason, lastChannel);
        deps.logger.warn(
          { ...log, channel: lastChannel, outcome: "failed", reason: step.reason },
          "notification failed",
        );
        return marked ? "failed" : "lease_lost";
      }
      case "retry": {
        const next = nextRoundTime(deps, notification, recipient, step.delaySeconds);
        if (next.kind === "expires") return expire(deps, notification, next.reason, lastChannel);
        const { delaySeconds } = next;
        const scheduled = await deliveries.scheduleRetry(
          notificationId,
          workerId,
          notification.retryCount + 1,
          delaySeconds,
          lastChannel,
        );
        if (!scheduled) return "lease_lost";
        deps.events.publish({ type: "updated", id: notificationId, status: "pending" });
        deps.logger.info(
          { ...log, channel: lastChannel, outcome: "retry_scheduled", delaySeconds },
          "round failed",
        );
        deps.wakeIn?.(delaySeconds);
        return "retry_scheduled";
      }
      case "try": {
        if (deps.stopping?.()) {
          await deliveries.release(notificationId, workerId);
          return "released";
        }
        if (isExpired(deps, notification)) {
          return expireUnlessAccepted(deps, notification, history, lastChannel);
        }
        const previousAttempt = lastFailureDetails(
          claimed.attempts,
          step.channel,
          notification.historyFromRound,
        );
        const result = await attemptChannel(
          deps,
          notification,
          recipient,
          claimed.audience,
          step.channel,
          step.round,
          previousAttempt,
        );
        if (result === "lease_lost") return "lease_lost";
        if ("accepted" in result) {
          acceptedNow = result.accepted;
          history.push({
            channel: step.channel,
            round: step.round,
            result: "sent",
            delivery: result.accepted.outcome.delivered ? "delivered" : "accepted",
            acceptedAt: (deps.clock?.() ?? new Date()).getTime(),
          });
          break;
        }
        // last_channel names the last provider actually called, not a channel that was skipped.
        if (result.result !== "skipped") lastChannel = step.channel;
        history.push(result);
        break;
      }
    }
  }
}

async function markFailed(
  deps: DeliverDeps,
  notificationId: number,
  reason: string,
  lastChannel: Channel | null,
): Promise<boolean> {
  const marked = await deps.deliveries.markFailed(notificationId, deps.workerId, reason, lastChannel);
  if (marked) {
    deps.events.publish({ type: "updated", id: notificationId, status: "failed" });
    deps.webhooks?.emit("notification.failed", notificationId);
  }
  return marked;
}

/**
 * Records a message accepted in this run and ends its notification sent, in one statement (the
 * hot path); an SMS is then asked about for its receipt.
 */
async function finishAccepted(
  deps: DeliverDeps,
  notification: StoredNotification,
  accepted: AcceptedNow,
  channel: Channel,
): Promise<DeliveryResult> {
  const marked = await deps.deliveries.finishSent(
    accepted.attemptId,
    accepted.outcome,
    notification.id,
    deps.workerId,
    channel,
    deps.receiptFirstCheckSeconds?.[accepted.channel] ?? null,
  );
  deps.events.publish({ type: "attempt", id: notification.id, channel: accepted.channel, status: "sent" });
  // Cancelled (or taken over) while the provider was answering: the attempt is recorded as sent,
  // the notification keeps the state it was given, and nobody reports it as sent.
  if (!marked) return "lease_lost";
  deps.events.publish({ type: "updated", id: notification.id, status: "sent" });
  reportSent(deps, notification, channel, accepted.round);
  return "sent";
}

/**
 * Past its expiry nothing more is sent; but a message a provider already accepted (held for its
 * receipt) stands, and the notification ends sent, as it would have without a receipt deadline.
 */
async function expireUnlessAccepted(
  deps: DeliverDeps,
  notification: StoredNotification,
  history: readonly AttemptResult[],
  lastChannel: Channel | null,
  reason = expiredReason(notification.expiresAt!),
): Promise<DeliveryResult> {
  const standing = history.findLast(
    (attempt) =>
      attempt.result === "sent" &&
      attempt.round >= notification.historyFromRound &&
      attempt.delivery !== "undelivered",
  );
  if (!standing) return expire(deps, notification, reason, lastChannel);
  const marked = await deps.deliveries.markSent(notification.id, deps.workerId, standing.channel);
  if (!marked) return "lease_lost";
  deps.events.publish({ type: "updated", id: notification.id, status: "sent" });
  reportSent(deps, notification, standing.channel, notification.retryCount + 1);
  return "sent";
}

function secondsUntilExpiry(deps: DeliverDeps, notification: StoredNotification): number {
  if (!notification.expiresAt) return Number.POSITIVE_INFINITY;
  const now = (deps.clock?.() ?? new Date()).getTime();
  return Math.max(0, (notification.expiresAt.getTime() - now) / 1000);
}

function isExpired(deps: DeliverDeps, notification: StoredNotification): boolean {
  return hasExpired(notification.expiresAt, deps.clock?.() ?? new Date());
}

/** Ends the notification as expired; no round is due after this. */
async function expire(
  deps: DeliverDeps,
  notification: StoredNotification,
  reason: string,
  lastChannel: Channel | null,
): Promise<DeliveryResult> {
  const marked = await deps.deliveries.markExpired(notification.id, deps.workerId, reason, lastChannel);
  if (marked) {
    deps.events.publish({ type: "updated", id: notification.id, status: "expired" });
    deps.webhooks?.emit("notification.expired", notification.id);
  }
  deps.logger.info(
    { notificationId: notification.id, round: notification.retryCount + 1, outcome: "expired", reason },
    "notification expired",
  );
  return marked ? "expired" : "lease_lost";
}

/**
 * Gives the notification back due when its recipient's quiet hours end; the worker that claims it
 * then runs the round as usual.
 */
async function holdForQuietHours(
  deps: DeliverDeps,
  notification: StoredNotification,
  until: Date,
): Promise<DeliveryResult> {
  const held = await deps.deliveries.holdUntil(notification.id, deps.workerId, until);
  if (!held) return "lease_lost";
  deps.events.publish({ type: "updated", id: notification.id, status: "pending" });
  const seconds = Math.max(0, (until.getTime() - (deps.clock?.() ?? new Date()).getTime()) / 1000);
  deps.logger.info(
    { notificationId: notification.id, round: notification.retryCount + 1, outcome: "held", until },
    "held until the recipient's quiet hours end",
  );
  deps.wakeIn?.(seconds);
  return "held";
}

/**
 * When the next round may start: after the policy's delay, then after the recipient's quiet hours
 * unless critical; or never, when that is at or after its expiry. Scheduling it there now, rather
 * than holding it when it falls due, lets next_attempt_at say when it will really go.
 */
function nextRoundTime(
  deps: DeliverDeps,
  notification: StoredNotification,
  recipient: UserProfile,
  delaySeconds: number,
): { kind: "at"; delaySeconds: number } | { kind: "expires"; reason: string } {
  const now = deps.clock?.() ?? new Date();
  const next = nextSendTime({
    earliest: new Date(now.getTime() + delaySeconds * 1000),
    expiresAt: notification.expiresAt,
    priority: notification.priority,
    quietHours: recipient.quietHours,
    timeZone: recipient.timezone,
  });
  if (next.kind === "expires") return next;
  return { kind: "at", delaySeconds: Math.max(delaySeconds, (next.at.getTime() - now.getTime()) / 1000) };
}

function reportSent(
  deps: DeliverDeps,
  notification: StoredNotification,
  channel: Channel,
  round: number,
): void {
  const secondsSinceCreated = Math.max(0, (Date.now() - notification.createdAt.getTime()) / 1000);
  deps.logger.info(
    { notificationId: notification.id, round, channel, outcome: "sent", secondsSinceCreated },
    "notification sent",
  );
  deps.observer?.sent({ notificationId: notification.id, channel, secondsSinceCreated });
  deps.webhooks?.emit("notification.sent", notification.id);
}

/**
 * For a worker whose shutdown grace ran out with deliveries still waiting on their providers:
 * frees its notifications and records those calls as interrupted (the provider may or may not
 * have the message), so no attempt stays in progress and another worker takes over now. Each
 * freed notification is announced as a single change is (`updated`, still pending): a worker holds
 * at most its concurrency, so one event each stays cheap. How many were freed.
 */
export async function abandonDeliveries(deps: DeliverDeps): Promise<number> {
  const freed = await deps.deliveries.abandon(
    deps.workerId,
    "the worker shut down before the provider answered; the provider may or may not have received it",
  );
  for (const id of freed) deps.events.publish({ type: "updated", id, status: "pending" });
  return freed.length;
}

/**
 * What the last attempt on `channel` of the current series left for the next one, when it failed
 * with details (a Telegram text that went in part). Skips, which sent nothing, do not count; an
 * interrupted attempt may have sent more than anything recorded says, so after one nothing is assumed.
 */
function lastFailureDetails(
  attempts: readonly StoredAttempt[],
  channel: Channel,
  historyFromRound: number,
): Record<string, unknown> | null {
  const last = attempts.findLast(
    (attempt) =>
      attempt.channel === channel && attempt.round >= historyFromRound && attempt.status !== "skipped",
  );
  return last?.status === "failed" ? last.details : null;
}

async function attemptChannel(
  deps: DeliverDeps,
  notification: StoredNotification,
  recipient: Recipient,
  audience: RecipientAudience,
  channel: Channel,
  round: number,
  previousAttempt: Record<string, unknown> | null,
): Promise<AttemptResult | { accepted: AcceptedNow } | "lease_lost"> {
  const log = { notificationId: notification.id, channel, round };
  const provider = deps.providers.get(channel);
  const skip = async (cause: SkipCause, reason: string): Promise<AttemptResult> => {
    await deps.deliveries.recordSkipped(notification.id, round, channel, cause, reason);
    deps.events.publish({ type: "attempt", id: notification.id, channel, status: "skipped" });
    deps.logger.info({ ...log, outcome: "skipped", reason }, "channel skipped");
    return { channel, round, result: "skipped", cause };
  };
  if (!provider)
    return skip("not_configured", deps.missingChannels[channel] ?? `${channel} is not configured`);
  const body = messageBody(notification, channel);
  if (!body) {
    return skip(
      "no_template_body",
      `template ${JSON.stringify(notification.template)} has no ${channel} body in locale ${notification.locale}`,
    );
  }
  const address = deps.addressing.addressOf(channel, recipient);
  if (!address) return skip("no_contact", deps.addressing.noContactReason(channel));
  const criticalCategories = deps.criticalCategories ?? NO_CATEGORIES;
  const turnedAway = audienceSkip(channel, notification, audience, criticalCategories, () =>
    deps.addressing.isFallbackFor(channel, recipient),
  );
  if (turnedAway) return skip(turnedAway.cause, turnedAway.reason);
  const openReason = await deps.circuit.openReason(channel);
  if (openReason)
    return skip("circuit_open", `${provider.vendor} is paused after a configuration error: ${openReason}`);

  const unsubscribeUrl =
    channel === "email"
      ? unsubscribeUrlOf(deps.unsubscribeLinks, criticalCategories, notification.userId, notification)
      : null;
  // A provider that carries only so many calls at once (SMTP's pool) is waited for here, before the
  // attempt and its timeout start: the wait is not the provider's slowness (see SendSlots). Waiting
  // may outlast the claim's lease; the start statement then renews it, or finds it taken over.
  const release = provider.admit ? await provider.admit() : undefined;
  let attemptId: number | null;
  let outcome: DeliveryOutcome;
  let startedAt: number;
  try {
    attemptId = await deps.deliveries.startAttempt(
      notification.id,
      round,
      channel,
      deps.workerId,
      deps.leaseSeconds,
      longestCallSeconds(deps.providerTimeoutSeconds),
    );
    if (attemptId === null) return "lease_lost";
    deps.events.publish({ type: "attempt", id: notification.id, channel, status: "in_progress" });
    startedAt = performance.now();
    outcome = await sendWithTimeout(
      provider,
      { to: address, ...body, notificationId: notification.id, previousAttempt, unsubscribeUrl },
      deps.providerTimeoutSeconds,
    );
  } finally {
    release?.();
  }
  if (outcome.kind === "sent") {
    deps.logger.info(
      { ...log, outcome: "sent", durationMs: Math.round(performance.now() - startedAt) },
      "delivered to provider",
    );
    // Written by the caller once the policy says whether it ends the notification or holds it.
    return { accepted: { attemptId, outcome, channel, round } };
  }
  const provenDead = outcome.kind === "permanent" && outcome.deadAddress !== undefined;
  const suppressionId = await deps.deliveries.finishFailed(
    attemptId,
    outcome,
    provenDead ? { channel, address: suppressionAddressOf(channel, address) } : undefined,
  );
  if (provenDead) {
    deps.logger.info({ ...log, code: outcome.code, reason: outcome.reason }, "address suppressed");
  }
  if (suppressionId !== null) {
    deps.webhooks?.emitForSuppression("suppression.created", suppressionId);
    deps.events.publish({ type: "suppression", id: suppressionId, change: "created" });
  }
  deps.events.publish({ type: "attempt", id: notification.id, channel, status: "failed" });
  deps.webhooks?.emit("attempt.failed", notification.id, attemptId);
  const durationMs = Math.round(performance.now() - startedAt);
  deps.logger.info(
    { ...log, outcome: outcome.kind, code: outcome.code, reason: outcome.reason, durationMs },
    "attempt failed",
  );
  if (outcome.kind === "misconfigured") await deps.circuit.open(channel, outcome.reason);
  return toAttemptResultFromOutcome(channel, round, outcome);
}

const NO_CATEGORIES: ReadonlySet<string> = new Set();

// After its timeout, how long a provider that honours the abort has to say what it got done.
const ABORT_GRACE_MS = 250;

/**
 * How long an attempt may hold its lease: the provider's timeout, the grace after aborting it,
 * and a second to record the outcome. LEASE_SECONDS must be more than the timeout (config.ts).
 */
export function longestCallSeconds(providerTimeoutSeconds: number): number {
  return providerTimeoutSeconds + ABORT_GRACE_MS / 1000 + 1;
}

/**
 * The provider should honour the signal; the race makes sure a provider that does not still times
 * out. One that does answers at once when aborted, and its own outcome is kept: it may say what
 * went before the timeout (the parts of a Telegram text already sent, for the next attempt to skip),
 * or that the message went after all.
 */
async function sendWithTimeout(
  provider: ChannelProvider,
  message: OutgoingMessage,
  timeoutSeconds: number,
): Promise<DeliveryOutcome> {
  const controller = new AbortController();
  const call = provider
    .send(message, controller.signal)
    .catch((error: unknown) =>
      transient(`${provider.vendor} call failed: ${error instanceof Error ? error.name : "unknown error"}`),
    );
  const first = await raceWithTimer(call, timeoutSeconds * 1000);
  if (first) return first;
  controller.abort();
  const late = await raceWithTimer(call, ABORT_GRACE_MS);
  if (!late) return transient(`${provider.vendor} did not answer within ${timeoutSeconds} s`, TIMEOUT_CODE);
  return late.kind === "sent" ? late : { ...late, code: late.code ?? TIMEOUT_CODE };
}

/** The code of an attempt cut short by PROVIDER_TIMEOUT_SECONDS, when the provider gave none. */
const TIMEOUT_CODE = "timeout";

/** The promise's value, or null when `ms` pass first. */
async function raceWithTimer<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** What to send on `channel`: the notification's message, or what its template rendered for it (null: nothing). */
function messageBody(
  notification: StoredNotification,
  channel: Channel,
): Pick<OutgoingMessage, "text" | "subject" | "html" | "parseMode"> | null {
  if (!notification.rendered) return { text: notification.message, subject: notification.subject };
  const rendered = notification.rendered[channel];
  if (!rendered) return null;
  return {
    text: rendered.text,
    subject: rendered.subject ?? null,
    html: rendered.html ?? null,
    parseMode: rendered.parseMode ?? null,
  };
}

function toAttemptResultFromOutcome(
  channel: Channel,
  round: number,
  outcome: DeliveryOutcome,
): AttemptResult {
  if (outcome.kind === "rate_limited") {
    return { channel, round, result: "rate_limited", retryAfterSeconds: outcome.retryAfterSeconds };
  }
  return { channel, round, result: outcome.kind };
}

export function toAttemptResult(attempt: StoredAttempt): AttemptResult {
  const { channel, round } = attempt;
  switch (attempt.status) {
    case "sent":
      return {
        channel,
        round,
        result: "sent",
        delivery: attempt.delivery ?? undefined,
        acceptedAt: attempt.finishedAt?.getTime(),
      };
    case "skipped":
      return {
        channel,
        round,
        result: "skipped",
        cause: (attempt.errorKind ?? "not_configured") as SkipCause,
      };
    case "in_progress":
    case "interrupted":
      return { channel, round, result: "interrupted" };
    case "failed":
      if (attempt.errorKind === "rate_limited") {
        return { channel, round, result: "rate_limited", retryAfterSeconds: attempt.retryAfterSeconds ?? 0 };
      }
      if (attempt.errorKind === "permanent" || attempt.errorKind === "misconfigured") {
        return { channel, round, result: attempt.errorKind };
      }
      return { channel, round, result: "transient" };
  }
}
