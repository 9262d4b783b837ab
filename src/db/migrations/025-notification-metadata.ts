/**
 * Your own labels on a notification (an order id, a tenant), shown with it, sent in its webhooks
 * and searchable. A broadcast's are copied to each notification it fans out. The index is partial:
 * a notification without metadata, the common kind, adds nothing to it.
 */
export const notificationMetadata = {
  name: "025-notification-metadata",
  sql: `
ALTER TABLE notifications ADD COLUMN metadata jsonb;
ALTER TABLE broadcasts ADD COLUMN metadata jsonb;
CREATE INDEX notifications_metadata ON notifications USING gin (metadata jsonb_path_ops) WHERE metadata IS NOT NULL;
`,
};
