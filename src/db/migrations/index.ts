import { initialSchema } from "./001-initial-schema.js";
import { apiKeys } from "./002-api-keys.js";
import { idempotencyKeys } from "./003-idempotency-keys.js";
import { outbox } from "./004-outbox.js";
import { metricsIndexes } from "./005-metrics-indexes.js";
import { dashboard } from "./006-dashboard.js";
import { retention } from "./007-retention.js";
import { maintenanceSchedule } from "./008-maintenance-schedule.js";
import { templatesAndScheduling } from "./009-templates-and-scheduling.js";
import { webhooks } from "./010-webhooks.js";
import { receipts } from "./011-receipts.js";
import { audiences } from "./012-audiences.js";
import { broadcasts } from "./013-broadcasts.js";
import { receiptChecker } from "./014-receipt-checker.js";
import { receiptCallbacks } from "./015-receipt-callbacks.js";
import { leanerIndexes } from "./016-leaner-indexes.js";
import { statusIndexWithoutPending } from "./017-status-index-without-pending.js";
import { receiptDueIndexApart } from "./018-receipt-due-index-apart.js";
import { finishedAttemptsIndex } from "./019-finished-attempts-index.js";
import { recipientLookups } from "./020-recipient-lookups.js";
import { bulkIdempotencyKeys } from "./021-bulk-idempotency-keys.js";
import { retiredCounts } from "./022-retired-counts.js";
import { telegramLinks } from "./023-telegram-links.js";
import { userWebhookEvents } from "./024-user-webhook-events.js";
import { notificationMetadata } from "./025-notification-metadata.js";

/** Every migration, oldest first. Never edit one that has shipped: add the next. */
export const migrations: { name: string; sql: string }[] = [
  initialSchema,
  apiKeys,
  idempotencyKeys,
  outbox,
  metricsIndexes,
  dashboard,
  retention,
  maintenanceSchedule,
  templatesAndScheduling,
  webhooks,
  receipts,
  audiences,
  broadcasts,
  receiptChecker,
  receiptCallbacks,
  leanerIndexes,
  statusIndexWithoutPending,
  receiptDueIndexApart,
  finishedAttemptsIndex,
  recipientLookups,
  bulkIdempotencyKeys,
  retiredCounts,
  telegramLinks,
  userWebhookEvents,
  notificationMetadata,
];
