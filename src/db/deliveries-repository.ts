/**
 * The statements a worker runs while it delivers, every one guarded by its lease: claiming due
 * notifications, starting and finishing attempts, and ending a round (sent, failed, a retry
 * later, or handed back). PostgreSQL is the queue: a pending notification whose next_attempt_at
 * has come and that no live worker holds is the job, and nothing else keeps a copy of that.
 */

import { storedPreferences } from "../audiences/preferences.js";
import { suppressionAddressOf } from "../audiences/suppression-address.js";
import type { Channel, ClaimedDelivery, StoredAttempt } from "../core/model.js";
import type { FailureOutcome, SentOutcome } from "../core/outcome.js";
import { prepared, type Queryable, retryingRefusals } from "./database.js";
import {
  type AttemptRow,
  type NotificationRow,
  notificationColumnsOf,
  toAttempt,
  toNotification,
  toUserProfile,
  USER_PROFILE_COLUMNS,
  type UserProfileRow,
} from "./rows.js";
import { suppressedChannelsOfUsers } from "./suppressed-addresses.js";
import { runAsIfAlone, TickBatcher } from "./tick-batcher.js";

/** The order of the fallback addresses among the claim's parameters ($4, $5, $6). */
const FALLBACK_CHANNELS = ["email", "sms", "telegram"] as const satisfies readonly Channel[];

/** What one claim took, and how long until the next notification not yet due becomes due. */
export interface ClaimedBatch {
  deliveries: ClaimedDelivery[];
  /** Seconds on PostgreSQL's clock until the earliest pending notification is due; null if none is. */
  nextDueInSeconds: number | null;
}

type AttemptJson = Omit<AttemptRow, "started_at" | "finished_at"> & {
  started_at: string;
  finished_at: string | null;
};

/** The claim's recipient: the contacts, the preferences and which of the addresses are suppressed. */
type RecipientJson = UserProfileRow & { preferences: unknown; suppressed_channels: Channel[] | null };

type ClaimedRow = (NotificationRow | { [K in keyof NotificationRow]: null }) & {
  next_due_in_seconds: number | null;
};

type ClaimedRowTaken = NotificationRow & { next_due_in_seconds: number | null };

/** What a claimed notification's delivery needs besides its own row. */
interface ClaimedRelations {
  id: number;
  recipient: RecipientJson | null;
  attempts: AttemptJson[] | null;
}

/** The address an attempt was sent to, suppressed when its outcome proves it dead. */
export interface DeadAddress {
  channel: Channel;
  /** As normalised for suppressions (see audiences/suppression-address.ts). */
  address: string;
}

interface AttemptStart {
  notificationId: number;
  round: number;
  channel: Channel;
  owner: string;
  leaseSeconds: number;
  callSeconds: number;
}

export interface SentFinish {
  attemptId: number;
  outcome: SentOutcome;
  notificationId: number;
  owner: string;
  channel: Channel;
  /** When to first ask the provider for a receipt; null when it gives none. */
  receiptCheckSeconds: number | null;
}

/** Rows per batched statement, and statements of one kind in flight from a process at once. */
const BATCH_LIMIT = 500;
const BATCHES_IN_FLIGHT = 1;

export class DeliveriesRepository {
  private readonly startBatcher = new TickBatcher<AttemptStart, number | null>(
    (starts) =>
      runAsIfAlone(
        starts,
        (start) => start.notificationId,
        (batch) => this.startManyUnderLease(batch),
      ),
    BATCH_LIMIT,
    BATCHES_IN_FLIGHT,
  );
  private readonly finishSentBatcher = new TickBatcher<SentFinish, boolean>(
    (finishes) =>
      runAsIfAlone(
        finishes,
        (finish) => finish.notificationId,
        (batch) => this.finishManySent(batch),
      ),
    BATCH_LIMIT,
    BATCHES_IN_FLIGHT,
  );

  /** Each channel's fallback address (TELEGRAM_CHAT_ID), or null: parameters of the claim. */
  private readonly fallbacks: (string | null)[];

