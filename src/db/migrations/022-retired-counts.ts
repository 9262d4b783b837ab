/**
 * /metrics' counters are counts over the tables, so they went down whenever rows left them:
 * retention and erasure deleting notifications and attempts, and a manual retry turning a failed
 * notification back to pending. Prometheus reads any drop as a restart from zero, so each one
 * showed up in rate() and increase() as a spike the size of the whole counter. What was counted
 * and is no longer there to count is added here, in the statement that removes it, and /metrics
 * adds it back. Only those rare statements write here: the delivery path never does.
 *
 * `series` is `created`, `sent`, `failed` or `attempts`; `channel`, `status` and `error_kind` are
 * '' where a series has no such label (or its value was NULL), so the key has no NULLs.
 */
export const retiredCounts = {
  name: "022-retired-counts",
  sql: `
CREATE TABLE retired_counts (
  series text NOT NULL,
  channel text NOT NULL DEFAULT '',
  status text NOT NULL DEFAULT '',
  error_kind text NOT NULL DEFAULT '',
  count bigint NOT NULL,
  PRIMARY KEY (series, channel, status, error_kind)
);
`,
};
