import type { IdempotencyRecord } from "../core/model.js";
import type { Queryable } from "./database.js";

export class IdempotencyKeysRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Takes the key for this request (null), or returns the request that holds it. Call it inside
   * the transaction that creates the notification, before creating it.
   *
   * Under READ COMMITTED the INSERT is the lock: a second transaction inserting the same key waits
   * on the primary key until the first ends. If the first committed, ON CONFLICT finds its row,
   * locks it (the WHERE only lets an expired key be taken over) and the SELECT, a new statement
   * with a new snapshot, reads it; if the first rolled back, the second inserts and owns the key.
   */
  async reserve(
    caller: string,
    key: string,
    requestHash: string,
    ttlHours: number,
  ): Promise<IdempotencyRecord | null> {
    for (let tries = 1; ; tries++) {
      const { rowCount } = await this.db.query(
        `INSERT INTO idempotency_keys (caller, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (caller, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, notification_id = NULL, created_at = now()
           WHERE idempotency_keys.created_at < now() - make_interval(secs => $4)`,
        [caller, key, requestHash, ttlHours * 3600],
      );
      if (rowCount === 1) return null;
      const { rows } = await this.db.query<{ request_hash: string; notification_id: number | null }>(
        "SELECT request_hash, notification_id FROM idempotency_keys WHERE caller = $1 AND key = $2",
        [caller, key],
      );
      const row = rows[0];
      if (row?.notification_id != null) {
        return { requestHash: row.request_hash, notificationId: row.notification_id };
      }
      // The row went away in between (its notification was deleted): try to take the key again.
      if (tries >= 3) throw new Error(`idempotency key row kept vanishing for caller ${caller}`);
    }
  }

  /** Ties the key taken by `reserve` to the notification created in the same transaction. */
  async attach(caller: string, key: string, notificationId: number): Promise<void> {
    await this.db.query("UPDATE idempotency_keys SET notification_id = $3 WHERE caller = $1 AND key = $2", [
      caller,
      key,
      notificationId,
    ]);
  }

  /** Forgets keys older than the TTL, a batch at a time; `reserve` ignores them anyway. */
  async deleteExpired(ttlHours: number, limit = 1000): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM idempotency_keys WHERE (caller, key) IN (
         SELECT caller, key FROM idempotency_keys
         WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)`,
      [ttlHours * 3600, limit],
    );
    return rowCount ?? 0;
  }
}
