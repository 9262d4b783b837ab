/**
 * Broadcasts (docs/audiences.md#broadcasts): one request that becomes a notification per user.
 * - broadcasts: what to send and to whom, and the fan-out's progress. It is a due row like a
 *   notification: next_batch_at says when a worker should take its next batch (null: nothing left
 *   to do), lease_owner/lease_expires_at who holds it; cursor_user_id is how far the audience has
 *   been fanned out (users are taken in id order), advanced in the batch's own transaction.
 * - broadcast_audience_chunks: an explicit audience, known users only, as sorted id arrays of a
 *   batch each (a few hundred rows for 100,000 users, not 100,000), written at creation by one
 *   statement; a batch deletes the chunk it fanned out, so the table holds only what is left.
 * - notifications.broadcast_id: unique per user (a killed worker's batch done again adds nobody
 *   twice), and indexed with status for the broadcast's counts and its recipients' list. Both
 *   indexes are partial: a plain notification never enters them.
 * - broadcast_idempotency_keys: Idempotency-Keys of POST /api/broadcasts/, as idempotency_keys
 *   are for notifications.
 */
export const broadcasts = {
  name: "013-broadcasts",
  sql: `
CREATE TABLE broadcasts (
  id bigserial PRIMARY KEY,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'fanning_out', 'done', 'cancelled')),
  all_users boolean NOT NULL,
  -- all_users: the last user when it was created; users created later are not in its audience.
  last_user_id bigint,
  message text,
  subject text,
  channels text[],
  template text,
  data jsonb,
  category text,
  priority text NOT NULL DEFAULT 'normal',
  send_at timestamptz,
  expires_at timestamptz,
  total integer NOT NULL,
  unknown_users bigint[] NOT NULL DEFAULT '{}',
  unknown_user_count integer NOT NULL DEFAULT 0,
  fanned_out integer NOT NULL DEFAULT 0,
  cursor_user_id bigint NOT NULL DEFAULT 0,
  next_batch_at timestamptz DEFAULT now(),
  lease_owner text,
  lease_expires_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX broadcasts_due ON broadcasts (next_batch_at) WHERE next_batch_at IS NOT NULL;

CREATE TABLE broadcast_audience_chunks (
  broadcast_id bigint NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
  first_user_id bigint NOT NULL,
  user_ids bigint[] NOT NULL,
  PRIMARY KEY (broadcast_id, first_user_id)
);

ALTER TABLE notifications ADD COLUMN broadcast_id bigint REFERENCES broadcasts (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX notifications_broadcast_recipient ON notifications (broadcast_id, user_id)
  WHERE broadcast_id IS NOT NULL;
CREATE INDEX notifications_by_broadcast ON notifications (broadcast_id, status, next_attempt_at)
  WHERE broadcast_id IS NOT NULL;

CREATE TABLE broadcast_idempotency_keys (
  caller text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  -- Set before the creating transaction commits; only an uncommitted row has it null.
  broadcast_id bigint REFERENCES broadcasts (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);
CREATE INDEX broadcast_idempotency_keys_by_age ON broadcast_idempotency_keys (created_at);
`,
};
