/**
 * Telegram connect links: a single-use code a user opens as t.me/<bot>?start=<code>, stored only
 * as its SHA-256, and the Bot API's getUpdates offset, so a worker that restarts (or takes over
 * from another) neither loses nor handles again the updates the bot received. The offset is per
 * bot: update ids belong to a bot, and a new TELEGRAM_BOT_TOKEN starts afresh. Codes go with
 * their user (erasure). `redeemed_update_id` names the update that used a code, so the same
 * update seen again changes nothing.
 */
export const telegramLinks = {
  name: "023-telegram-links",
  sql: `
CREATE TABLE telegram_link_codes (
  code_hash text PRIMARY KEY,
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  chat_id text,
  redeemed_update_id bigint
);
CREATE INDEX telegram_link_codes_user ON telegram_link_codes (user_id);
CREATE INDEX telegram_link_codes_expiry ON telegram_link_codes (expires_at);

CREATE TABLE telegram_update_offsets (
  bot_id text PRIMARY KEY,
  next_offset bigint NOT NULL
);
`,
};
