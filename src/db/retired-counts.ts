/**
 * What /metrics' counters count is rows (src/db/delivery-stats-repository.ts); a statement that
 * removes rows they counted adds them to retired_counts in the same statement (migration 022), so
 * every snapshot sees either the rows or their tally and the counters never go down.
 */

/**
 * CTEs for a statement that deletes notifications: given a CTE `gone` (id, status, last_channel)
 * of the notifications it deleted, deletes their attempts too and tallies both. The attempts are
 * deleted here rather than by the foreign key's cascade so that their outcomes are read from the
 * rows as deleted: an attempt a worker finished while this statement waited for its lock is
 * counted as finished. The tallies are written in the order of their key, so statements that
 * add to the same ones (erasures at once, or one beside retention) wait for each other rather
 * than deadlock.
 */
export const TALLY_DELETED_NOTIFICATIONS = `
  gone_attempts AS (
    DELETE FROM attempts WHERE notification_id IN (SELECT id FROM gone)
    RETURNING channel, status, error_kind, finished_at),
  tallied AS (
    INSERT INTO retired_counts AS r (series, channel, status, error_kind, count)
    SELECT series, channel, status, error_kind, sum(n) FROM (
      SELECT 'created' AS series, '' AS channel, '' AS status, '' AS error_kind, count(*) AS n FROM gone
      UNION ALL
      SELECT status, COALESCE(last_channel, ''), '', '', count(*) FROM gone
        WHERE status IN ('sent', 'failed') GROUP BY status, last_channel
      UNION ALL
      SELECT 'attempts', channel, status, COALESCE(error_kind, ''), count(*) FROM gone_attempts
        WHERE finished_at IS NOT NULL GROUP BY channel, status, error_kind) c
    WHERE n > 0
    GROUP BY series, channel, status, error_kind
    ORDER BY series, channel, status, error_kind
    ON CONFLICT (series, channel, status, error_kind) DO UPDATE SET count = r.count + EXCLUDED.count)`;
