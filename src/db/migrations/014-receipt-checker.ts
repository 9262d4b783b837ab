/**
 * One receipt checker at a time: a lease row (in maintenance_schedule, with its holder) instead of
 * a lease written on every attempt it asks about. Asking about a message twice is harmless, so
 * the attempts need no lease of their own; the row says which worker asks, and until when.
 */
export const receiptChecker = {
  name: "014-receipt-checker",
  sql: `
ALTER TABLE maintenance_schedule ADD COLUMN holder text;
`,
};
