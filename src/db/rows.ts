/** Turns database rows into domain objects; the only place that knows the column names' casing. */
import type {
  AttemptStatus,
  Channel,
  NotificationStatus,
  Recipient,
  StoredAttempt,
  StoredNotification,
} from "../core/model.js";

export interface UserRow {
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  phone_number: string | null;
  telegram_id: string | null;
}

export const toRecipient = (row: UserRow): Recipient => ({
  id: row.id,
  email: row.email,
  firstName: row.first_name,
  lastName: row.last_name,
  phoneNumber: row.phone_number,
  telegramId: row.telegram_id,
});

export interface NotificationRow {
  id: number;
  user_id: number;
  message: string;
  subject: string | null;
  channels: string[] | null;
  status: string;
  retry_count: number;
  last_channel: string | null;
  sent_at: Date | null;
  failure_reason: string | null;
  created_at: Date;
  next_attempt_at: Date | null;
  history_from_round: number;
}

export const NOTIFICATION_COLUMNS =
  "id, user_id, message, subject, channels, status, retry_count, last_channel, sent_at, failure_reason, created_at, next_attempt_at, history_from_round";

/** The notification columns of table alias `alias`, for statements that join. */
export function notificationColumnsOf(alias: string): string {
  return NOTIFICATION_COLUMNS.split(", ")
    .map((column) => `${alias}.${column}`)
    .join(", ");
}

export const toNotification = (row: NotificationRow): StoredNotification => ({
  id: row.id,
  userId: row.user_id,
  message: row.message,
  subject: row.subject,
  channels: row.channels as Channel[] | null,
  status: row.status as NotificationStatus,
  retryCount: row.retry_count,
  lastChannel: row.last_channel as Channel | null,
  sentAt: row.sent_at,
  failureReason: row.failure_reason,
  createdAt: row.created_at,
  nextAttemptAt: row.next_attempt_at,
  historyFromRound: row.history_from_round,
});

export interface AttemptRow {
  id: number;
  notification_id: number;
  round: number;
  channel: string;
  status: string;
  error_kind: string | null;
  provider_code: string | null;
  error: string | null;
  retry_after_seconds: number | null;
  provider_message_id: string | null;
  details: Record<string, unknown> | null;
  started_at: Date;
  finished_at: Date | null;
}

export const toAttempt = (row: AttemptRow): StoredAttempt => ({
  id: row.id,
  notificationId: row.notification_id,
  channel: row.channel as Channel,
  round: row.round,
  status: row.status as AttemptStatus,
  errorKind: row.error_kind,
  providerCode: row.provider_code,
  error: row.error,
  retryAfterSeconds: row.retry_after_seconds,
  providerMessageId: row.provider_message_id,
  details: row.details ?? null,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});
