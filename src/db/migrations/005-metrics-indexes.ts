export const metricsIndexes = {
  name: "005-metrics-indexes",
  sql: `
-- /metrics counts attempts grouped by these columns on every scrape; with the index the count is
-- an index-only scan instead of a read of every row (notifications_by_status serves the
-- notifications' counts).
CREATE INDEX attempts_by_outcome ON attempts (channel, status, error_kind);
`,
};
