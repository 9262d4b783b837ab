/**
 * What the dashboard needs: manual retries (history_from_round), the list's channel and text
 * filters, and the channel overview's queries.
 */
export const dashboard = {
  name: "006-dashboard",
  sql: `
-- A manual retry starts a fresh series of rounds here; the delivery policy ignores earlier attempts.
ALTER TABLE notifications ADD COLUMN history_from_round integer NOT NULL DEFAULT 1;

CREATE INDEX notifications_by_last_channel ON notifications (last_channel, id DESC);
-- Sent, failed and skipped per channel in the last hour, and each channel's last success.
CREATE INDEX attempts_by_channel_time ON attempts (channel, finished_at);
-- Each channel's most recent failures, for the common failure reasons.
CREATE INDEX attempts_failed_by_channel ON attempts (channel, id DESC) WHERE status = 'failed';

-- Substring search of messages. pg_trgm ships with PostgreSQL and is a trusted extension, but a
-- server without contrib must still migrate: the search then works, only without the index.
DO $$
BEGIN
  BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
  EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); message search will scan', SQLERRM;
  END;
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    EXECUTE 'CREATE INDEX notifications_message_trgm ON notifications USING gin (message gin_trgm_ops)';
  END IF;
END
$$;
`,
};
