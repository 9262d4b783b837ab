import { ValidationError } from "../core/errors.js";
import type {
  Channel,
  Notification,
  NotificationStatus,
  Priority,
  Recipient,
  RenderedBodies,
} from "../core/model.js";
import type { StoredAttempt } from "./attempts-repository.js";
import { prepared, type Queryable } from "./database.js";
import {
  type AttemptRow,
  NOTIFICATION_COLUMNS,
  type NotificationRow,
  renderedToJson,
  toAttempt,
  toNotification,
  toRecipient,
  type UserRow,
} from "./rows.js";
import { runAsIfAlone, TickBatcher } from "./tick-batcher.js";

export type StoredNotification = Notification & { failureReason: string | null };

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
  /** When the first round is due; null or absent: now, by the database's clock. */
  nextAttemptAt?: Date | null;
  /** Set when it could only go after it expires: stored `expired` with this reason, never due. */
  expiredReason?: string | null;
}

export interface NotificationFilter {
  userId?: number;
  status?: NotificationStatus;
  /** The channel that delivered it, or the last one called. */
  lastChannel?: Channel;
  /** A case-insensitive substring of the message, taken literally (% and _ are not wildcards). */
  search?: string;
  /** true: only pending ones waiting for a later time (send_at, quiet hours, a retry); false: only those due now. */
  scheduled?: boolean;
}

/** What a worker needs to run a round, read in the same statement that claims it. */
export interface ClaimedDelivery {
  notification: StoredNotification;
  recipient: Recipient | null;
  /** Every attempt so far; those left in progress by a dead worker count as interrupted. */
  attempts: StoredAttempt[];
  /** How many attempts a dead worker had left in progress, now recorded as interrupted. */
  interrupted: number;
}

interface ClaimRequest {
  id: number;
  owner: string;
  leaseSeconds: number;
}

/** A notification due for a round, and which round, so its queue job gets a stable id. */
export interface DueNotification {
  id: number;
  round: number;
}

const unknownUser = (userId: number) =>
  ValidationError.of("user", `Invalid pk "${userId}" - object does not exist.`);

type AttemptJson = Omit<AttemptRow, "started_at" | "finished_at"> & {
  started_at: string;
  finished_at: string | null;
};

type ClaimedRow = NotificationRow & {
  recipient: UserRow | null;
  attempts: AttemptJson[] | null;
  interrupted: number;
};

// Delayed jobs and PostgreSQL may disagree on the time by a little; a job that arrives this
// early may still claim its notification instead of waiting for the sweeper.
const EARLY_CLAIM_TOLERANCE = "2 seconds";

export class NotificationsRepository {
  private readonly insertBatcher = new TickBatcher<NewNotification, StoredNotification>((items) =>
    this.insertMany(items),
  );
  private readonly claimBatcher = new TickBatcher<ClaimRequest, ClaimedDelivery | null>((requests) =>
    runAsIfAlone(
      requests,
      (request) => request.id,
      (batch) => this.claimMany(batch),
    ),
  );

  constructor(private readonly db: Queryable) {}

  /**
   * Like `create`, but shares one INSERT and one commit with the other creates of the same tick:
   * under load that is most of the API's cost. Only for a pool-bound repository, never inside a
   * transaction (other callers' rows would join it).
   */
  createBatched(notification: NewNotification): Promise<StoredNotification> {
    return this.insertBatcher.add(notification);
  }

