/**
 * attempts_by_channel_time serves the channel overview (attempts finished in the last hour, the
 * last success) and the metrics' counts by outcome, all of finished attempts. Every attempt is
 * inserted in progress, with no finished_at, and finishing it writes a new row version anyway
 * (finished_at is in the index): its first entry was never read. Leaving unfinished attempts out
 * saves an index entry per attempt started. finished_at is set exactly when an attempt stops being
 * in progress, so the metrics ask for `finished_at IS NOT NULL`, which this index can serve.
 */
export const finishedAttemptsIndex = {
  name: "019-finished-attempts-index",
  sql: `
DROP INDEX attempts_by_channel_time;
CREATE INDEX attempts_by_channel_time ON attempts (channel, finished_at) INCLUDE (status, error_kind)
  WHERE finished_at IS NOT NULL;
`,
};
