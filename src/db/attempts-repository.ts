import type { Attempt, Channel } from "../core/model.js";
import type { DeliveryOutcome, SentOutcome } from "../core/outcome.js";
import { prepared, type Queryable } from "./database.js";
import { type AttemptRow, toAttempt } from "./rows.js";
import { runAsIfAlone, TickBatcher } from "./tick-batcher.js";

export type StoredAttempt = Attempt & {
  retryAfterSeconds: number | null;
  /** What the provider reported beyond the outcome (see DeliveryOutcome's details). */
  details: Record<string, unknown> | null;
};

interface AttemptStart {
  notificationId: number;
  round: number;
  channel: Channel;
  owner: string;
  leaseSeconds: number;
}

interface SentFinish {
  attemptId: number;
  outcome: SentOutcome;
  notificationId: number;
  owner: string;
  channel: Channel;
}

/**
 * Attempts as the worker records them. Starting an attempt and recording a success run once per
 * delivery, so a busy worker's calls made in the same tick share one statement each (one plan,
 * one commit, one round trip); the notification id keys them, as a lease lets one delivery at a
 * time hold a notification. Their status tests read `IS NOT DISTINCT FROM` so that notifications
 * are looked up by id (see NotificationsRepository.claimMany).
 */
export class AttemptsRepository {
  private readonly startBatcher = new TickBatcher<AttemptStart, number | null>((starts) =>
    runAsIfAlone(
      starts,
      (start) => start.notificationId,
      (batch) => this.startManyUnderLease(batch),
    ),
  );
  private readonly finishSentBatcher = new TickBatcher<SentFinish, boolean>((finishes) =>
    runAsIfAlone(
      finishes,
      (finish) => finish.notificationId,
      (batch) => this.finishManySent(batch),
    ),
  );

  constructor(private readonly db: Queryable) {}

  async listForNotification(notificationId: number): Promise<StoredAttempt[]> {
    const { rows } = await this.db.query<AttemptRow>(
      "SELECT * FROM attempts WHERE notification_id = $1 ORDER BY id",
      [notificationId],
    );
    return rows.map(toAttempt);
  }

  async listForNotifications(notificationIds: number[]): Promise<Map<number, StoredAttempt[]>> {
    const byNotification = new Map<number, StoredAttempt[]>(notificationIds.map((id) => [id, []]));
    if (notificationIds.length === 0) return byNotification;
    const { rows } = await this.db.query<AttemptRow>(
      "SELECT * FROM attempts WHERE notification_id = ANY($1::bigint[]) ORDER BY id",
      [notificationIds],
    );
    for (const row of rows) byNotification.get(row.notification_id)?.push(toAttempt(row));
    return byNotification;
  }

  async recordSkipped(
    notificationId: number,
    round: number,
    channel: Channel,
    cause: string,
    reason: string,
  ): Promise<void> {
    await this.db.query(
      prepared(
        "record-skipped-attempt",
        `INSERT INTO attempts (notification_id, round, channel, status, error_kind, error, finished_at)
       VALUES ($1, $2, $3, 'skipped', $4, $5, now())`,
        [notificationId, round, channel, cause, reason],
      ),
    );
  }

  /**
   * Records an attempt as in progress under the worker's lease, in one statement; null when the
   * lease was lost (taken over after expiring, or the notification was cancelled). The lease is
   * renewed only when less than half of it is left: the first attempt comes milliseconds after the
   * claim, and rewriting the row then cost PostgreSQL a row version per delivery for nothing. A
   * lease with more than half left cannot be taken over before the statement ends. Starts in the
   * same tick share one statement.
   */
  startUnderLease(
    notificationId: number,
    round: number,
    channel: Channel,
    owner: string,
    leaseSeconds: number,
  ): Promise<number | null> {
    return this.startBatcher.add({ notificationId, round, channel, owner, leaseSeconds });
  }

