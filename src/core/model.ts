/** The domain as the rest of the service speaks of it; no framework types here. */

export const CHANNELS = ["sms", "email", "telegram"] as const;
export type Channel = (typeof CHANNELS)[number];

export function isChannel(value: unknown): value is Channel {
  return typeof value === "string" && (CHANNELS as readonly string[]).includes(value);
}

/** `expired`: its expires_at (or ttl_seconds) passed before any channel delivered it. */
export const NOTIFICATION_STATUSES = ["pending", "sent", "failed", "cancelled", "expired"] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** What an attempt ended as. `in_progress` only while a provider call is under way. */
export const ATTEMPT_STATUSES = ["in_progress", "sent", "failed", "skipped", "interrupted"] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

/**
 * What became of a message a provider accepted: `accepted` until a receipt says more, then
 * `delivered` or `undelivered`; `unknown` when no final receipt will come (none within
 * SMS_RECEIPT_MAX_AGE_SECONDS). Null for attempts no provider accepted.
 */
export const DELIVERY_STATES = ["accepted", "delivered", "undelivered", "unknown"] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One report a provider gave about an accepted message, in the order they came. */
export interface ReceiptEntry {
  at: Date;
  /** `in_transit` for a report that is not final yet. */
  state: "in_transit" | "delivered" | "undelivered";
  code: string | null;
  text: string | null;
}

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

/** `critical` notifications ignore the recipient's quiet hours (never their expiry). */
export const PRIORITIES = ["normal", "critical"] as const;
export type Priority = (typeof PRIORITIES)[number];

/** A daily window, in the recipient's time zone, during which non-critical notifications wait. */
export interface QuietHours {
  /** "HH:MM", 24-hour; a window may cross midnight ("22:00" to "08:00"). */
  start: string;
  end: string;
}

/** A recipient as they are managed: contacts plus how and when they like to be told. */
export interface UserProfile extends Recipient {
  /** BCP 47 tag (e.g. "pt-BR") templates render in; null: the template's default locale. */
  locale: string | null;
  /** IANA time zone; null means no quiet hours. */
  timezone: string | null;
  quietHours: QuietHours | null;
}

/** One channel's message, as a template rendered it for one notification. */
export interface RenderedBody {
  text: string;
  /** Email only. */
  subject?: string | null;
  /** Email only: an HTML alternative to the text. */
  html?: string | null;
  /** Telegram only: "HTML" when the text is Telegram HTML. */
  parseMode?: "HTML" | null;
}

export type RenderedBodies = Partial<Record<Channel, RenderedBody>>;

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
  /** The template it was rendered from, if any, and the locale it was rendered in. */
  template: string | null;
  locale: string | null;
  /** What the template rendered to per channel; null for a notification sent with `message`. */
  rendered: RenderedBodies | null;
  /** Never delivered at or after this time; null: no expiry. */
  expiresAt: Date | null;
  priority: Priority;
  /** The broadcast it was fanned out from; null for a notification created on its own. */
  broadcastId: number | null;
  /** What kind of message it is (a slug such as "marketing"), for preferences and unsubscribing. */
  category: string | null;
  /** The caller's own labels (an order id, a tenant): shown, sent in webhooks, searchable; never sent to the recipient. */
  metadata: Metadata | null;
}

/** String keys to string values: see validateMetadata for the limits. */
export type Metadata = Record<string, string>;

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
  delivery: DeliveryState | null;
  /** When the provider said the message reached the recipient. */
  deliveredAt: Date | null;
  /** The provider's final receipt code and text (SMS.ru status_code and its text). */
  receiptCode: string | null;
  receiptText: string | null;
  /** The provider's reports, oldest first (the receipt timeline). */
  receipts: ReceiptEntry[];
}

/** A notification as stored, with why it failed when it did. */
export type StoredNotification = Notification & { failureReason: string | null };

export type StoredAttempt = Attempt & {
  retryAfterSeconds: number | null;
  /** What the provider reported beyond the outcome (see DeliveryOutcome's details). */
  details: Record<string, unknown> | null;
};

/**
 * Which channels a user turned off: everywhere (`channels`) or for one category (`categories`).
 * Anything not set is allowed; `true` only says so explicitly.
 */
export interface Preferences {
  channels: Partial<Record<Channel, boolean>>;
  categories: Record<string, Partial<Record<Channel, boolean>>>;
}

/** Why an address stopped receiving: proven dead by a provider's reply, or suppressed by hand. */
export const SUPPRESSION_REASONS = [
  "bot_blocked",
  "hard_bounce",
  "invalid_number",
  "unsubscribed",
  "manual",
] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** What the worker knows of a recipient beyond their contacts, read by the same claim. */
export interface RecipientAudience {
  preferences: Preferences | null;
  /** The channels whose address of this recipient is suppressed. */
  suppressedChannels: readonly Channel[];
}

/** A notification a worker holds under its lease, with what it needs to run the round. */
export interface ClaimedDelivery {
  notification: StoredNotification;
  /** With their locale, time zone and quiet hours, read in the claim: the round needs no other read. */
  recipient: UserProfile | null;
  audience: RecipientAudience;
  /** Every attempt so far; those left in progress by a dead worker count as interrupted. */
  attempts: StoredAttempt[];
  /** How many attempts a dead worker had left in progress, now recorded as interrupted. */
  interrupted: number;
}

