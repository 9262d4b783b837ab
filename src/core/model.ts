/** The domain as the rest of the service speaks of it; no framework types here. */

export const CHANNELS = ["sms", "email", "telegram"] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === "string" && (CHANNELS as readonly string[]).includes(value);
}

export const NOTIFICATION_STATUSES = ["pending", "sent", "failed", "cancelled"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** What an attempt ended as. `in_progress` only while a provider call is under way. */
export const ATTEMPT_STATUSES = ["in_progress", "sent", "failed", "skipped", "interrupted"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export interface Recipient {
  id: number;
  email: string;
  firstName: string;
  lastName: string;
  /** E.164, e.g. +79990001122 */
  phoneNumber: string | null;
  /** Telegram chat id: digits, with a leading minus for groups */
  telegramId: string | null;
}

export interface Notification {
  id: number;
  userId: number;
  message: string;
  subject: string | null;
  /** The channels chosen for this notification, or null to follow CHANNEL_ORDER. */
  channels: Channel[] | null;
  status: NotificationStatus;
  retryCount: number;
  lastChannel: Channel | null;
  sentAt: Date | null;
  createdAt: Date;
  nextAttemptAt: Date | null;
  /** The round a manual retry started; the delivery policy ignores attempts before it. */
  historyFromRound: number;
}

export interface Attempt {
  id: number;
  notificationId: number;
  channel: Channel;
  round: number;
  status: AttemptStatus;
  /** The outcome kind for failed attempts, the skip cause for skipped ones. */
  errorKind: string | null;
  /** The provider's own code (SMS.ru status_code, Telegram error_code, SMTP reply code). */
  providerCode: string | null;
  error: string | null;
  providerMessageId: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}
