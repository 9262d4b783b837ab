/**
 * Webhook events about a user rather than a notification (a Telegram chat connected, a one-click
 * unsubscribe) name that user, so erasing them finds their events too, and their `data.sequence`
 * is numbered per user. The index is partial: a notification's event, the common kind, leaves
 * user_id null and adds nothing to it.
 */
export const userWebhookEvents = {
  name: "024-user-webhook-events",
  sql: `
ALTER TABLE webhook_events ADD COLUMN user_id bigint;
CREATE INDEX webhook_events_user ON webhook_events (user_id, sequence) WHERE user_id IS NOT NULL;
`,
};
