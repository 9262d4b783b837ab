/**
 * Webhook endpoints and deliveries in their public JSON shape: what the HTTP API answers and what
 * the CLI prints with --json. Shared by both entry points, so neither imports the other.
 */
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from "../webhooks/webhook-model.js";

export const serializeEndpoint = (endpoint: WebhookEndpoint) => ({
  id: endpoint.id,
  url: endpoint.url,
  description: endpoint.description,
  events: endpoint.events,
  enabled: endpoint.enabled,
  disabled_reason: endpoint.disabledReason,
  failing_since: endpoint.failingSince?.toISOString() ?? null,
  created_at: endpoint.createdAt.toISOString(),
  updated_at: endpoint.updatedAt.toISOString(),
});

export const serializeWithSecret = (endpoint: WebhookEndpointWithSecret) => ({
  ...serializeEndpoint(endpoint),
  secret: endpoint.secret,
});

export const serializeDelivery = (delivery: WebhookDelivery) => ({
  id: delivery.id,
  event_id: delivery.eventId,
  event_type: delivery.eventType,
  status: delivery.status,
  attempt_count: delivery.attemptCount,
  next_attempt_at: delivery.nextAttemptAt?.toISOString() ?? null,
  created_at: delivery.createdAt.toISOString(),
  finished_at: delivery.finishedAt?.toISOString() ?? null,
  attempts: delivery.attempts.map((attempt) => ({
    attempted_at: attempt.attemptedAt.toISOString(),
    response_status: attempt.responseStatus,
    response_body: attempt.responseBody,
    error: attempt.error,
    duration_ms: attempt.durationMs,
  })),
});