export interface NewNotification {
  userId: number;
  message: string;
  subject: string | null;
  channels: Channel[] | null;
  /** The template it was rendered from, the locale, and what each channel's body came to. */
  template?: string | null;
  locale?: string | null;
  rendered?: RenderedBodies | null;
  expiresAt?: Date | null;
  priority?: Priority;
  category?: string | null;
  metadata?: Metadata | null;
  /** When the first round is due; null or absent: now, by the database's clock. */
  nextAttemptAt?: Date | null;
  /**
   * Rendered from a remembered copy of these rows: it is stored only if both are unchanged
   * (RenderedFromChangedError otherwise). Absent: rendered from what was just read.
   */
  renderedFrom?: RenderedFrom | null;
}

/** The row versions (PostgreSQL's xmin) of the recipient and the template a rendering used. */
export interface RenderedFrom {
  userRowVersion: string;
  templateRowVersion: string;
}

/** Which notifications a list shows. */
export interface NotificationFilter {
  userId?: number;
  status?: NotificationStatus;
  /** The channel that delivered it, or the last one called. */
  lastChannel?: Channel;
  /** A case-insensitive substring of the message, taken literally (% and _ are not wildcards). */
  search?: string;
  /** true: only pending ones waiting for a later time (send_at, quiet hours, a retry); false: only those due now. */
  scheduled?: boolean;
  /** Only the notifications fanned out from this broadcast. */
  broadcastId?: number;
  category?: string;
  /** Only those whose metadata holds every one of these keys with these values. */
  metadata?: Metadata;
}

export interface StoredApiKey {
  id: number;
  name: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface OutboxEntry {
  id: number;
  notificationId: number;
  channel: Channel;
  to: string;
  subject: string | null;
  text: string;
  createdAt: Date;
}

export type NewOutboxEntry = Omit<OutboxEntry, "id" | "createdAt">;

export interface OutboxFilter {
  channel?: Channel;
  notificationId?: number;
}

/** The request that first used a key, and what it created (a notification, or a broadcast). */
export interface IdempotencyRecord {
  requestHash: string;
  createdId: number;
  /** Every notification a bulk request created, in its order; null for a single creation. */
  createdIds: number[] | null;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  phoneNumber: string | null;
  telegramId: string | null;
  locale?: string | null;
  timezone?: string | null;
  quietHours?: QuietHours | null;
}

/** The fields a user may change after creation (never the password here); absent ones stay. */
export type UserChanges = Partial<Omit<NewUser, "passwordHash">>;

/**
 * One user of an import: created when no user has the email (whatever its case), with the
 * password's hash or none (null: the user has no password that could ever match); otherwise, when
 * the import updates existing users, their `changes` are applied and the password is left alone.
 */
export interface ImportedUser {
  email: string;
  passwordHash: string | null;
  /**
   * True when the item gave a password that was not hashed because its user existed (an update
   * leaves the password alone). Such an item is never created without its hash.
   */
  passwordUnhashed?: boolean;
  /** The profile fields the item gave (absent ones stay as they are on an existing user). */
  changes: UserChanges;
}

/** What an import did: every user in the request's order, and whether each was created. */
export interface ImportedUsers {
  users: UserProfile[];
  created: boolean[];
}

/**
 * An import that stored nothing: the items at `passwordsToHash` were to be created (their user
 * was erased after the look-up) but their password was not hashed. Hash them and import again.
 */
export interface ImportNeedsPasswords {
  passwordsToHash: number[];
}

/** Which recipients a list keeps: each field given must match (the email whatever its case). */
export interface UserFilter {
  email?: string;
  /** E.164, as stored. */
  phoneNumber?: string;
  telegramId?: string;
}

/** What erasing a recipient removed with them. */
export interface ErasedUser {
  id: number;
  /** Their notifications, deleted with their attempts, outbox entries and idempotency keys. */
  notifications: number;
}

export interface ChannelActivity {
  channel: string;
  sent: number;
  failed: number;
  skipped: number;
  lastSuccessAt: Date | null;
}

export interface FailureReason {
  channel: string;
  errorKind: string | null;
  providerCode: string | null;
  reason: string;
  count: number;
  lastSeenAt: Date;
}

/** A list's matching rows are counted one by one up to this many; beyond, the count is estimated. */
export const EXACT_COUNT_LIMIT = 10_000;

/**
 * Which page of a list, newest first: `limit` rows from `offset`, among those with an id below
 * `beforeId` when it is given (a cursor: every page then costs what the first does, and rows
 * added meanwhile never shift one).
 */
export interface PageWindow {
  limit: number;
  offset: number;
  beforeId?: number;
}

/**
 * One page of a list. `count` is how many rows match: exact when `countExact`, otherwise
 * PostgreSQL's estimate (never below what is known to exist) for a list too long to count.
 */
export interface ListedPage<T> {
  results: T[];
  count: number;
  countExact: boolean;
  /** Rows exist after this page. */
  hasMore: boolean;
}
