/**
 * What the use cases need from the outside world, as interfaces the adapters implement: the
 * PostgreSQL repositories, Redis or in-process signals. Use cases never name an adapter's class,
 * so they can run against small in-memory fakes as well as the real database.
 */

import type { Suppression } from "../audiences/suppression.js";
import type {
  Channel,
  ChannelActivity,
  ErasedUser,
  FailureReason,
  IdempotencyRecord,
  ImportedUser,
  ImportedUsers,
  ImportNeedsPasswords,
  ListedPage,
  NewNotification,
  NewUser,
  NotificationFilter,
  OutboxEntry,
  OutboxFilter,
  PageWindow,
  RenderedBodies,
  RenderedFrom,
  StoredApiKey,
  StoredAttempt,
  StoredNotification,
  UserChanges,
  UserFilter,
  UserProfile,
} from "../core/model.js";
import type { FailureOutcome, SentOutcome } from "../core/outcome.js";
import type {
  SuppressionEventType,
  UserEventType,
  WebhookEventType,
} from "../webhooks/webhook-event-types.js";

/** The notifications as records: created, read, listed, stopped or resumed by hand, pruned. */
export interface NotificationStore {
  create(notification: NewNotification): Promise<StoredNotification>;
  /** Like create, sharing one INSERT with the other creates of the same moment; never in a transaction. */
  createBatched(notification: NewNotification): Promise<StoredNotification>;
  /**
   * All of them in one INSERT, in their order, or none: UnknownUsersError names the users that
   * do not exist. For a bulk request, inside its transaction.
   */
  createMany(notifications: NewNotification[]): Promise<StoredNotification[]>;
  findById(id: number): Promise<StoredNotification | null>;
  list(filter: NotificationFilter, page: PageWindow): Promise<ListedPage<StoredNotification>>;
  /** A pending notification ends cancelled; null when it is not pending. */
  cancel(id: number): Promise<StoredNotification | null>;
  /** A failed or cancelled one is pending again and due now; null when that is refused. */
  retryManually(id: number, inFlightSeconds: number): Promise<StoredNotification | null>;
  deleteFinishedOlderThan(days: number, limit: number): Promise<number>;
}

export interface AttemptReader {
  listForNotification(notificationId: number): Promise<StoredAttempt[]>;
  listForNotifications(notificationIds: number[]): Promise<Map<number, StoredAttempt[]>>;
}

export interface UserReader {
  findById(id: number): Promise<UserProfile | null>;
}

/**
 * What creating a notification from a template reads before it renders, in one round trip: the
 * recipient (their variables and locale) and the template's version (when it was last saved).
 */
export interface TemplateRecipientReader {
  recipientAndTemplateVersion(userId: number, templateKey: string): Promise<RecipientAndTemplateVersion>;
  /**
   * The two as this process last read them, without a round trip, or null: they may have changed
   * since, so what is rendered from them is stored with `renderedFrom`, which the store checks.
   */
  remembered(
    userId: number,
    templateKey: string,
  ): (RecipientAndTemplateVersion & { renderedFrom: RenderedFrom }) | null;
}

/** What a process remembers of recipients to render for them (see TemplateRecipientReader.remembered). */
export interface RememberedRecipients {
  /** Drops what is remembered of the recipient: they were changed or erased. */
  forgetRecipient(userId: number): void;
}

export interface RecipientAndTemplateVersion {
  /** Null when there is no such user. */
  user: UserProfile | null;
  /** When the template was last saved; null when there is no such template. */
  templateVersion: Date | null;
}

/** Renders a saved template for one recipient; a ValidationError says what is wrong. */
export interface TemplateRenderer {
  renderForRecipient(
    request: RecipientRenderRequest,
  ): Promise<{ template: string; locale: string; rendered: RenderedBodies }>;
}

export interface RecipientRenderRequest {
  template: string;
  /** As read with the recipient: the parsed copy of that version is used, or the template is read. */
  version: Date | null;
  data: unknown;
  user: UserProfile;
  channels: readonly Channel[];
  unsubscribeUrl: string | null;
}

export interface UserStore extends UserReader {
  /** Refuses an email address already taken (whatever its case) with a validation error. */
  create(user: NewUser): Promise<UserProfile>;
  /** Applies the changes given; null when there is no such user. Refuses a taken email like create. */
  update(id: number, changes: UserChanges): Promise<UserProfile | null>;
  /** Newest first. */
  list(filter: UserFilter, page: PageWindow): Promise<ListedPage<UserProfile>>;
  /** Deletes the user and everything of theirs that refers to them; null when there is no such user. */
  erase(id: number): Promise<ErasedUser | null>;
  /** For each email, whether a user has it (whatever its case); takes no lock. */
  emailsTaken(emails: string[]): Promise<boolean[]>;
  /**
   * Creates the users no one has the email of, in one transaction: all or none. With
   * `updateExisting`, applies the others' changes in it; without, an email already taken (even by
   * a user created meanwhile) fails the whole import with a ValidationError naming its items.
   * Stores nothing, and names them, when it would create items whose `passwordUnhashed` is set.
   */
  importMany(users: ImportedUser[], updateExisting: boolean): Promise<ImportedUsers | ImportNeedsPasswords>;
}