  constructor(
    private readonly db: Queryable,
    /** What channels fall back to for a recipient without an address (see fallbackAddresses). */
    fallbackAddresses: Partial<Record<Channel, string>> = {},
  ) {
    this.fallbacks = FALLBACK_CHANNELS.map((channel) => {
      const address = fallbackAddresses[channel];
      return address === undefined ? null : suppressionAddressOf(channel, address);
    });
  }

  /**
   * Takes up to `limit` due notifications for `owner`, oldest due first, and says when the next
   * notification not yet due will be; then reads their recipients and attempts, and closes any
   * attempt a dead worker left in progress on them. SKIP LOCKED passes over rows another
   * transaction is changing (a cancel, another worker's claim), so workers never wait on each
   * other; a lease that lapsed (its worker died) makes its notification due again.
   *
   * Two statements, each with a generic plan: the claim, which only notifications_due can serve
   * (notifications_by_status leaves pending rows out: see migration 017), and the reads by id.
   * Planned together, the recipients' and attempts' subqueries made a claim cost 0.4 ms to plan.
   */
  async claimDue(owner: string, leaseSeconds: number, limit: number): Promise<ClaimedBatch> {
    const { rows } = await this.db.query<ClaimedRow>(
      prepared(
        "claim-due-notifications",
        `WITH claimable AS (
         SELECT id FROM notifications
         WHERE status = 'pending' AND next_attempt_at <= now()
           AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY next_attempt_at
         LIMIT $3
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE notifications n
           SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2), updated_at = now()
         WHERE n.id = ANY(ARRAY(SELECT id FROM claimable))
         RETURNING ${notificationColumnsOf("n")})
       SELECT claimed.*, next_due.next_due_in_seconds
       FROM (SELECT extract(epoch FROM min(next_attempt_at) - now())::float8 AS next_due_in_seconds
               FROM notifications WHERE status = 'pending' AND next_attempt_at > now()) next_due
       LEFT JOIN claimed ON true`,
        [owner, leaseSeconds, limit],
      ),
    );
    const nextDueInSeconds = rows[0]?.next_due_in_seconds ?? null;
    const claimed = rows.filter((row): row is ClaimedRowTaken => row.id !== null);
    if (claimed.length === 0) return { deliveries: [], nextDueInSeconds };
    const { rows: related } = await this.db.query<ClaimedRelations>(
      prepared(
        "read-claimed-recipients-and-attempts",
        `SELECT c.id,
           (SELECT row_to_json(u) FROM (SELECT ${USER_PROFILE_COLUMNS},
                preferences, ${suppressedChannelsOfUsers({ email: "$3", sms: "$4", telegram: "$5" })} AS suppressed_channels
              FROM users WHERE id = c.user_id) u) AS recipient,
           (SELECT json_agg(a ORDER BY a.id) FROM attempts a WHERE a.notification_id = c.id) AS attempts
         FROM unnest($1::bigint[], $2::bigint[]) AS c(id, user_id)`,
        [claimed.map((row) => row.id), claimed.map((row) => row.user_id), ...this.fallbacks],
      ),
    );
    const relations = new Map(related.map((row) => [row.id, row]));
    const deliveries = claimed.map((row) => toClaimedDelivery(row, relations.get(row.id)));
    const leftInProgress = deliveries.flatMap((delivery) =>
      delivery.interrupted > 0 ? delivery.attempts.filter((attempt) => attempt.status === "interrupted") : [],
    );
    if (leftInProgress.length > 0) await this.closeInterrupted(owner, leftInProgress);
    return { deliveries, nextDueInSeconds };
  }

