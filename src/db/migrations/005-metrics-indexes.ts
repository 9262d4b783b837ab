export const metricsIndexes = {
  name: "005-metrics-indexes",
  sql: `
-- /metrics counts notifications and attempts grouped by these columns on every scrape; with them
-- the counts are index-only scans instead of reads of every row.
CREATE INDEX notifications_by_outcome ON notifications (status, last_channel);
CREATE INDEX attempts_by_outcome ON attempts (channel, status, error_kind);
`,
};
