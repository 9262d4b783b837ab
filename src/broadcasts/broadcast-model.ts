/** Broadcasts: one request that becomes a notification for each user of an audience. */
import type {
  Channel,
  Metadata,
  NewNotification,
  NotificationStatus,
  Priority,
  StoredNotification,
  UserProfile,
} from "../core/model.js";
import type { IdempotencyKeyStore, WebhookEventWriter } from "../usecases/ports.js";

/**
 * `pending`: created, no batch fanned out yet (or waiting for send_at); `fanning_out`: a worker is
 * creating its notifications batch by batch; `done`: every recipient has one; `cancelled`: stopped,
 * its pending notifications cancelled.
 */
export const BROADCAST_STATUSES = ["pending", "fanning_out", "done", "cancelled"] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

/** Unknown ids named in a response at most; the count says how many there were in all. */
export const MAX_UNKNOWN_USERS_SHOWN = 100;

export interface BroadcastContent {
  message: string | null;
  subject: string | null;
  channels: Channel[] | null;
  template: string | null;
  data: Record<string, unknown> | null;
  category: string | null;
  /** Copied to each notification it fans out. */
  metadata: Metadata | null;
  priority: Priority;
  sendAt: Date | null;
  expiresAt: Date | null;
}

export interface NewBroadcast extends BroadcastContent {
  /** The explicit audience (distinct ids, unknown ones included), or null for every user. */
  userIds: number[] | null;
}

export interface Broadcast extends BroadcastContent {
  id: number;
  status: BroadcastStatus;
  allUsers: boolean;
  /** Distinct known users it goes to, fixed at creation. */
  total: number;
  /** Recipients fanned out so far (each got a notification, or already had one). */
  fannedOut: number;
  /** The first MAX_UNKNOWN_USERS_SHOWN unknown ids given, in id order, and how many there were. */
  unknownUsers: number[];
  unknownUserCount: number;
  createdAt: Date;
  finishedAt: Date | null;
}

/** How many of a broadcast's notifications are in each status, every status present. */
export type BroadcastCounts = Record<NotificationStatus, number>;

export type BroadcastWithCounts = Broadcast & { counts: BroadcastCounts };

/** A broadcast a worker holds under its lease. */
export interface ClaimedBroadcast {
  id: number;
  status: BroadcastStatus;
}

/** One recipient's notification as a batch inserts it. */
export type FannedOutNotification = NewNotification & { failureReason?: string | null };

/** A notification a batch created, as the live event stream announces it. */
export interface CreatedNotification {
  id: number;
  status: NotificationStatus;
}

/** What a worker may do with the broadcast it locked for one batch. */
export interface BroadcastBatch {
  broadcast: Broadcast;
  /** Its notifications due now and not yet finished, counted up to `limit`. */
  dueBacklog(limit: number): Promise<number>;
  /**
   * The next `limit` recipients after the cursor, in id order, with what their notification needs;
   * `lastUserId` is where the cursor goes next, `exhausted` says none are left after these.
   */
  nextRecipients(limit: number): Promise<{ users: UserProfile[]; lastUserId: number; exhausted: boolean }>;
  /** Inserts their notifications; a recipient who already has one is skipped. Returns the new ones. */
  insertNotifications(notifications: FannedOutNotification[]): Promise<CreatedNotification[]>;
  /** Moves the cursor past `lastUserId`, renews the lease; `finished` ends the fan-out (done). */
  advance(lastUserId: number, recipients: number, finished: boolean): Promise<void>;
  /** Gives the broadcast back, due again in `seconds`. */
  postpone(seconds: number): Promise<void>;
}

export interface BroadcastStore {
  /** The first known user of an audience (null: every user), a sample to render a template for. */
  sampleRecipient(userIds: number[] | null): Promise<UserProfile | null>;
  findById(id: number): Promise<BroadcastWithCounts | null>;
  list(page: { limit: number; offset: number }): Promise<{ count: number; results: BroadcastWithCounts[] }>;
  /** Takes up to `limit` broadcasts with a batch (or a cancellation sweep) due, for `owner`. */
  claimDue(
    owner: string,
    leaseSeconds: number,
    limit: number,
  ): Promise<{ items: ClaimedBroadcast[]; nextDueInSeconds: number | null }>;
  /**
   * Runs `work` in one transaction with the broadcast locked, if `owner` still holds it and it is
   * still fanning out; null (nothing done) otherwise.
   */
  inBatch<T>(
    id: number,
    owner: string,
    leaseSeconds: number,
    work: (batch: BroadcastBatch) => Promise<T>,
  ): Promise<T | null>;
  /**
   * Ends the fan-out cancelled (waiting for a batch in progress); null when there is no such
   * broadcast. A broadcast that is done and has no pending notification left is not changed:
   * "nothing_pending", as there is nothing to cancel.
   */
  markCancelled(id: number): Promise<Broadcast | "nothing_pending" | null>;
  /**
   * Cancels up to `limit` of its pending notifications; their ids. `announce` is told of them in
   * the same transaction, with the statements it may use there (webhook events).
   */
  cancelPendingNotifications(
    id: number,
    limit: number,
    announce?: (cancelled: StoredNotification[], writer: WebhookEventWriter) => Promise<void>,
  ): Promise<number[]>;
  /** The cancellation's sweep is over: nothing more is due for it. */
  finishCancelling(id: number): Promise<void>;
}

/** The creation's statements, bound to one transaction. */
export interface BroadcastCreation {
  /** Stores the broadcast, and its audience in chunks of `chunkSize` ids, in one statement each. */
  create(broadcast: NewBroadcast, chunkSize: number): Promise<Broadcast>;
  idempotencyKeys: Pick<IdempotencyKeyStore, "reserve" | "attach">;
}

export type BroadcastTransaction = <T>(work: (creation: BroadcastCreation) => Promise<T>) => Promise<T>;
