/**
 * POST /api/notifications/bulk/ takes one Idempotency-Key for many notifications. Its key row
 * names them all, in the request's order, here rather than in notification_id: deleting one of
 * them must not cascade to the key and let a retry create the others again. Nullable, so adding
 * it rewrites nothing.
 */
export const bulkIdempotencyKeys = {
  name: "021-bulk-idempotency-keys",
  sql: `
ALTER TABLE idempotency_keys ADD COLUMN notification_ids bigint[];
`,
};
