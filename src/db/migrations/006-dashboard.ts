/**
 * What the dashboard needs: manual retries (history_from_round), the list's channel filter, and
 * the channel overview's queries. The text search scans: a trigram index made every insert and
 * every delivery's status change markedly slower, and the service is judged on those.
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
`,
};
