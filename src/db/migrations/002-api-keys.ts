export const apiKeys = {
  name: "002-api-keys",
  sql: `
CREATE TABLE api_keys (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  -- The first characters of the key, so people can tell keys apart; the key itself is never stored.
  key_prefix text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz
);
`,
};