  private async startManyUnderLease(starts: AttemptStart[]): Promise<(number | null)[]> {
    const { rows } = await this.db.query<{ id: number; notification_id: number }>(
      prepared(
        "start-attempts-under-lease",
        `WITH started AS (
         SELECT * FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::text[], $5::float8[])
           WITH ORDINALITY AS s(notification_id, round, channel, owner, lease_seconds, position)),
       renewed AS (
         UPDATE notifications n SET lease_expires_at = now() + make_interval(secs => s.lease_seconds)
         FROM started s
         WHERE n.id = s.notification_id AND n.lease_owner = s.owner
           AND n.status IS NOT DISTINCT FROM 'pending'
           AND n.lease_expires_at < now() + make_interval(secs => s.lease_seconds / 2)
         RETURNING n.id),
       fresh AS (
         SELECT n.id FROM notifications n JOIN started s ON n.id = s.notification_id
         WHERE n.lease_owner = s.owner AND n.status IS NOT DISTINCT FROM 'pending'
           AND n.lease_expires_at >= now() + make_interval(secs => s.lease_seconds / 2))
       INSERT INTO attempts (notification_id, round, channel, status)
       SELECT s.notification_id, s.round, s.channel, 'in_progress' FROM started s
       WHERE s.notification_id IN (SELECT id FROM renewed UNION ALL SELECT id FROM fresh)
       ORDER BY s.position
       RETURNING id, notification_id`,
        [
          starts.map((start) => start.notificationId),
          starts.map((start) => start.round),
          starts.map((start) => start.channel),
          starts.map((start) => start.owner),
          starts.map((start) => start.leaseSeconds),
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
  ): Promise<boolean> {
    return this.finishSentBatcher.add({ attemptId, outcome, notificationId, owner, channel });
  }

  private async finishManySent(finishes: SentFinish[]): Promise<boolean[]> {
    const { rows } = await this.db.query<{ id: number }>(
      prepared(
        "finish-attempts-sent",
        `WITH finished AS (
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::jsonb[], $4::bigint[], $5::text[], $6::text[])
           AS f(attempt_id, provider_message_id, details, notification_id, owner, channel)),
       attempt AS (
         UPDATE attempts a
           SET status = 'sent', provider_message_id = f.provider_message_id, details = f.details,
               finished_at = now()
         FROM finished f WHERE a.id = f.attempt_id)
       UPDATE notifications n
         SET status = 'sent', last_channel = f.channel, sent_at = now(), next_attempt_at = NULL,
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       FROM finished f
       WHERE n.id = f.notification_id AND n.lease_owner = f.owner
         AND n.status IS NOT DISTINCT FROM 'pending'
       RETURNING n.id`,
        [
          finishes.map((finish) => finish.attemptId),
          finishes.map((finish) => finish.outcome.providerMessageId),
          finishes.map((finish) => (finish.outcome.details ? JSON.stringify(finish.outcome.details) : null)),
          finishes.map((finish) => finish.notificationId),
          finishes.map((finish) => finish.owner),
          finishes.map((finish) => finish.channel),
        ],
      ),
    );
    const marked = new Set(rows.map((row) => row.id));
    return finishes.map((finish) => marked.has(finish.notificationId));
  }

  async finish(attemptId: number, outcome: DeliveryOutcome): Promise<void> {
    if (outcome.kind === "sent") {
      await this.db.query(
        `UPDATE attempts SET status = 'sent', provider_message_id = $2, details = $3, finished_at = now()
         WHERE id = $1`,
        [attemptId, outcome.providerMessageId, outcome.details ? JSON.stringify(outcome.details) : null],
      );
      return;
    }
    await this.db.query(
      `UPDATE attempts SET status = 'failed', error_kind = $2, provider_code = $3, error = $4,
         retry_after_seconds = $5, details = $6, finished_at = now()
       WHERE id = $1`,
      [
        attemptId,
        outcome.kind,
        outcome.code,
        outcome.reason,
        outcome.kind === "rate_limited" ? outcome.retryAfterSeconds : null,
        outcome.details ? JSON.stringify(outcome.details) : null,
      ],
    );
  }
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

/** What the channel overview reads: activity per channel, and why channels have been failing. */
export class ChannelActivityQueries {
  constructor(private readonly db: Queryable) {}

  /** Attempts finished in the last `windowSeconds`, by channel and outcome, and each channel's last success. */
  async activity(channels: readonly string[], windowSeconds: number): Promise<ChannelActivity[]> {
    const { rows } = await this.db.query<{
      channel: string;
      sent: number;
      failed: number;
      skipped: number;
      last_success_at: Date | null;
    }>(
      `SELECT c.channel,
              count(*) FILTER (WHERE a.status = 'sent')::integer AS sent,
              count(*) FILTER (WHERE a.status = 'failed')::integer AS failed,
              count(*) FILTER (WHERE a.status = 'skipped')::integer AS skipped,
              (SELECT max(finished_at) FROM attempts s WHERE s.channel = c.channel AND s.status = 'sent')
                AS last_success_at
         FROM unnest($2::text[]) AS c (channel)
         LEFT JOIN attempts a
           ON a.channel = c.channel AND a.finished_at > now() - make_interval(secs => $1)
        GROUP BY c.channel`,
      [windowSeconds, channels],
    );
    return rows.map((row) => ({
      channel: row.channel,
      sent: row.sent,
      failed: row.failed,
      skipped: row.skipped,
      lastSuccessAt: row.last_success_at,
    }));
  }

  /** The most common reasons among each channel's last `sample` failed attempts, `top` per channel. */
  async commonFailureReasons(
    channels: readonly string[],
    sample: number,
    top: number,
  ): Promise<FailureReason[]> {
    const { rows } = await this.db.query<{
      channel: string;
      error_kind: string | null;
      provider_code: string | null;
      reason: string;
      count: number;
      last_seen_at: Date;
    }>(
      `SELECT channel, error_kind, provider_code, reason, count, last_seen_at FROM (
         SELECT channel, error_kind, provider_code, reason, count(*)::integer AS count,
                max(finished_at) AS last_seen_at,
                row_number() OVER (PARTITION BY channel ORDER BY count(*) DESC, max(finished_at) DESC) AS rank
           FROM (SELECT c.channel, f.error_kind, f.provider_code, COALESCE(f.error, '') AS reason, f.finished_at
                   FROM unnest($3::text[]) AS c (channel)
                   CROSS JOIN LATERAL (
                     SELECT error_kind, provider_code, error, finished_at FROM attempts
                      WHERE channel = c.channel AND status = 'failed'
                      ORDER BY id DESC LIMIT $1) f) recent
          GROUP BY channel, error_kind, provider_code, reason) ranked
        WHERE rank <= $2
        ORDER BY channel, rank`,
      [sample, top, channels],
    );
    return rows.map((row) => ({
      channel: row.channel,
      errorKind: row.error_kind,
      providerCode: row.provider_code,
      reason: row.reason,
      count: row.count,
      lastSeenAt: row.last_seen_at,
    }));
  }
}
