/**
 * Receipts a provider posts by itself (SMS.ru's status callback) name the message by the
 * provider's id, not ours. Only attempts still waiting for a receipt can take one, so the index
 * holds just those: small, and each leaves it when its receipt is final or it becomes unknown.
 */
export const receiptCallbacks = {
  name: "015-receipt-callbacks",
  sql: `
CREATE INDEX attempts_awaiting_receipt_by_provider_id ON attempts (provider_message_id)
  WHERE delivery = 'accepted' AND receipt_check_at IS NOT NULL;
`,
};
