/**
 * notifications_by_status leaves out pending rows. The queue's claim and its "when is the next one
 * due" read pending rows through notifications_due, in next_attempt_at order; but when statistics
 * were gathered while nothing was pending (autovacuum's ANALYZE between two bursts), the planner
 * expects almost no pending rows and prefers this index: each claim then read every pending row and
 * sorted them to take 32 (seen in the benchmark: 5,000 rows read and sorted per claim, 9 ms instead
 * of 0.3). Without pending rows this index cannot serve those statements at all, and a new
 * notification writes one index entry fewer. Lists and counts of pending notifications use
 * notifications_due or the primary key (pending rows are the newest).
 */
export const statusIndexWithoutPending = {
  name: "017-status-index-without-pending",
  sql: `
DROP INDEX notifications_by_status;
CREATE INDEX notifications_by_status ON notifications (status, id DESC) INCLUDE (last_channel)
  WHERE status <> 'pending';
`,
};
