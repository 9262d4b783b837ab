/**
 * Every version of a row writes an entry into each index of its table whose predicate it meets,
 * and each delivery writes several versions: the notification inserted, claimed and finished,
 * the attempt started, finished and given its receipt.
 * - attempts: two indexes served only the dashboard and /metrics, (channel, status, error_kind)
 *   for the counts by outcome and (channel, finished_at) for each channel's recent activity and
 *   last success. One serves both, the counts reading its included columns.
 * - notifications: the list filtered by last_channel never asks for the rows that have none (not
 *   yet tried), so those stay out of its index.
 */
export const leanerIndexes = {
  name: "016-leaner-indexes",
  sql: `
DROP INDEX attempts_by_outcome;
DROP INDEX attempts_by_channel_time;
CREATE INDEX attempts_by_channel_time ON attempts (channel, finished_at) INCLUDE (status, error_kind);
DROP INDEX notifications_by_last_channel;
CREATE INDEX notifications_by_last_channel ON notifications (last_channel, id DESC)
  WHERE last_channel IS NOT NULL;
`,
};