  /**
   * Records as interrupted the attempts a dead worker left in progress on notifications `owner`
   * has just claimed. Apart from the claim, which stays simpler to plan (it runs for every batch;
   * this only after a worker died): should this worker die first, the next claim finds them again.
   */
  private async closeInterrupted(owner: string, attempts: StoredAttempt[]): Promise<void> {
    await this.db.query(
      `UPDATE attempts a SET status = 'interrupted', finished_at = now(),
         error = 'the worker stopped during this attempt; the provider may or may not have received it'
       FROM notifications n
       WHERE a.id = ANY($1::bigint[]) AND a.status = 'in_progress'
         AND n.id = a.notification_id AND n.lease_owner = $2`,
      [attempts.map((attempt) => attempt.id), owner],
    );
  }

  async recordSkipped(
    notificationId: number,
    round: number,
    channel: Channel,
    cause: string,
    reason: string,
  ): Promise<void> {
    try {
      await this.db.query(
        prepared(
          "record-skipped-attempt",
          `INSERT INTO attempts (notification_id, round, channel, status, error_kind, error, finished_at)
         VALUES ($1, $2, $3, 'skipped', $4, $5, now())`,
          [notificationId, round, channel, cause, reason],
        ),
      );
    } catch (error) {
      // 23503: the notification was deleted meanwhile (its recipient erased); the lease-guarded
      // statements that follow find it gone, as they would a lost lease.
      if ((error as { code?: string }).code !== "23503") throw error;
    }
  }

  /**
   * Records an attempt as in progress under the worker's lease, in one statement; null when the
   * lease was lost (taken over after expiring, or the notification was cancelled). The lease is
   * renewed only when less of it is left than the provider call may take (`callSeconds`): the
   * first attempt comes milliseconds after the claim, and rewriting the row then cost PostgreSQL a
   * row version per delivery for nothing; but a later channel of the round, after a slow failure,
   * must not be sent under a lease that could lapse mid-call (another worker would take the
   * notification over and send it again). Starts in the same tick share one statement.
   */
  startAttempt(
    notificationId: number,
    round: number,
    channel: Channel,
    owner: string,
    leaseSeconds: number,
    callSeconds: number,
  ): Promise<number | null> {
    return this.startBatcher.add({ notificationId, round, channel, owner, leaseSeconds, callSeconds });
  }

  /**
   * `status IS NOT DISTINCT FROM 'pending'` means `= 'pending'` here (status is never null), but
   * keeps the planner from the indexes on pending rows only: with `=`, while the statistics lag
   * behind a backlog that grew fast, an index of "few" pending rows looks cheaper than looking ids
   * up, and each batch read every pending row (thousands, seen in the bench). For the same reason
   * the rows are named by `id = ANY(the batch's ids)` besides the join: joined alone, a table of a
   * few thousand rows was read whole into a hash for each batch of a dozen. Each notification is
   * looked up once (`held`); only those whose lease needs renewing are looked up again, to be
   * updated (none, as a rule: the first attempt comes right after the claim).
   */
  private async startManyUnderLease(starts: AttemptStart[]): Promise<(number | null)[]> {
    const { rows } = await this.db.query<{ id: number; notification_id: number }>(
      prepared(
        "start-attempts-under-lease",
        `WITH started AS (
         SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::float8[], $6::float8[])
           WITH ORDINALITY AS s(notification_id, round, channel, owner, lease_seconds, call_seconds, position)),
       held AS (
         SELECT n.id, s.owner, s.lease_seconds,
           n.lease_expires_at < now() + make_interval(secs => s.call_seconds) AS renew
         FROM notifications n JOIN started s ON n.id = s.notification_id
         WHERE n.id = ANY($1::bigint[]) AND n.lease_owner = s.owner AND n.status IS NOT DISTINCT FROM 'pending'),
       renewed AS (
         UPDATE notifications n SET lease_expires_at = now() + make_interval(secs => h.lease_seconds)
         FROM held h
         WHERE n.id = ANY(ARRAY(SELECT id FROM held WHERE renew)) AND n.id = h.id
           AND n.lease_owner = h.owner AND n.status IS NOT DISTINCT FROM 'pending'
         RETURNING n.id)
       INSERT INTO attempts (notification_id, round, channel, status)
       SELECT s.notification_id, s.round, s.channel, 'in_progress' FROM started s
       WHERE s.notification_id IN (SELECT id FROM renewed UNION ALL SELECT id FROM held WHERE NOT renew)
       ORDER BY s.position
       RETURNING id, notification_id`,
        [
          starts.map((start) => start.notificationId),
          starts.map((start) => start.round),
          starts.map((start) => start.channel),
          starts.map((start) => start.owner),
          starts.map((start) => start.leaseSeconds),
          starts.map((start) => start.callSeconds),
        ],
      ),
    );
    const attemptIds = new Map(rows.map((row) => [row.notification_id, row.id]));
    return starts.map((start) => attemptIds.get(start.notificationId) ?? null);
  }