  private async insertMany(items: NewNotification[]): Promise<(StoredNotification | Error)[]> {
    if (items.length === 1) return [await this.insertOne(items[0]!).catch((error: Error) => error)];
    let rows: NotificationRow[];
    try {
      // Rows for unknown users are left out rather than failing the batch; the join is the check.
      ({ rows } = await this.db.query<NotificationRow>(
        prepared(
          "insert-notifications",
          `INSERT INTO notifications (user_id, message, subject, channels, template, locale, rendered,
                                     expires_at, priority, next_attempt_at, status, failure_reason)
         SELECT t.user_id, t.message, t.subject, string_to_array(t.channels, ','), t.template, t.locale,
                t.rendered::jsonb, t.expires_at, t.priority,
                CASE WHEN t.failure_reason IS NULL THEN COALESCE(t.next_attempt_at, now()) END,
                CASE WHEN t.failure_reason IS NULL THEN 'pending' ELSE 'expired' END, t.failure_reason
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::timestamptz[], $9::text[], $10::timestamptz[], $11::text[]) WITH ORDINALITY
           AS t(user_id, message, subject, channels, template, locale, rendered, expires_at, priority,
                next_attempt_at, failure_reason, position)
         WHERE EXISTS (SELECT 1 FROM users WHERE users.id = t.user_id)
         ORDER BY t.position
         RETURNING ${NOTIFICATION_COLUMNS}`,
          [
            items.map((item) => item.userId),
            items.map((item) => item.message),
            items.map((item) => item.subject),
            items.map((item) => item.channels?.join(",") ?? null),
            ...extraColumns(items),
          ],
        ),
      ));
    } catch (error) {
      // A user deleted mid-batch (23503) must fail only its own request: fall back to one by one.
      if ((error as { code?: string }).code !== "23503") throw error;
      return Promise.all(items.map((item) => this.insertOne(item).catch((failure: Error) => failure)));
    }
    // Each request takes a returned row with its own content; identical requests are interchangeable.
    const unclaimed = rows.map(toNotification);
    return items.map((item) => {
      const index = unclaimed.findIndex(
        (row) =>
          row.userId === item.userId &&
          row.message === item.message &&
          row.subject === item.subject &&
          (row.channels?.join(",") ?? null) === (item.channels?.join(",") ?? null) &&
          sameScheduling(row, item),
      );
      if (index === -1) return unknownUser(item.userId);
      return unclaimed.splice(index, 1)[0]!;
    });
  }

  async create(notification: NewNotification): Promise<StoredNotification> {
    return this.insertOne(notification);
  }

  private async insertOne(notification: NewNotification): Promise<StoredNotification> {
    try {
      const { rows } = await this.db.query<NotificationRow>(
        prepared(
          "insert-notification",
          `INSERT INTO notifications (user_id, message, subject, channels, template, locale, rendered,
                                     expires_at, priority, next_attempt_at, status, failure_reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9,
                 CASE WHEN $11::text IS NULL THEN COALESCE($10::timestamptz, now()) END,
                 CASE WHEN $11::text IS NULL THEN 'pending' ELSE 'expired' END, $11)
         RETURNING ${NOTIFICATION_COLUMNS}`,
          [
            notification.userId,
            notification.message,
            notification.subject,
            notification.channels,
            ...extraColumns([notification]).map((column) => column[0]),
          ],
        ),
      );
      return toNotification(rows[0]!);
    } catch (error) {
      // 23503: foreign key violation; the user is checked by the insert itself, so no race.
      if ((error as { code?: string }).code === "23503") throw unknownUser(notification.userId);
      throw error;
    }
  }

