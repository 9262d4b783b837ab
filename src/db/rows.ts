/** Turns database rows into domain objects; the only place that knows the column names' casing. */
import type {
  AttemptStatus,
  Channel,
  DeliveryState,
  Metadata,
  NotificationStatus,
  Priority,
  ReceiptEntry,
  Recipient,
  RenderedBodies,
  StoredAttempt,
  StoredNotification,
  UserProfile,
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

export interface UserProfileRow extends UserRow {
  locale: string | null;
  timezone: string | null;
  quiet_hours_start: string | null;
  quiet_hours_end: string | null;
}

export const USER_PROFILE_COLUMNS =
  "id, email, first_name, last_name, phone_number, telegram_id, locale, timezone, quiet_hours_start, quiet_hours_end";

export const toUserProfile = (row: UserProfileRow): UserProfile => ({
  ...toRecipient(row),
  locale: row.locale,
  timezone: row.timezone,
  quietHours:
    row.quiet_hours_start && row.quiet_hours_end
      ? { start: row.quiet_hours_start, end: row.quiet_hours_end }
      : null,
});

/** Rendered bodies as stored (and shown): the public JSON shape, parse_mode in snake case. */
export type RenderedJson = Partial<
  Record<Channel, { text: string; subject?: string | null; html?: string | null; parse_mode?: "HTML" | null }>
>;

export function renderedToJson(rendered: RenderedBodies): RenderedJson {
  const json: RenderedJson = {};
  for (const [channel, body] of Object.entries(rendered) as [Channel, RenderedBodies[Channel]][]) {
    if (!body) continue;
    const { parseMode, ...rest } = body;
    json[channel] = parseMode === undefined ? rest : { ...rest, parse_mode: parseMode };
  }
  return json;
}

function renderedFromJson(json: RenderedJson): RenderedBodies {
  const rendered: RenderedBodies = {};
  for (const [channel, body] of Object.entries(json) as [Channel, RenderedJson[Channel]][]) {
    if (!body) continue;
    const { parse_mode, ...rest } = body;
    rendered[channel] = parse_mode === undefined ? rest : { ...rest, parseMode: parse_mode };
  }
  return rendered;
}

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
  template: string | null;
  locale: string | null;
  rendered: RenderedJson | null;
  /** A string when the row came through row_to_json (the claim statement). */
  expires_at: Date | string | null;
  priority: string;
  broadcast_id: number | string | null;
  category: string | null;
  metadata: Metadata | null;
}

export const NOTIFICATION_COLUMNS =
  "id, user_id, message, subject, channels, status, retry_count, last_channel, sent_at, failure_reason, created_at, next_attempt_at, history_from_round, template, locale, rendered, expires_at, priority, broadcast_id, category, metadata";

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
  template: row.template,
  locale: row.locale,
  rendered: row.rendered ? renderedFromJson(row.rendered) : null,
  expiresAt: row.expires_at === null ? null : new Date(row.expires_at),
  priority: row.priority as Priority,
  broadcastId: row.broadcast_id === null ? null : Number(row.broadcast_id),
  category: row.category,
  metadata: row.metadata,
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
  /** Strings when the row came through row_to_json (the claim statement); absent before 011. */
  delivery?: string | null;
  delivered_at?: Date | string | null;
  receipt_code?: string | null;
  receipt_text?: string | null;
  receipt_log?: ReceiptLogEntry[] | null;
}

/** A receipt timeline entry as stored in attempts.receipt_log. */
export interface ReceiptLogEntry {
  at: string;
  state: ReceiptEntry["state"];
  code: string | null;
  text: string | null;
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
  delivery: (row.delivery ?? null) as DeliveryState | null,
  deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null,
  receiptCode: row.receipt_code ?? null,
  receiptText: row.receipt_text ?? null,
  receipts: (row.receipt_log ?? []).map((entry) => ({ ...entry, at: new Date(entry.at) })),
});
