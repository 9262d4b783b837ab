/**
 * Domain objects in the public JSON shape, with the original Django service's field names: what
 * the HTTP API answers and what the CLI prints with --json. Shared by both entry points, so
 * neither imports the other.
 */
import type { Suppression } from "../audiences/suppression.js";
import type { StoredAttempt, StoredNotification, UserProfile } from "../core/model.js";
import { renderedToJson } from "../db/rows.js";
import type { Template } from "../templates/template.js";

export const serializeUser = (user: UserProfile) => ({
  id: user.id,
  email: user.email,
  first_name: user.firstName,
  last_name: user.lastName,
  phone_number: user.phoneNumber,
  telegram_id: user.telegramId,
  locale: user.locale,
  timezone: user.timezone,
  quiet_hours: user.quietHours,
});

export const serializeTemplate = (template: Template) => ({
  key: template.key,
  description: template.description,
  default_locale: template.defaultLocale,
  locales: template.locales,
  created_at: template.createdAt.toISOString(),
  updated_at: template.updatedAt.toISOString(),
});

export const serializeAttempt = (attempt: StoredAttempt) => ({
  channel: attempt.channel,
  status: attempt.status,
  round: attempt.round,
  error: attempt.error,
  error_kind: attempt.errorKind,
  provider_code: attempt.providerCode,
  provider_message_id: attempt.providerMessageId,
  started_at: attempt.startedAt.toISOString(),
  finished_at: attempt.finishedAt?.toISOString() ?? null,
  delivery: attempt.delivery,
  delivered_at: attempt.deliveredAt?.toISOString() ?? null,
  receipt_code: attempt.receiptCode,
  receipt_text: attempt.receiptText,
  receipts: attempt.receipts.map((receipt) => ({
    at: receipt.at.toISOString(),
    state: receipt.state,
    code: receipt.code,
    text: receipt.text,
  })),
});

let lastInstant = Number.NaN;
let lastInstantText = "";

/**
 * `date.toISOString()`, remembering the last one: notifications created together share their times
 * (one INSERT, one now() for created_at and a plain notification's next_attempt_at), so a batch of
 * answers or a page of a list converts each instant once. Date's conversion costs more than the
 * rest of serializing a new notification.
 */
function isoTime(date: Date): string {
  const instant = date.getTime();
  if (instant !== lastInstant) {
    lastInstantText = date.toISOString();
    lastInstant = instant;
  }
  return lastInstantText;
}

export const serializeNotification = (notification: StoredNotification, attempts: StoredAttempt[]) => {
  // The delivery summary is that of the latest attempt a provider accepted.
  const latestSent = attempts.findLast((attempt) => attempt.status === "sent");
  return {
    id: notification.id,
    user: notification.userId,
    message: notification.message,
    subject: notification.subject,
    channels: notification.channels,
    status: notification.status,
    retry_count: notification.retryCount,
    last_channel: notification.lastChannel,
    sent_at: notification.sentAt ? isoTime(notification.sentAt) : null,
    created_at: isoTime(notification.createdAt),
    next_attempt_at:
      notification.status === "pending" && notification.nextAttemptAt
        ? isoTime(notification.nextAttemptAt)
        : null,
    failure_reason: notification.failureReason,
    history_from_round: notification.historyFromRound,
    priority: notification.priority,
    category: notification.category,
    metadata: notification.metadata,
    expires_at: notification.expiresAt ? isoTime(notification.expiresAt) : null,
    template: notification.template,
    locale: notification.locale,
    rendered: notification.rendered ? renderedToJson(notification.rendered) : null,
    broadcast: notification.broadcastId,
    delivery: latestSent?.delivery ?? null,
    delivered_at: latestSent?.deliveredAt?.toISOString() ?? null,
    attempts: attempts.map(serializeAttempt),
  };
};

export const serializeSuppression = (suppression: Suppression) => ({
  id: suppression.id,
  channel: suppression.channel,
  address: suppression.address,
  reason: suppression.reason,
  source: suppression.source,
  evidence: suppression.evidence,
  created_at: suppression.createdAt.toISOString(),
});