  /**
   * Records a successful attempt and marks its notification sent, in one statement; false when
   * the lease was lost meanwhile (the attempt is recorded all the same). Successes recorded in
   * the same tick share one statement.
   */
  finishSent(
    attemptId: number,
    outcome: SentOutcome,
    notificationId: number,
    owner: string,
    channel: Channel,
    receiptCheckSeconds: number | null = null,
  ): Promise<boolean> {
    // The provider has the message: a refusal given up on here would have it sent again.
    return retryingRefusals(() =>
      this.finishSentBatcher.add({
        attemptId,
        outcome,
        notificationId,
        owner,
        channel,
        receiptCheckSeconds,
      }),
    );
  }

  private async finishManySent(finishes: SentFinish[]): Promise<boolean[]> {
    const { rows } = await this.db.query<{ id: number }>(
      prepared(
        "finish-attempts-sent",
        `WITH finished AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::bigint[], $5::text[], $6::text[],
             $7::text[], $8::float8[])
           AS f(attempt_id, provider_message_id, details, notification_id, owner, channel, delivery,
             receipt_check_seconds)),
       attempt AS (
         UPDATE attempts a
           SET status = 'sent', provider_message_id = f.provider_message_id, details = f.details,
               finished_at = now(), ${ACCEPTED_COLUMNS}
         FROM finished f WHERE a.id = ANY($1::bigint[]) AND a.id = f.attempt_id)
       UPDATE notifications n
         SET status = 'sent', last_channel = f.channel, sent_at = now(), next_attempt_at = NULL,
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       FROM finished f
       WHERE n.id = ANY($4::bigint[]) AND n.id = f.notification_id AND n.lease_owner = f.owner
         AND n.status IS NOT DISTINCT FROM 'pending'
       RETURNING n.id`,
        [
          finishes.map((finish) => finish.attemptId),
          finishes.map((finish) => finish.outcome.providerMessageId),
          finishes.map((finish) => (finish.outcome.details ? JSON.stringify(finish.outcome.details) : null)),
          finishes.map((finish) => finish.notificationId),
          finishes.map((finish) => finish.owner),
          finishes.map((finish) => finish.channel),
          finishes.map((finish) => deliveryOf(finish.outcome)),
          finishes.map((finish) => finish.receiptCheckSeconds),
        ],
      ),
    );
    const marked = new Set(rows.map((row) => row.id));
    return finishes.map((finish) => marked.has(finish.notificationId));
  }

  /**
   * Records an accepted attempt that must wait for its receipt (a receipt deadline is set), and
   * holds its notification pending until that deadline, in one statement; false when the lease
   * was lost (the attempt is recorded all the same).
   */
  finishAcceptedAndHold(finish: SentFinish & { holdSeconds: number }): Promise<boolean> {
    // The provider has the message: a refusal given up on here would have it sent again.
    return retryingRefusals(() => this.finishAcceptedAndHoldOnce(finish));
  }

