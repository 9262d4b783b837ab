/**
 * Delivery receipts: what became of a message a provider accepted. The bookkeeping is columns on
 * the attempt, written by the statement that finishes it (no extra row, no extra statement on the
 * hot path). An accepted attempt with a receipt_check_at is a due row: the receipt checkers claim
 * those through the partial index, as workers claim due notifications.
 */
export const receipts = {
  name: "011-receipts",
  sql: `
ALTER TABLE attempts
  ADD COLUMN delivery text CHECK (delivery IN ('accepted', 'delivered', 'undelivered', 'unknown')),
  ADD COLUMN delivered_at timestamptz,
  ADD COLUMN receipt_code text,
  ADD COLUMN receipt_text text,
  ADD COLUMN receipt_at timestamptz,
  ADD COLUMN receipt_check_at timestamptz,
  ADD COLUMN receipt_checks integer NOT NULL DEFAULT 0,
  ADD COLUMN receipt_log jsonb;
CREATE INDEX attempts_receipt_due ON attempts (receipt_check_at)
  WHERE delivery = 'accepted' AND receipt_check_at IS NOT NULL;
`,
};
