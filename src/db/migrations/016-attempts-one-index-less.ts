/**
 * Every version of an attempt row (started, finished, its receipt) writes an entry into each of
 * its table's indexes, and two of them served only the dashboard and /metrics:
 * (channel, status, error_kind) for the counts by outcome, (channel, finished_at) for each
 * channel's recent activity and last success. One index serves both: the counts read it as an
 * index-only scan through its included columns, as they did the old one.
 */
export const attemptsOneIndexLess = {
  name: "016-attempts-one-index-less",
  sql: `
DROP INDEX attempts_by_outcome;
DROP INDEX attempts_by_channel_time;
CREATE INDEX attempts_by_channel_time ON attempts (channel, finished_at) INCLUDE (status, error_kind);
`,
};
