/**
 * Retention (RETENTION_DAYS) deletes finished notifications by age. A BRIN index on created_at
 * finds the old ones without a scan of the whole table: rows are appended in creation order, so a
 * summary per block range is enough, and unlike a B-tree it costs an insert next to nothing.
 */
export const retention = {
  name: "007-retention",
  sql: `
CREATE INDEX notifications_by_created_brin ON notifications USING brin (created_at);
`,
};