/** Idempotency-Keys: which request first used each key of a caller, and what it created. */
export interface IdempotencyKeyStore {
  /** Takes the key for this request (null), or returns the request that holds it. In a transaction. */
  reserve(
    caller: string,
    key: string,
    requestHash: string,
    ttlHours: number,
  ): Promise<IdempotencyRecord | null>;
  attach(caller: string, key: string, notificationId: number): Promise<void>;
  /** What the key created, if a stored request holds it and it has not expired; takes no lock. */
  lookup(caller: string, key: string, ttlHours: number): Promise<IdempotencyRecord | null>;
  /** Ties the key to every notification one bulk request created, in its order. */
  attachMany(caller: string, key: string, notificationIds: number[]): Promise<void>;
  deleteExpired(ttlHours: number, limit?: number): Promise<number>;
}

/** The stores a transaction binds to one connection. */
export interface TransactionStores {
  notifications: Pick<NotificationStore, "create" | "createMany">;
  idempotencyKeys: IdempotencyKeyStore;
}

/** Runs `work` in one transaction: all of it is committed, or none of it. */
export type TransactionRunner = <T>(work: (stores: TransactionStores) => Promise<T>) => Promise<T>;

/** API keys as stored: only a hash and a display prefix of each key. */
export interface ApiKeyStore {
  create(name: string, prefix: string, hash: string): Promise<StoredApiKey>;
  createIfNoneActive(name: string, prefix: string, hash: string): Promise<StoredApiKey | null>;
  findActiveByHash(hash: string): Promise<StoredApiKey | null>;
  list(): Promise<StoredApiKey[]>;
  revoke(id: number): Promise<StoredApiKey | null>;
}

export interface OutboxReader {
  list(filter: OutboxFilter, page: PageWindow): Promise<ListedPage<OutboxEntry>>;
}

/** What the channel overview reads about recent attempts. */
export interface ChannelActivityReader {
  activity(channels: readonly string[], windowSeconds: number): Promise<ChannelActivity[]>;
  commonFailureReasons(channels: readonly string[], sample: number, top: number): Promise<FailureReason[]>;
}

/**
 * What a worker does to a notification it holds, every call guarded by its lease (`owner`): a
 * call whose lease was lost (taken over, or cancelled meanwhile) changes nothing and says so.
 */
export interface DeliveryStore {
  recordSkipped(
    notificationId: number,
    round: number,
    channel: Channel,
    cause: string,
    reason: string,
  ): Promise<void>;
  /** The new attempt's id, or null when the lease was lost. */
  startAttempt(
    notificationId: number,
    round: number,
    channel: Channel,
    owner: string,
    leaseSeconds: number,
    /** The longest the provider call may take: a lease with less left is renewed first. */
    callSeconds: number,
  ): Promise<number | null>;
  /**
   * Records the success and ends the notification sent; false when the lease was lost. With
   * `receiptCheckSeconds`, an accepted message is first asked about that long after.
   */
  finishSent(
    attemptId: number,
    outcome: SentOutcome,
    notificationId: number,
    owner: string,
    channel: Channel,
    receiptCheckSeconds?: number | null,
  ): Promise<boolean>;
  /** Records the success and holds the notification pending for `holdSeconds` (its receipt deadline). */
  finishAcceptedAndHold(finish: {
    attemptId: number;
    outcome: SentOutcome;
    notificationId: number;
    owner: string;
    channel: Channel;
    receiptCheckSeconds: number | null;
    holdSeconds: number;
  }): Promise<boolean>;
  /**
   * Records a failed attempt; with `deadAddress`, an outcome that proves it dead also suppresses
   * it. The new suppression's id, or null when none was added (or it was suppressed already).
   */
  finishFailed(
    attemptId: number,
    outcome: FailureOutcome,
    deadAddress?: { channel: Channel; address: string },
  ): Promise<number | null>;
  markSent(id: number, owner: string, channel: Channel): Promise<boolean>;
  markFailed(id: number, owner: string, reason: string, lastChannel: Channel | null): Promise<boolean>;
  /** Ends it expired (its expires_at passed, or would before its next round); false when the lease was lost. */
  markExpired(id: number, owner: string, reason: string, lastChannel: Channel | null): Promise<boolean>;
  /** Counts the round and makes the notification due again in `delaySeconds`; false when the lease was lost. */
  scheduleRetry(
    id: number,
    owner: string,
    retryCount: number,
    delaySeconds: number,
    lastChannel: Channel | null,
  ): Promise<boolean>;
  /** Gives it back due at `dueAt` without counting a round (quiet hours); false when the lease was lost. */
  holdUntil(id: number, owner: string, dueAt: Date): Promise<boolean>;
  release(id: number, owner: string): Promise<void>;
  /** Frees everything `owner` holds and records its calls in flight as interrupted; the ids freed. */
  abandon(owner: string, reason: string): Promise<number[]>;
}

