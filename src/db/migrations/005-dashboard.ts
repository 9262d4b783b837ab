/**
 * What the dashboard needs: manual retries (history_from_round), the list's channel and text
 * filters, the channel overview's queries, and change events for live updates.
 */
export const dashboard = {
  name: "005-dashboard",
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

-- Live updates: the database itself announces every change that matters to a watcher, on commit,
-- whichever process made it (API, worker, CLI). Leases and heartbeats do not fire.
CREATE FUNCTION notification_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'attempts' THEN
    PERFORM pg_notify('notification_events', json_build_object(
      'type', 'attempt', 'id', NEW.notification_id, 'channel', NEW.channel, 'status', NEW.status)::text);
  ELSE
    PERFORM pg_notify('notification_events', json_build_object(
      'type', CASE WHEN TG_OP = 'INSERT' THEN 'created' ELSE 'updated' END,
      'id', NEW.id, 'status', NEW.status, 'retry_count', NEW.retry_count)::text);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER notifications_created AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION notification_events_notify();
CREATE TRIGGER notifications_changed AFTER UPDATE ON notifications
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status
    OR OLD.retry_count IS DISTINCT FROM NEW.retry_count
    OR OLD.last_channel IS DISTINCT FROM NEW.last_channel)
  EXECUTE FUNCTION notification_events_notify();
CREATE TRIGGER attempts_changed AFTER INSERT OR UPDATE OF status ON attempts
  FOR EACH ROW EXECUTE FUNCTION notification_events_notify();
`,
};
