export const idempotencyKeys = {
  name: "003-idempotency-keys",
  sql: `
-- One row per Idempotency-Key a caller used: written in the transaction that creates the
-- notification, so a key is never remembered without its notification or the other way round.
CREATE TABLE idempotency_keys (
  -- The API caller (authenticate-api-key's Caller.id); '' when authentication is disabled.
  caller text NOT NULL,
  key text NOT NULL,
  -- SHA-256 of the canonical request: the same key with another request is refused.
  request_hash text NOT NULL,
  -- Set before the creating transaction commits; only an uncommitted row has it null.
  notification_id bigint REFERENCES notifications (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (caller, key)
);
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
`,
};
