import type { StoredAttempt } from "../core/model.js";
import type { Queryable } from "./database.js";
import { type AttemptRow, toAttempt } from "./rows.js";

/** Attempts as people read them: a notification's timeline. The worker writes them through DeliveriesRepository. */
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
}