  async findById(id: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = $1`,
      [id],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  async list(
    filter: NotificationFilter,
    page: { limit: number; offset: number },
  ): Promise<{ count: number; results: StoredNotification[] }> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.userId !== undefined) {
      values.push(filter.userId);
      conditions.push(`user_id = $${values.length}`);
    }
    if (filter.status !== undefined) {
      values.push(filter.status);
      conditions.push(`status = $${values.length}`);
    }
    if (filter.lastChannel !== undefined) {
      values.push(filter.lastChannel);
      conditions.push(`last_channel = $${values.length}`);
    }
    if (filter.scheduled !== undefined) {
      conditions.push(
        filter.scheduled
          ? "status = 'pending' AND next_attempt_at > now()"
          : "status = 'pending' AND next_attempt_at <= now()",
      );
    }
    if (filter.search !== undefined && filter.search !== "") {
      values.push(escapeLikePattern(filter.search));
      conditions.push(`message ILIKE '%' || $${values.length} || '%' ESCAPE '\\'`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
    const { rows: countRows } = await this.db.query<{ count: number }>(
      `SELECT count(*)::integer AS count FROM notifications ${where}`,
      values,
    );
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications ${where}
       ORDER BY id DESC LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
      [...values, page.limit, page.offset],
    );
    return { count: countRows[0]?.count ?? 0, results: rows.map(toNotification) };
  }

  /**
   * Takes the notification for one worker when it is pending, due and held by no live worker, and
   * in the same statement reads its recipient and attempts and closes the attempts a dead worker
   * left in progress. Claims made in the same tick share one statement (see claimMany).
   */
  claimForDelivery(id: number, owner: string, leaseSeconds: number): Promise<ClaimedDelivery | null> {
    return this.claimBatcher.add({ id, owner, leaseSeconds });
  }

  /**
   * One statement for many claims: it runs once per delivery, and planning it (custom plans, see
   * database.ts) costs more than running it, so a busy worker's claims share one plan and one
   * commit. SKIP LOCKED takes rows in whatever order without waiting, so two workers claiming
   * overlapping batches cannot deadlock. A row another transaction has locked is being changed by
   * its lease holder, a cancel or a retry, so it is not this worker's to take now; the rare one
   * that ends up free (a stopping worker letting it go) is queued again by the sweeper.
   *
   * `status IS NOT DISTINCT FROM 'pending'` means `= 'pending'` here (status is never null), but
   * does not let the planner use the indexes on pending rows only: with `=`, while the statistics
   * lag behind a backlog that grew fast, an index of "few" pending rows looks cheaper than looking
   * ids up, and each batch read every pending row (thousands, seen in the bench). The same goes
   * for the worker's other batch statements in attempts-repository.ts.
   */
  private async claimMany(requests: ClaimRequest[]): Promise<(ClaimedDelivery | null)[]> {
    const { rows } = await this.db.query<ClaimedRow>(
      prepared(
        "claim-for-delivery",
        `WITH wanted AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::float8[]) AS w(id, owner, lease_seconds)),
       claimable AS (
         SELECT id FROM notifications
         WHERE id = ANY($1::bigint[]) AND status IS NOT DISTINCT FROM 'pending'
           AND next_attempt_at <= now() + interval '${EARLY_CLAIM_TOLERANCE}'
           AND (lease_expires_at IS NULL OR lease_expires_at < now())
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE notifications n
           SET lease_owner = w.owner, lease_expires_at = now() + make_interval(secs => w.lease_seconds),
               updated_at = now()
         FROM claimable c JOIN wanted w ON w.id = c.id
         WHERE n.id = c.id
         RETURNING ${qualified("n")}),
       interrupted AS (
         UPDATE attempts SET status = 'interrupted', finished_at = now(),
           error = 'the worker stopped during this attempt; the provider may or may not have received it'
         WHERE notification_id IN (SELECT id FROM claimed) AND status = 'in_progress'
         RETURNING notification_id)
       SELECT claimed.*,
         (SELECT row_to_json(u) FROM (SELECT id, email, first_name, last_name, phone_number, telegram_id
            FROM users WHERE id = claimed.user_id) u) AS recipient,
         (SELECT json_agg(a ORDER BY a.id) FROM attempts a WHERE a.notification_id = claimed.id) AS attempts,
         (SELECT count(*)::integer FROM interrupted i WHERE i.notification_id = claimed.id) AS interrupted
       FROM claimed`,
        [
          requests.map((request) => request.id),
          requests.map((request) => request.owner),
          requests.map((request) => request.leaseSeconds),
        ],
      ),
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return requests.map((request) => {
      const row = byId.get(request.id);
      return row ? toClaimedDelivery(row) : null;
    });
  }

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

  async markFailed(id: number, owner: string, reason: string, lastChannel: Channel | null): Promise<boolean> {
    const { rowCount } = await this.db.query(
      prepared(
        "mark-failed",
        `UPDATE notifications
         SET status = 'failed', failure_reason = $3, last_channel = COALESCE($4, last_channel),
             next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
        [id, owner, reason, lastChannel],
      ),
    );
    return rowCount === 1;
  }

  /**
   * Ends it as expired under the worker's lease: its expires_at passed (or would pass before its
   * next round) with no channel having delivered it. No round is due any more.
   */
  async markExpired(
    id: number,
    owner: string,
    reason: string,
    lastChannel: Channel | null,
  ): Promise<boolean> {
    const { rowCount } = await this.db.query(
      prepared(
        "mark-expired",
        `UPDATE notifications
         SET status = 'expired', failure_reason = $3, last_channel = COALESCE($4, last_channel),
             next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
        [id, owner, reason, lastChannel],
      ),
    );
    return rowCount === 1;
  }

  /** Ends a failed round: counts the retry and says when the next round may start. */
  async scheduleRetry(
    id: number,
    owner: string,
    retryCount: number,
    delaySeconds: number,
    lastChannel: Channel | null,
  ): Promise<Date | null> {
    const { rows } = await this.db.query<{ next_attempt_at: Date }>(
      prepared(
        "schedule-retry",
        `UPDATE notifications
         SET retry_count = $3, next_attempt_at = now() + make_interval(secs => $4),
             last_channel = COALESCE($5, last_channel),
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'
       RETURNING next_attempt_at`,
        [id, owner, retryCount, delaySeconds, lastChannel],
      ),
    );
    return rows[0]?.next_attempt_at ?? null;
  }

  /**
   * Deletes up to `limit` finished notifications (sent, failed, cancelled, expired) created more than
   * `days` ago, with their attempts, outbox rows and idempotency keys (ON DELETE CASCADE).
   * Pending ones stay whatever their age. Returns how many were deleted.
   */
  async deleteFinishedOlderThan(days: number, limit: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM notifications WHERE id IN (
         SELECT id FROM notifications
         WHERE created_at < now() - make_interval(secs => $1)
           AND status IN ('sent', 'failed', 'cancelled', 'expired')
         LIMIT $2)`,
      [days * 86_400, limit],
    );
    return rowCount ?? 0;
  }

  /**
   * Stops a pending notification: a worker holding it loses its lease, so it can neither mark it
   * sent or failed nor schedule another round (each of those requires the lease and 'pending').
   */
  async cancel(id: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `UPDATE notifications
         SET status = 'cancelled', next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
             updated_at = now()
       WHERE id = $1 AND status = 'pending'
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [id],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /**
   * Puts a failed or cancelled notification back to pending for a fresh series of rounds, due
   * now. The series starts at the next unused round (after every round that has attempts, and no
   * earlier than the round it was waiting for), so the timeline keeps every past attempt and
   * retry_count goes on counting. Refused (null) when the notification was delivered after all,
   * or while an attempt of the round that was cancelled may still be talking to its provider.
   */
  async retryManually(id: number, inFlightSeconds: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `UPDATE notifications n
         SET status = 'pending',
             retry_count = GREATEST(n.retry_count, a.highest_round),
             history_from_round = GREATEST(n.retry_count, a.highest_round) + 1,
             next_attempt_at = now(), failure_reason = NULL, sent_at = NULL,
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       FROM (SELECT COALESCE(max(round), 0) AS highest_round,
                    bool_or(status = 'sent') AS delivered,
                    bool_or(status = 'in_progress' AND started_at > now() - make_interval(secs => $2)) AS busy
               FROM attempts WHERE notification_id = $1) a
       WHERE n.id = $1 AND n.status IN ('failed', 'cancelled')
         AND a.delivered IS NOT TRUE AND a.busy IS NOT TRUE
       RETURNING ${qualified("n")}`,
      [id, inFlightSeconds],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /** Gives a notification back without changing it, e.g. when a worker shuts down mid-round. */
  async release(id: number, owner: string): Promise<void> {
    await this.db.query(
      "UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND lease_owner = $2",
      [id, owner],
    );
  }

  /**
   * Gives back every notification `owner` holds and records its attempts in flight as interrupted,
   * in one statement: for a worker that stops before its provider calls came back, so others may
   * take the notifications over at once instead of after the lease.
   */
  async abandon(owner: string, reason: string): Promise<number> {
    const { rows } = await this.db.query<{ count: number }>(
      `WITH freed AS (
         UPDATE notifications SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
         WHERE lease_owner = $1 AND status = 'pending' RETURNING id),
       interrupted AS (
         UPDATE attempts SET status = 'interrupted', finished_at = now(), error = $2
         WHERE status = 'in_progress' AND notification_id IN (SELECT id FROM freed) RETURNING id)
       SELECT count(*)::integer AS count FROM freed`,
      [owner, reason],
    );
    return rows[0]?.count ?? 0;
  }

  /**
   * Pending notifications that are due and held by no live worker, oldest first: the ones whose
   * queue job may have been lost (Redis flushed, enqueue failed, worker killed).
   */
  async findOrphaned(dueForSeconds: number, limit: number): Promise<DueNotification[]> {
    const { rows } = await this.db.query<{ id: number; retry_count: number }>(
      `SELECT id, retry_count FROM notifications
       WHERE status = 'pending' AND next_attempt_at <= now() - make_interval(secs => $1)
         AND (lease_expires_at IS NULL OR lease_expires_at < now())
       ORDER BY next_attempt_at LIMIT $2`,
      [dueForSeconds, limit],
    );
    return rows.map((row) => ({ id: row.id, round: row.retry_count + 1 }));
  }
}

/** The columns scheduling and templates added, as one array per column for unnest. */
function extraColumns(items: NewNotification[]): unknown[][] {
  return [
    items.map((item) => item.template ?? null),
    items.map((item) => item.locale ?? null),
    items.map((item) => (item.rendered ? JSON.stringify(renderedToJson(item.rendered)) : null)),
    items.map((item) => item.expiresAt ?? null),
    items.map((item) => item.priority ?? "normal"),
    items.map((item) => item.nextAttemptAt ?? null),
    items.map((item) => item.expiredReason ?? null),
  ];
}

/** Whether a returned row can be the one inserted for `item`, beyond user, message, subject and channels. */
function sameScheduling(row: StoredNotification, item: NewNotification): boolean {
  const time = (date: Date | null | undefined) => date?.getTime() ?? null;
  return (
    row.template === (item.template ?? null) &&
    row.locale === (item.locale ?? null) &&
    row.priority === (item.priority ?? "normal") &&
    time(row.expiresAt) === time(item.expiresAt) &&
    (item.nextAttemptAt ? time(row.nextAttemptAt) === time(item.nextAttemptAt) : true) &&
    row.failureReason === (item.expiredReason ?? null) &&
    canonicalJson(row.rendered) === canonicalJson(item.rendered ?? null)
  );
}

/** JSON with object keys sorted, so two equal values compare equal whatever their key order. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === "object" && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : 1)))
      : inner,
  );
}

function toClaimedDelivery(row: ClaimedRow): ClaimedDelivery {
  return {
    notification: toNotification(row),
    recipient: row.recipient ? toRecipient(row.recipient) : null,
    // The statement sees attempts as they were before it ran, so a closed one still reads in_progress.
    attempts: (row.attempts ?? []).map((attempt) =>
      toAttempt({
        ...attempt,
        status: attempt.status === "in_progress" ? "interrupted" : attempt.status,
        started_at: new Date(attempt.started_at),
        finished_at: attempt.finished_at ? new Date(attempt.finished_at) : null,
      }),
    ),
    interrupted: row.interrupted,
  };
}

/** The notification columns of table alias `alias`, for statements that join. */
function qualified(alias: string): string {
  return NOTIFICATION_COLUMNS.split(", ")
    .map((column) => `${alias}.${column}`)
    .join(", ");
}

/** Escapes LIKE's wildcards and its escape character, so the text matches only itself. */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
