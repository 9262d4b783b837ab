/**
 * Sends one claimed webhook delivery and records how it went: a 2xx ends it succeeded; anything
 * else is retried after the next wait of the schedule, and past the last one it has failed. An
 * endpoint that has failed every attempt for the configured window is disabled.
 */
import type { Logger } from "../core/logger.js";
import type { ClaimedWebhookDelivery, WebhookAttemptRecord, WebhookStore } from "./webhook-model.js";
import type { WebhookSendResult } from "./webhook-sender.js";
import { webhookHeaders } from "./webhook-signature.js";

export interface WebhookDeliveryDeps {
  store: Pick<WebhookStore, "finishAttempt" | "markEndpointHealthy" | "markEndpointFailing">;
  sender: { send(url: string, headers: Record<string, string>, body: string): Promise<WebhookSendResult> };
  retryScheduleSeconds: readonly number[];
  disableAfterDays: number;
  workerId: string;
  logger: Logger;
  /** Told when a retry falls due, so the runner need not wait for its poll. */
  wakeIn?: (seconds: number) => void;
}

export type WebhookDeliveryResult = "succeeded" | "retry" | "failed" | "lease_lost";

/** The wait before the retry after attempt `attemptNumber` (1-based), or null when none is left. */
export function webhookRetryDelay(schedule: readonly number[], attemptNumber: number): number | null {
  return schedule[attemptNumber - 1] ?? null;
}

export async function deliverWebhook(
  deps: WebhookDeliveryDeps,
  claimed: ClaimedWebhookDelivery,
): Promise<WebhookDeliveryResult> {
  const log = { deliveryId: claimed.id, endpointId: claimed.endpointId, eventId: claimed.eventId };
  if (!claimed.enabled) {
    const recorded = await deps.store.finishAttempt(claimed.id, deps.workerId, {
      outcome: "failed",
      retryInSeconds: null,
      responseStatus: null,
      responseBody: null,
      error: "not sent: the endpoint is disabled",
      durationMs: 0,
    });
    return recorded ? "failed" : "lease_lost";
  }
  // The timestamp is the time of this send: receivers reject stale ones (replays by a third party).
  const headers = webhookHeaders(
    claimed.secrets,
    claimed.eventId,
    Math.floor(Date.now() / 1000),
    claimed.body,
  );
  const result = await deps.sender.send(claimed.url, headers, claimed.body);
  const attemptNumber = claimed.attemptCount + 1;
  const retryInSeconds = result.ok ? null : webhookRetryDelay(deps.retryScheduleSeconds, attemptNumber);
  const outcome: WebhookAttemptRecord["outcome"] = result.ok
    ? "succeeded"
    : retryInSeconds === null
      ? "failed"
      : "retry";
  const recorded = await deps.store.finishAttempt(claimed.id, deps.workerId, {
    outcome,
    retryInSeconds,
    responseStatus: result.status,
    responseBody: result.body,
    error: result.error,
    durationMs: result.durationMs,
  });
  const details = { ...log, attempt: attemptNumber, status: result.status, durationMs: result.durationMs };
  if (result.ok) {
    await deps.store.markEndpointHealthy(claimed.endpointId);
    deps.logger.info(details, "webhook delivered");
  } else {
    deps.logger.info({ ...details, outcome, error: result.error, retryInSeconds }, "webhook attempt failed");
    const days = deps.disableAfterDays;
    const disabled = await deps.store.markEndpointFailing(
      claimed.endpointId,
      days * 24 * 3600,
      `every delivery failed for ${days} day${days === 1 ? "" : "s"}; last: ${result.error ?? "no answer"}`,
    );
    if (disabled) deps.logger.warn(log, "webhook endpoint disabled: it has been failing for too long");
  }
  if (!recorded) return "lease_lost";
  if (outcome === "retry" && retryInSeconds !== null) deps.wakeIn?.(retryInSeconds);
  return outcome;
}
