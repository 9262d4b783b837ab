export const initialSchema = {
  name: "001-initial-schema",
  sql: `
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  password_hash text NOT NULL,
  first_name text NOT NULL DEFAULT '',
  last_name text NOT NULL DEFAULT '',
  phone_number text,
  telegram_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_unique ON users (lower(email));

CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  message text NOT NULL,
  subject text,
  channels text[],
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'cancelled')),
  retry_count integer NOT NULL DEFAULT 0,
  last_channel text,
  sent_at timestamptz,
  failure_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- When the next round may start; null once the notification has ended.
  next_attempt_at timestamptz DEFAULT now(),
  -- Which worker holds the notification, and until when, so no two deliver it at once.
  lease_owner text,
  lease_expires_at timestamptz
-- Room on each page, so the updates a delivery makes that change no indexed column (claiming,
-- renewing a lease) stay on the page as HOT updates instead of touching every index.
) WITH (fillfactor = 70);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_by_user ON notifications (user_id, id DESC);
-- Also serves the metrics' counts by status and last channel as an index-only scan.
CREATE INDEX notifications_by_status ON notifications (status, id DESC) INCLUDE (last_channel);

CREATE TABLE attempts (
  id bigserial PRIMARY KEY,
  notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  round integer NOT NULL,
  channel text NOT NULL,
  status text NOT NULL CHECK (status IN ('in_progress', 'sent', 'failed', 'skipped', 'interrupted')),
  error_kind text,
  provider_code text,
  error text,
  retry_after_seconds double precision,
  provider_message_id text,
  details jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX attempts_by_notification ON attempts (notification_id, id);
`,
};
