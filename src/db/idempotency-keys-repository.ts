import type { IdempotencyRecord } from "../core/model.js";
import type { Queryable } from "./database.js";

/** Where a kind of creation keeps its keys: the table, and the column naming what a key created. */
export interface IdempotencyTarget {
  table: "idempotency_keys" | "broadcast_idempotency_keys";
  createdColumn: "notification_id" | "broadcast_id";
  /** Where a request that created many keeps them all, when this kind of creation has such requests. */
  createdManyColumn?: "notification_ids";
}

export const NOTIFICATION_KEYS: IdempotencyTarget = {
  table: "idempotency_keys",
  createdColumn: "notification_id",
  createdManyColumn: "notification_ids",
};
export const BROADCAST_KEYS: IdempotencyTarget = {
  table: "broadcast_idempotency_keys",
  createdColumn: "broadcast_id",
};

export class IdempotencyKeysRepository {
  private readonly table: string;
  private readonly created: string;
  private readonly createdMany: string;

  constructor(
    private readonly db: Queryable,
    target: IdempotencyTarget = NOTIFICATION_KEYS,
  ) {
    this.table = target.table;
    this.created = target.createdColumn;
    this.createdMany = target.createdManyColumn ?? "NULL::bigint[]";
  }

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
        `INSERT INTO ${this.table} (caller, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (caller, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, ${this.created} = NULL, created_at = now()
           WHERE ${this.table}.created_at < now() - make_interval(secs => $4)`,
        [caller, key, requestHash, ttlHours * 3600],
      );
      if (rowCount === 1) return null;
      const record = await this.read(caller, key, null);
      if (record) return record;
      // The row went away in between (its notification was deleted): try to take the key again.
      if (tries >= 3) throw new Error(`idempotency key row kept vanishing for caller ${caller}`);
    }
  }

  /** What a key created, when a request that was stored holds it and it has not expired; no lock. */
  lookup(caller: string, key: string, ttlHours: number): Promise<IdempotencyRecord | null> {
    return this.read(caller, key, ttlHours);
  }

  /** The key's row as what it created; with `ttlHours`, only while it has not expired. */
  private async read(
    caller: string,
    key: string,
    ttlHours: number | null,
  ): Promise<IdempotencyRecord | null> {
    const { rows } = await this.db.query<KeyRow>(
      `SELECT request_hash, ${this.created} AS created_id, ${this.createdMany} AS created_ids
       FROM ${this.table}
       WHERE caller = $1 AND key = $2${ttlHours === null ? "" : " AND created_at >= now() - make_interval(secs => $3)"}`,
      ttlHours === null ? [caller, key] : [caller, key, ttlHours * 3600],
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** Ties the key taken by `reserve` to what was created in the same transaction. */
  async attach(caller: string, key: string, createdId: number): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET ${this.created} = $3 WHERE caller = $1 AND key = $2`, [
      caller,
      key,
      createdId,
    ]);
  }

  /**
   * Ties the key to everything one bulk request created, in its order (notification keys only).
   * Not through the foreign key: deleting one of them (its user erased) must not free the key,
   * or a retry would create the others again. The TTL forgets it like any key.
   */
  async attachMany(caller: string, key: string, createdIds: number[]): Promise<void> {
    await this.db.query(`UPDATE ${this.table} SET ${this.createdMany} = $3 WHERE caller = $1 AND key = $2`, [
      caller,
      key,
      createdIds,
    ]);
  }

  /** Forgets keys older than the TTL, a batch at a time; `reserve` ignores them anyway. */
  async deleteExpired(ttlHours: number, limit = 1000): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM ${this.table} WHERE (caller, key) IN (
         SELECT caller, key FROM ${this.table}
         WHERE created_at < now() - make_interval(secs => $1) LIMIT $2)`,
      [ttlHours * 3600, limit],
    );
    return rowCount ?? 0;
  }
}

interface KeyRow {
  request_hash: string;
  created_id: number | null;
  created_ids: string[] | null;
}

/** A key's row as what it created; null while nothing is tied to it. */
function recordOf(row: KeyRow): IdempotencyRecord | null {
  if (row.created_ids) {
    const createdIds = row.created_ids.map(Number);
    return { requestHash: row.request_hash, createdId: createdIds[0]!, createdIds };
  }
  if (row.created_id == null) return null;
  return { requestHash: row.request_hash, createdId: Number(row.created_id), createdIds: null };
}