  private async finishAcceptedAndHoldOnce(finish: SentFinish & { holdSeconds: number }): Promise<boolean> {
    const { rowCount } = await this.db.query(
      prepared(
        "finish-attempt-accepted-and-hold",
        `WITH f AS (
         SELECT $1::bigint AS attempt_id, $2::text AS provider_message_id, $3::jsonb AS details,
           $4::text AS delivery, $5::float8 AS receipt_check_seconds),
       attempt AS (
         UPDATE attempts a
           SET status = 'sent', provider_message_id = f.provider_message_id, details = f.details,
               finished_at = now(), ${ACCEPTED_COLUMNS}
         FROM f WHERE a.id = f.attempt_id)
       UPDATE notifications
         SET last_channel = $8, next_attempt_at = now() + make_interval(secs => $9),
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $6 AND lease_owner = $7 AND status = 'pending'`,
        [
          finish.attemptId,
          finish.outcome.providerMessageId,
          finish.outcome.details ? JSON.stringify(finish.outcome.details) : null,
          deliveryOf(finish.outcome),
          finish.receiptCheckSeconds,
          finish.notificationId,
          finish.owner,
          finish.channel,
          finish.holdSeconds,
        ],
      ),
    );
    return rowCount === 1;
  }

  /**
   * Records an attempt that did not deliver. When its outcome proves the address dead, the
   * address is suppressed in the same statement, with the provider's code and text as evidence
   * (a rare path: a plain failure runs the statement it always did).
   */
  async finishFailed(
    attemptId: number,
    outcome: FailureOutcome,
    deadAddress?: DeadAddress,
  ): Promise<number | null> {
    const values = [
      attemptId,
      outcome.kind,
      outcome.code,
      outcome.reason,
      outcome.kind === "rate_limited" ? outcome.retryAfterSeconds : null,
      outcome.details ? JSON.stringify(outcome.details) : null,
    ];
    const finish = `UPDATE attempts SET status = 'failed', error_kind = $2, provider_code = $3, error = $4,
         retry_after_seconds = $5, details = $6, finished_at = now()
       WHERE id = $1`;
    if (outcome.kind !== "permanent" || !outcome.deadAddress || !deadAddress) {
      await this.db.query(prepared("finish-attempt-failed", finish, values));
      return null;
    }
    const { rows } = await this.db.query<{ id: string }>(
      prepared(
        "finish-attempt-failed-suppressing",
        `WITH finished AS (${finish} RETURNING notification_id)
       INSERT INTO suppressions (channel, address, reason, source, evidence)
       SELECT $7, $8, $9, 'delivery',
              jsonb_build_object('provider_code', $3::text, 'text', $4::text,
                                 'notification_id', f.notification_id, 'attempt_id', $1::bigint)
       FROM finished f
       ON CONFLICT (channel, address) DO NOTHING
       RETURNING id`,
        [...values, deadAddress.channel, deadAddress.address, outcome.deadAddress],
      ),
    );
    return rows[0] ? Number(rows[0].id) : null;
  }

