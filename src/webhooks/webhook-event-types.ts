/**
 * The events an endpoint may subscribe to. One list: a capability that emits a new kind of event
 * adds its name here, and subscriptions to it are accepted from then on. `notification.delivered`
 * and `notification.undelivered` follow the final receipt of the notification's latest accepted
 * attempt (SMS.ru only; Telegram's delivery is known at once and comes as notification.sent).
 * `user.telegram_connected` follows a connect link's /start, `user.unsubscribed` a one-click
 * unsubscribe that turned a category off; `suppression.created` and `suppression.deleted` an
 * address suppressed (by a provider's answer, the API or the CLI) or lifted.
 */
export const WEBHOOK_EVENT_TYPES = [
  "notification.sent",
  "notification.failed",
  "notification.cancelled",
  "notification.expired",
  "attempt.failed",
  "notification.delivered",
  "notification.undelivered",
  "user.telegram_connected",
  "user.unsubscribed",
  "suppression.created",
  "suppression.deleted",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The events about a user rather than a notification: `data.user`, numbered per user. */
export type UserEventType = Extract<WebhookEventType, `user.${string}`>;

/** The events about a suppressed address: `data.suppression`. */
export type SuppressionEventType = Extract<WebhookEventType, `suppression.${string}`>;

/** Sent only by POST /api/webhooks/{id}/test/, to that endpoint, whatever it subscribes to. */
export const TEST_EVENT_TYPE = "webhook.test";

/** Subscribes to every event type, including those added later. */
export const ALL_EVENTS = "*";

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** Whether an endpoint subscribed to `events` wants `type`. */
export function subscribesTo(events: readonly string[], type: string): boolean {
  return events.includes(ALL_EVENTS) || events.includes(type);
}
