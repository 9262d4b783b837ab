import { ValidationError } from "../core/errors.js";
import type { Channel, Notification, NotificationStatus } from "../core/model.js";
import type { Queryable } from "./database.js";
import { NOTIFICATION_COLUMNS, type NotificationRow, toNotification } from "./rows.js";

export type StoredNotification = Notification & { failureReason: string | null };

export interface NewNotification {
  userId: number;
  message: string;
  subject: string | null;
  channels: Channel[] | null;
}

export interface NotificationFilter {
  userId?: number;
  status?: NotificationStatus;
  /** The channel that delivered it, or the last one called. */
  lastChannel?: Channel;
  /** A case-insensitive substring of the message, taken literally (% and _ are not wildcards). */
  search?: string;
}

/** A notification due for a round, and which round, so its queue job gets a stable id. */
export interface DueNotification {
  id: number;
  round: number;
}

// Delayed jobs and PostgreSQL may disagree on the time by a little; a job that arrives this
// early may still claim its notification instead of waiting for the sweeper.
const EARLY_CLAIM_TOLERANCE = "2 seconds";

export class NotificationsRepository {
  constructor(private readonly db: Queryable) {}

  async create(notification: NewNotification): Promise<StoredNotification> {
    try {
      const { rows } = await this.db.query<NotificationRow>(
        `INSERT INTO notifications (user_id, message, subject, channels)
         VALUES ($1, $2, $3, $4) RETURNING ${NOTIFICATION_COLUMNS}`,
        [notification.userId, notification.message, notification.subject, notification.channels],
      );
      return toNotification(rows[0]!);
    } catch (error) {
      // 23503: foreign key violation; the user is checked by the insert itself, so no race.
      if ((error as { code?: string }).code === "23503") {
        throw ValidationError.of("user", `Invalid pk "${notification.userId}" - object does not exist.`);
      }
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
   * Takes the notification for one worker when it is pending, due and held by no live worker.
   * The conditional UPDATE is the lock: of two workers racing, exactly one gets a row back.
   */
  async claim(id: number, owner: string, leaseSeconds: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `UPDATE notifications
         SET lease_owner = $2, lease_expires_at = now() + make_interval(secs => $3), updated_at = now()
       WHERE id = $1 AND status = 'pending'
         AND next_attempt_at <= now() + interval '${EARLY_CLAIM_TOLERANCE}'
         AND (lease_expires_at IS NULL OR lease_expires_at < now())
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [id, owner, leaseSeconds],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /** False when the lease was lost (expired and taken over, or the notification was cancelled). */
  async renewLease(id: number, owner: string, leaseSeconds: number): Promise<boolean> {
    const { rowCount } = await this.db.query(
      `UPDATE notifications SET lease_expires_at = now() + make_interval(secs => $3)
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
      [id, owner, leaseSeconds],
    );
    return rowCount === 1;
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
      `UPDATE notifications
         SET status = 'failed', failure_reason = $3, last_channel = COALESCE($4, last_channel),
             next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'`,
      [id, owner, reason, lastChannel],
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
      `UPDATE notifications
         SET retry_count = $3, next_attempt_at = now() + make_interval(secs => $4),
             last_channel = COALESCE($5, last_channel),
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       WHERE id = $1 AND lease_owner = $2 AND status = 'pending'
       RETURNING next_attempt_at`,
      [id, owner, retryCount, delaySeconds, lastChannel],
    );
    return rows[0]?.next_attempt_at ?? null;
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
       RETURNING ${NOTIFICATION_COLUMNS.split(", ")
         .map((column) => `n.${column}`)
         .join(", ")}`,
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

/** Escapes LIKE's wildcards and its escape character, so the text matches only itself. */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
