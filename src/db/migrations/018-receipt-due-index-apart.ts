/**
 * The two indexes of attempts awaiting a receipt had the same predicate: attempts_receipt_due
 * (receipt_check_at) for the checker's claim, attempts_awaiting_receipt_by_provider_id for
 * SMS.ru's callbacks. With statistics gathered while nothing awaited a receipt, the planner took
 * the callback index for the claim and read every awaiting attempt to sort them (seen in the
 * benchmark: 80 to 160 rows read per notification). receipt_check_at is only ever set on an
 * accepted attempt (and cleared when it stops being accepted), so the due index needs no more
 * predicate than that, and the claim, which no longer names `delivery = 'accepted'`, cannot be
 * served by the callback index at all (same lesson as migration 017).
 */
export const receiptDueIndexApart = {
  name: "018-receipt-due-index-apart",
  sql: `
DROP INDEX attempts_receipt_due;
CREATE INDEX attempts_receipt_due ON attempts (receipt_check_at) WHERE receipt_check_at IS NOT NULL;
`,
};