  /** For a success an earlier worker recorded on the attempt but died before marking the notification. */
  async markSent(id: number, owner: string, channel: Channel): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE notifications
         SET status = 'sent', last_channel = $3, sent_at = now(), next_attempt_at = NULL,
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
      [id, owner, channel],
    );
    return rowCount === 1;
  }

  markFailed(id: number, owner: string, reason: string, lastChannel: Channel | null): Promise<boolean> {
    return this.end(id, owner, "failed", reason, lastChannel);
  }

  /**
   * Ends it as expired under the worker's lease: its expires_at passed (or would pass before its
   * next round) with no channel having delivered it. No round is due any more.
   */
  markExpired(id: number, owner: string, reason: string, lastChannel: Channel | null): Promise<boolean> {
    return this.end(id, owner, "expired", reason, lastChannel);
  }

  /** Ends a pending notification this worker holds, with why; false when the lease was lost. */
  private async end(
    id: number,
    owner: string,
    status: "failed" | "expired",
    reason: string,
    lastChannel: Channel | null,
  ): Promise<boolean> {
    const { rowCount } = await this.db.query(
      prepared(
        "end-notification",
        `UPDATE notifications
         SET status = $5, failure_reason = $3, last_channel = COALESCE($4, last_channel),
             next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
        [id, owner, reason, lastChannel, status],
      ),
    );
    return rowCount === 1;
  }

  /** Ends a failed round: counts the retry and makes the notification due again after the delay. */
  async scheduleRetry(
    id: number,
    owner: string,
    retryCount: number,
    delaySeconds: number,
    lastChannel: Channel | null,
  ): Promise<boolean> {
    const { rowCount } = await this.db.query(
      prepared(
        "schedule-retry",
        `UPDATE notifications
         SET retry_count = $3, next_attempt_at = now() + make_interval(secs => $4),
             last_channel = COALESCE($5, last_channel),
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
        [id, owner, retryCount, delaySeconds, lastChannel],
      ),
    );
    return rowCount === 1;
  }

  /**
   * Gives a notification back due later, without counting a round: one whose round fell due
   * inside its recipient's quiet hours waits for their end.
   */
  async holdUntil(id: number, owner: string, dueAt: Date): Promise<boolean> {
    const { rowCount } = await this.db.query(
      prepared(
        "hold-notification",
        `UPDATE notifications
         SET next_attempt_at = $3, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
        [id, owner, dueAt],
      ),
    );
    return rowCount === 1;
  }

  /** Gives a notification back without changing it, due as it was: e.g. a worker shutting down mid-round. */
  async release(id: number, owner: string): Promise<void> {
    await this.db.query(
      "UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2",
      [id, owner],
    );
  }

  /**
   * Gives back every notification `owner` holds and records its attempts in flight as interrupted,
   * in one statement: for a worker that stops before its provider calls came back, so others may
   * take the notifications over at once instead of after the lease. Returns the ids freed (no more
   * than the worker's concurrency), so each can be announced.
   */
  async abandon(owner: string, reason: string): Promise<number[]> {
    const { rows } = await this.db.query<{ id: number }>(
      `WITH freed AS (
         UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
         WHERE lease_owner = $1 AND status = 'pending' RETURNING id),
       interrupted AS (
         UPDATE attempts SET status = 'interrupted', finished_at = now(), error = $2
         WHERE status = 'in_progress' AND notification_id IN (SELECT id FROM freed) RETURNING id)
       SELECT id FROM freed ORDER BY id`,
      [owner, reason],
    );
    return rows.map((row) => row.id);
  }
}

/**
 * The receipt bookkeeping of an accepted attempt, set by the statement that finishes it (alias
 * `f` with delivery, provider_message_id and receipt_check_seconds): a message the provider says
 * the recipient has is delivered now; one it only accepted is checked for a receipt later when the
 * provider gives receipts and an id to ask about.
 */
const ACCEPTED_COLUMNS = `delivery = f.delivery,
               delivered_at = CASE WHEN f.delivery = 'delivered' THEN now() END,
               receipt_check_at = CASE WHEN f.delivery = 'accepted' AND f.provider_message_id IS NOT NULL
                 THEN now() + make_interval(secs => f.receipt_check_seconds) END`;

function deliveryOf(outcome: SentOutcome): "delivered" | "accepted" {
  return outcome.delivered ? "delivered" : "accepted";
}

function toClaimedDelivery(row: ClaimedRowTaken, related: ClaimedRelations | undefined): ClaimedDelivery {
  const recipient = related?.recipient ?? null;
  const attempts = related?.attempts ?? [];
  return {
    notification: toNotification(row),
    recipient: recipient ? toUserProfile(recipient) : null,
    audience: {
      preferences: storedPreferences(recipient?.preferences),
      suppressedChannels: recipient?.suppressed_channels ?? [],
    },
    // An attempt still in progress on a notification just claimed was left so by a dead worker:
    // claimDue records it as interrupted straight after.
    attempts: attempts.map((attempt) =>
      toAttempt({
        ...attempt,
        status: attempt.status === "in_progress" ? "interrupted" : attempt.status,
        started_at: new Date(attempt.started_at),
        finished_at: attempt.finished_at ? new Date(attempt.finished_at) : null,
      }),
    ),
    interrupted: attempts.filter((attempt) => attempt.status === "in_progress").length,
  };
}
