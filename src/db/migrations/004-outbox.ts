export const outbox = {
  name: "004-outbox",
  sql: `
-- What the delivery sandbox (DELIVERY_SANDBOX) "sent": one row per message a channel would have
-- handed to its provider.
CREATE TABLE outbox (
  id bigserial PRIMARY KEY,
  notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel text NOT NULL,
  to_address text NOT NULL,
  subject text,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_by_notification ON outbox (notification_id, id DESC);
CREATE INDEX outbox_by_channel ON outbox (channel, id DESC);
`,
};