/** A change to a notification, one of its attempts or a recipient, as announced to watchers. */
export type NotificationEvent =
  | { type: "created" | "updated"; id: number; status: string }
  | { type: "attempt"; id: number; channel: string; status: string }
  | UserEvent
  /** A suppression added (by delivery, the API, the CLI) or removed: `id` is the suppression's. */
  | { type: "suppression"; id: number; change: "created" | "deleted" }
  /**
   * Watchers should reload what they show: events may have been missed (the feed reconnected),
   * or many notifications changed in a way no event describes (retention deleted them).
   */
  | { type: "resync" };

/**
 * A recipient created, changed (profile, preferences, a Telegram chat connected) or erased. The
 * id and the kind of change only: the stream may be logged, and contacts stay out of logs.
 */
export interface UserEvent {
  type: "user";
  /** The user's id (not a notification's). */
  id: number;
  change: "created" | "updated" | "erased";
}

/** Announces committed changes; never throws and never waits: watchers are not the record. */
export interface NotificationEventPublisher {
  publish(event: NotificationEvent): void;
}

export interface NotificationEventFeed {
  /** Resolves once the listener will receive every change announced from then on. */
  subscribe(listener: (event: NotificationEvent) => void): Promise<() => void>;
}

/**
 * Tells idle workers, in every process, that work became due now (a notification was created,
 * retried by hand, or otherwise made due). It carries no state: PostgreSQL holds what is due, and
 * workers also poll slowly, so a lost wake-up only delays work by one poll.
 */
export interface WorkWakeUps {
  /** Fire and forget; never throws and never waits. */
  wake(): void;
  /** Calls `listener` on every wake-up, from any process; resolves once listening. */
  listen(listener: () => void): Promise<() => void>;
  close(): Promise<void>;
}

/**
 * Tells webhook subscribers what happened to a notification. Fire and forget: it never throws
 * and never waits, and costs nothing while no enabled endpoint subscribes to the event type.
 */
export interface WebhookEvents {
  emit(type: WebhookEventType, notificationId: number, attemptId?: number): void;
}

/**
 * Webhook events about a user: `data.user` as GET /api/users/{id}/ shows it at the time, with
 * `details` beside it. Told after the change, like a notification's events.
 */
export interface UserWebhookEvents {
  emitForUser(type: UserEventType, userId: number, details?: Record<string, unknown>): void;
}

/**
 * Webhook events about a suppressed address: `data.suppression` as GET /api/suppressions/ lists
 * it, given, or read by its id when the statement that added it returned only that.
 */
export interface SuppressionWebhookEvents {
  emitForSuppression(type: SuppressionEventType, suppression: Suppression | number): void;
}

/** The statements a bulk change lends, on its own transaction, to tell webhook subscribers of it. */
export interface WebhookEventWriter {
  attempts: Pick<AttemptReader, "listForNotifications">;
  /**
   * Stores one `type` event per entry, each with one delivery per enabled endpoint subscribed to
   * the type, in one statement; how many deliveries were made.
   */
  recordEvents(
    type: WebhookEventType,
    events: { id: string; notificationId: number; payload: object }[],
  ): Promise<number>;
}

/**
 * Webhook events of many notifications changed by one statement (a broadcast's cancellation):
 * stored in the transaction that changed them, so each is told exactly once, or not at all when
 * the change is rolled back.
 */
export interface BulkWebhookEvents {
  /** Whether some enabled endpoint subscribes to `type` (as known within the refresh interval). */
  subscribes(type: WebhookEventType): Promise<boolean>;
  /**
   * Stores one `type` event per notification through `writer`; how many deliveries were made.
   * Reads nothing but through `writer`: ask `subscribes` before the transaction.
   */
  recordMany(
    type: WebhookEventType,
    notifications: StoredNotification[],
    writer: WebhookEventWriter,
  ): Promise<number>;
  /** Wakes the webhook senders, once the deliveries recorded are committed. */
  wake(): void;
}
