import type { Attempt, Channel } from "../core/model.js";
import type { DeliveryOutcome } from "../core/outcome.js";
import type { Queryable } from "./database.js";
import { type AttemptRow, toAttempt } from "./rows.js";

export type StoredAttempt = Attempt & { retryAfterSeconds: number | null };

export class AttemptsRepository {
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

  /** Attempts left in progress by a worker that died are closed as interrupted. */
  async interruptInFlight(notificationId: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `UPDATE attempts SET status = 'interrupted', finished_at = now(),
         error = 'the worker stopped during this attempt; the provider may or may not have received it'
       WHERE notification_id = $1 AND status = 'in_progress'`,
      [notificationId],
    );
    return rowCount ?? 0;
  }

  async recordSkipped(
    notificationId: number,
    round: number,
    channel: Channel,
    cause: string,
    reason: string,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO attempts (notification_id, round, channel, status, error_kind, error, finished_at)
       VALUES ($1, $2, $3, 'skipped', $4, $5, now())`,
      [notificationId, round, channel, cause, reason],
    );
  }

  async start(notificationId: number, round: number, channel: Channel): Promise<number> {
    const { rows } = await this.db.query<{ id: number }>(
      "INSERT INTO attempts (notification_id, round, channel, status) VALUES ($1, $2, $3, 'in_progress') RETURNING id",
      [notificationId, round, channel],
    );
    return rows[0]!.id;
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
         retry_after_seconds = $5, finished_at = now()
       WHERE id = $1`,
      [
        attemptId,
        outcome.kind,
        outcome.code,
        outcome.reason,
        outcome.kind === "rate_limited" ? outcome.retryAfterSeconds : null,
      ],
    );
  }
}
