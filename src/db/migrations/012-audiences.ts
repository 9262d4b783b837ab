/**
 * Categories, preferences and suppressions (docs/audiences.md).
 * - notifications.category: what kind of message it is (a slug), which preferences and the
 *   unsubscribe link follow.
 * - users.preferences: the channels a user turned off, globally or per category; NULL (the
 *   default) allows everything. Kept on the user row so the claim that already reads the
 *   recipient reads it too, at no extra query.
 * - suppressions: addresses proven dead (or suppressed by hand), per address and not per user, so
 *   users sharing a number share it. The unique index is what the claim looks addresses up by.
 */
export const audiences = {
  name: "012-audiences",
  sql: `
ALTER TABLE notifications ADD COLUMN category text;
CREATE INDEX notifications_category ON notifications (category, id DESC) WHERE category IS NOT NULL;

ALTER TABLE users ADD COLUMN preferences jsonb;

CREATE TABLE suppressions (
  id bigserial PRIMARY KEY,
  channel text NOT NULL CHECK (channel IN ('sms', 'email', 'telegram')),
  address text NOT NULL,
  reason text NOT NULL
    CHECK (reason IN ('bot_blocked', 'hard_bounce', 'invalid_number', 'unsubscribed', 'manual')),
  source text NOT NULL CHECK (source IN ('delivery', 'api', 'cli')),
  evidence jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (channel, address)
);
CREATE INDEX suppressions_recent ON suppressions (id DESC);
`,
};
