/** Broadcasts in PostgreSQL: the rows, their audiences, the fan-out's batches and their counts. */
import type {
  Channel,
  Metadata,
  NotificationStatus,
  Priority,
  StoredNotification,
  UserProfile,
} from "../core/model.js";
import { NOTIFICATION_STATUSES } from "../core/model.js";
import { AttemptsRepository } from "../db/attempts-repository.js";
import { type Pool, type Queryable, retryingDeadlocks, withTransaction } from "../db/database.js";
import { BROADCAST_KEYS, IdempotencyKeysRepository } from "../db/idempotency-keys-repository.js";
import {
  NOTIFICATION_COLUMNS,
  type NotificationRow,
  renderedToJson,
  toNotification,
  toUserProfile,
  USER_PROFILE_COLUMNS,
  type UserProfileRow,
} from "../db/rows.js";
import type { WebhookEventWriter } from "../usecases/ports.js";
import { WebhooksRepository } from "../webhooks/webhooks-repository.js";
import {
  type Broadcast,
  type BroadcastBatch,
  type BroadcastCounts,
  type BroadcastCreation,
  type BroadcastStatus,
  type BroadcastStore,
  type BroadcastWithCounts,
  type ClaimedBroadcast,
  type CreatedNotification,
  type FannedOutNotification,
  MAX_UNKNOWN_USERS_SHOWN,
  type NewBroadcast,
} from "./broadcast-model.js";

interface BroadcastRow {
  id: string;
  status: string;
  all_users: boolean;
  message: string | null;
  subject: string | null;
  channels: string[] | null;
  template: string | null;
  data: Record<string, unknown> | null;
  category: string | null;
  metadata: Metadata | null;
  priority: string;
  send_at: Date | null;
  expires_at: Date | null;
  total: number;
  fanned_out: number;
  unknown_users: string[];
  unknown_user_count: number;
  created_at: Date;
  finished_at: Date | null;
}

const COLUMNS =
  "id, status, all_users, message, subject, channels, template, data, category, metadata, priority, send_at, expires_at, total, fanned_out, unknown_users, unknown_user_count, created_at, finished_at";

const toBroadcast = (row: BroadcastRow): Broadcast => ({
  id: Number(row.id),
  status: row.status as BroadcastStatus,
  allUsers: row.all_users,
  message: row.message,
  subject: row.subject,
  channels: row.channels as Channel[] | null,
  template: row.template,
  data: row.data,
  category: row.category,
  metadata: row.metadata,
  priority: row.priority as Priority,
  sendAt: row.send_at,
  expiresAt: row.expires_at,
  total: row.total,
  fannedOut: row.fanned_out,
  unknownUsers: row.unknown_users.map(Number),
  unknownUserCount: row.unknown_user_count,
  createdAt: row.created_at,
  finishedAt: row.finished_at,
});

const noCounts = (): BroadcastCounts =>
  Object.fromEntries(NOTIFICATION_STATUSES.map((status) => [status, 0])) as BroadcastCounts;

export class BroadcastsRepository implements BroadcastStore {
  constructor(private readonly pool: Pool) {}

  /** Runs the creation's statements in one transaction. */
  inCreation<T>(work: (creation: BroadcastCreation) => Promise<T>): Promise<T> {
    return withTransaction(this.pool, (client) =>
      work({
        create: (broadcast, chunkSize) => createBroadcast(client, broadcast, chunkSize),
        idempotencyKeys: new IdempotencyKeysRepository(client, BROADCAST_KEYS),
      }),
    );
  }

  async sampleRecipient(userIds: number[] | null): Promise<UserProfile | null> {
    const { rows } =
      userIds === null
        ? await this.pool.query<UserProfileRow>(
            `SELECT ${USER_PROFILE_COLUMNS} FROM users ORDER BY id LIMIT 1`,
          )
        : await this.pool.query<UserProfileRow>(
            `SELECT ${USER_PROFILE_COLUMNS} FROM users WHERE id = ANY($1::bigint[]) ORDER BY id LIMIT 1`,
            [userIds],
          );
    return rows[0] ? toUserProfile(rows[0]) : null;
  }

  async findById(id: number): Promise<BroadcastWithCounts | null> {
    const { rows } = await this.pool.query<BroadcastRow>(`SELECT ${COLUMNS} FROM broadcasts WHERE id = $1`, [
      id,
    ]);
    if (!rows[0]) return null;
    return { ...toBroadcast(rows[0]), counts: (await this.countsOf([id])).get(id) ?? noCounts() };
  }

  /**
   * The counts come from the partial index on notifications (broadcast_id, status, ...): an
   * index-only count of the broadcast's own entries, which plain notifications never enter.
   */
  private async countsOf(ids: number[]): Promise<Map<number, BroadcastCounts>> {
    const counts = new Map<number, BroadcastCounts>(ids.map((id) => [id, noCounts()]));
    if (ids.length === 0) return counts;
    const { rows } = await this.pool.query<{ broadcast_id: string; status: NotificationStatus; n: number }>(
      `SELECT broadcast_id, status, count(*)::integer AS n FROM notifications
       WHERE broadcast_id = ANY($1::bigint[]) GROUP BY broadcast_id, status`,
      [ids],
    );
    for (const row of rows) {
      const forBroadcast = counts.get(Number(row.broadcast_id));
      if (forBroadcast) forBroadcast[row.status] = row.n;
    }
    return counts;
  }

  async list(page: {
    limit: number;
    offset: number;
  }): Promise<{ count: number; results: BroadcastWithCounts[] }> {
    const { rows: countRows } = await this.pool.query<{ count: number }>(
      "SELECT count(*)::integer AS count FROM broadcasts",
    );
    const { rows } = await this.pool.query<BroadcastRow>(
      `SELECT ${COLUMNS} FROM broadcasts ORDER BY id DESC LIMIT $1 OFFSET $2`,
      [page.limit, page.offset],
    );
    const broadcasts = rows.map(toBroadcast);
    const counts = await this.countsOf(broadcasts.map((broadcast) => broadcast.id));
    return {
      count: countRows[0]?.count ?? 0,
      results: broadcasts.map((broadcast) => ({ ...broadcast, counts: counts.get(broadcast.id)! })),
    };
  }

  async claimDue(
    owner: string,
    leaseSeconds: number,
    limit: number,
  ): Promise<{ items: ClaimedBroadcast[]; nextDueInSeconds: number | null }> {
    const { rows } = await this.pool.query<{
      id: string | null;
      status: BroadcastStatus | null;
      next_due_in_seconds: number | null;
    }>(
      `WITH claimable AS (
         SELECT id FROM broadcasts
         WHERE next_batch_at <= now() AND (lease_expires_at IS NULL OR lease_expires_at < now())
         ORDER BY next_batch_at, id
         LIMIT $3
         FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE broadcasts b
           SET lease_owner = $1, lease_expires_at = now() + make_interval(secs => $2),
               status = CASE WHEN b.status = 'pending' THEN 'fanning_out' ELSE b.status END
         FROM claimable c WHERE b.id = c.id
         RETURNING b.id, b.status)
       SELECT claimed.id, claimed.status, next_due.next_due_in_seconds
       FROM (SELECT extract(epoch FROM min(next_batch_at) - now())::float8 AS next_due_in_seconds
               FROM broadcasts WHERE next_batch_at > now()) next_due
       LEFT JOIN claimed ON true`,
      [owner, leaseSeconds, limit],
    );
    const items: ClaimedBroadcast[] = [];
    for (const row of rows) if (row.id !== null) items.push({ id: Number(row.id), status: row.status! });
    return { items, nextDueInSeconds: rows[0]?.next_due_in_seconds ?? null };
  }

  inBatch<T>(
    id: number,
    owner: string,
    leaseSeconds: number,
    work: (batch: BroadcastBatch) => Promise<T>,
  ): Promise<T | null> {
    return withTransaction(this.pool, async (client) => {
      // The lock makes a cancel wait for this batch, and a cancel that came first stops it.
      const { rows } = await client.query<
        BroadcastRow & { cursor_user_id: string; last_user_id: string | null }
      >(
        `SELECT ${COLUMNS}, cursor_user_id, last_user_id FROM broadcasts
         WHERE id = $1 AND lease_owner = $2 AND status = 'fanning_out'
         FOR NO KEY UPDATE`,
        [id, owner],
      );
      const row = rows[0];
      if (!row) return null;
      const cursor = Number(row.cursor_user_id);
      const lastUserId = row.last_user_id === null ? null : Number(row.last_user_id);
      return work(new LockedBroadcast(client, toBroadcast(row), cursor, lastUserId, owner, leaseSeconds));
    });
  }

  async markCancelled(id: number): Promise<Broadcast | "nothing_pending" | null> {
    return withTransaction(this.pool, async (client) => {
      // Waits for a batch being written, which holds this lock, so that the look for pending
      // notifications below (a statement of its own, with a snapshot taken after) sees what it made.
      const { rows: locked } = await client.query<{ status: BroadcastStatus }>(
        "SELECT status FROM broadcasts WHERE id = $1 FOR NO KEY UPDATE",
        [id],
      );
      if (!locked[0]) return null;
      if (locked[0].status === "done") {
        const { rowCount } = await client.query(
          "SELECT 1 FROM notifications WHERE broadcast_id = $1 AND status = 'pending' LIMIT 1",
          [id],
        );
        if (rowCount === 0) return "nothing_pending";
      }
      // A worker's sweep is due in a while, in case this process dies before its own sweep ends.
      const { rows } = await client.query<BroadcastRow>(
        `WITH forgotten AS (DELETE FROM broadcast_audience_chunks WHERE broadcast_id = $1)
         UPDATE broadcasts SET status = 'cancelled', next_batch_at = now() + interval '30 seconds',
           lease_owner = NULL, lease_expires_at = NULL, finished_at = COALESCE(finished_at, now())
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id],
      );
      return toBroadcast(rows[0]!);
    });
  }

  async cancelPendingNotifications(
    id: number,
    limit: number,
    announce?: (cancelled: StoredNotification[], writer: WebhookEventWriter) => Promise<void>,
  ): Promise<number[]> {
    const cancel = async (db: Queryable) =>
      db.query<NotificationRow>(
        `UPDATE notifications
           SET status = 'cancelled', next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
               updated_at = now()
         WHERE id IN (SELECT id FROM notifications WHERE broadcast_id = $1 AND status = 'pending'
                      LIMIT $2 FOR UPDATE)
           AND status = 'pending'
         RETURNING ${announce ? NOTIFICATION_COLUMNS : "id"}`,
        [id, limit],
      );
    if (!announce) return (await cancel(this.pool)).rows.map((row) => row.id);
    // The events commit with the cancellation, or roll back with it: each is told exactly once.
    // Storing them locks the notifications' users after their notifications, the reverse of an
    // erasure's order: when the two cross, PostgreSQL ends one (40P01), which runs again.
    return retryingDeadlocks(() =>
      withTransaction(this.pool, async (client) => {
        const { rows } = await cancel(client);
        if (rows.length > 0) {
          const webhooks = new WebhooksRepository(client);
          await announce(rows.map(toNotification), {
            attempts: new AttemptsRepository(client),
            recordEvents: (type, events) => webhooks.recordEvents(type, events),
          });
        }
        return rows.map((row) => row.id);
      }),
    );
  }

  async finishCancelling(id: number): Promise<void> {
    await this.pool.query(
      `UPDATE broadcasts SET next_batch_at = NULL, lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND status = 'cancelled'`,
      [id],
    );
  }
}

/**
 * Stores the broadcast, then its audience in one statement: the ids are deduplicated by the
 * database, the known ones stored in sorted chunks of `chunkSize` ids (one per batch of the
 * fan-out) and the unknown ones found by the same lookup.
 */
async function createBroadcast(
  db: Queryable,
  broadcast: NewBroadcast,
  chunkSize: number,
): Promise<Broadcast> {
  const { rows: inserted } = await db.query<{ id: string }>(
    `INSERT INTO broadcasts (all_users, message, subject, channels, template, data, category, priority,
                             send_at, expires_at, total, next_batch_at, metadata)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, 0, GREATEST(COALESCE($9, now()), now()),
             $11::jsonb)
     RETURNING id`,
    [
      broadcast.userIds === null,
      broadcast.message,
      broadcast.subject,
      broadcast.channels,
      broadcast.template,
      broadcast.data === null ? null : JSON.stringify(broadcast.data),
      broadcast.category,
      broadcast.priority,
      broadcast.sendAt,
      broadcast.expiresAt,
      broadcast.metadata === null ? null : JSON.stringify(broadcast.metadata),
    ],
  );
  const id = Number(inserted[0]!.id);
  // Sorting 100,000 ids into chunks spills to disk under the default work_mem of 4 MB.
  if (broadcast.userIds !== null) await db.query("SET LOCAL work_mem = '32MB'");
  const { rows } =
    broadcast.userIds === null
      ? await db.query<BroadcastRow>(
          `UPDATE broadcasts SET total = (SELECT count(*) FROM users),
             last_user_id = (SELECT COALESCE(max(id), 0) FROM users)
           WHERE id = $1 RETURNING ${COLUMNS}`,
          [id],
        )
      : await db.query<BroadcastRow>(
          `WITH wanted AS (SELECT DISTINCT unnest($2::bigint[]) AS user_id),
           matched AS MATERIALIZED (
             SELECT w.user_id, EXISTS (SELECT 1 FROM users u WHERE u.id = w.user_id) AS known FROM wanted w),
           chunks AS (
             INSERT INTO broadcast_audience_chunks (broadcast_id, first_user_id, user_ids)
             SELECT $1, min(user_id), array_agg(user_id ORDER BY user_id)
             FROM (SELECT user_id, (row_number() OVER (ORDER BY user_id) - 1) / $4 AS chunk
                   FROM matched WHERE known) numbered
             GROUP BY chunk
             RETURNING cardinality(user_ids) AS size)
           UPDATE broadcasts SET total = (SELECT COALESCE(sum(size), 0) FROM chunks),
             unknown_user_count = (SELECT count(*) FROM matched WHERE NOT known),
             unknown_users = ARRAY(SELECT user_id FROM matched WHERE NOT known ORDER BY user_id LIMIT $3)
           WHERE id = $1 RETURNING ${COLUMNS}`,
          // The ids as one array literal: pg's conversion of a 100,000-element array costs ~3x more.
          [id, `{${broadcast.userIds.join(",")}}`, MAX_UNKNOWN_USERS_SHOWN, chunkSize],
        );
  return toBroadcast(rows[0]!);
}

/** One batch's statements, on the connection whose transaction holds the broadcast's row lock. */
class LockedBroadcast implements BroadcastBatch {
  constructor(
    private readonly db: Queryable,
    readonly broadcast: Broadcast,
    private readonly cursor: number,
    private readonly lastUserId: number | null,
    private readonly owner: string,
    private readonly leaseSeconds: number,
  ) {}

  async dueBacklog(limit: number): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT count(*)::integer AS n FROM (
         SELECT 1 FROM notifications
         WHERE broadcast_id = $1 AND status = 'pending' AND next_attempt_at <= now() LIMIT $2) due`,
      [this.broadcast.id, limit],
    );
    return rows[0]?.n ?? 0;
  }

  /**
   * The next recipients, each locked against erasure (FOR KEY SHARE, as the foreign key's own check
   * would) until the batch commits: a user deleted between this read and the batch's INSERT would
   * otherwise fail the whole batch. A user erased before the read is simply passed over.
   */
  async nextRecipients(limit: number) {
    if (this.broadcast.allUsers) {
      const { rows } = await this.db.query<UserProfileRow>(
        `SELECT ${USER_PROFILE_COLUMNS} FROM users WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3 FOR KEY SHARE`,
        [this.cursor, this.lastUserId ?? 0, limit],
      );
      const last = rows.at(-1);
      return {
        users: rows.map(toUserProfile),
        lastUserId: last ? Number(last.id) : this.cursor,
        exhausted: rows.length < limit,
      };
    }
    // An explicit audience comes a chunk (of the batch size at creation) at a time; `limit` is for all_users.
    const { rows: chunks } = await this.db.query<{ user_ids: string[]; last: boolean }>(
      `SELECT c.user_ids, NOT EXISTS (
           SELECT 1 FROM broadcast_audience_chunks later
           WHERE later.broadcast_id = $1 AND later.first_user_id > c.first_user_id) AS last
       FROM broadcast_audience_chunks c
       WHERE c.broadcast_id = $1 AND c.first_user_id > $2 ORDER BY c.first_user_id LIMIT 1`,
      [this.broadcast.id, this.cursor],
    );
    const chunk = chunks[0];
    if (!chunk) return { users: [], lastUserId: this.cursor, exhausted: true };
    // A user deleted since creation is passed over.
    const { rows } = await this.db.query<UserProfileRow>(
      `SELECT ${USER_PROFILE_COLUMNS} FROM users WHERE id = ANY($1::bigint[]) ORDER BY id FOR KEY SHARE`,
      [chunk.user_ids],
    );
    return {
      users: rows.map(toUserProfile),
      lastUserId: Number(chunk.user_ids.at(-1)),
      exhausted: chunk.last,
    };
  }

  async insertNotifications(notifications: FannedOutNotification[]): Promise<CreatedNotification[]> {
    if (notifications.length === 0) return [];
    const column = <T>(pick: (item: FannedOutNotification) => T) => notifications.map(pick);
    const { rows } = await this.db.query<CreatedNotification>(
      `INSERT INTO notifications (broadcast_id, user_id, message, subject, channels, template, locale, rendered,
                                 expires_at, priority, next_attempt_at, status, failure_reason, category,
                                 metadata)
       SELECT $1, t.user_id, t.message, t.subject, $2::text[], t.template, t.locale, t.rendered::jsonb,
              $3, $4, CASE WHEN t.status = 'pending' THEN COALESCE(t.next_attempt_at, now()) END,
              t.status, t.failure_reason, $14, $15::jsonb
       FROM unnest($5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
                   $11::timestamptz[], $12::text[], $13::text[])
         AS t(user_id, message, subject, template, locale, rendered, next_attempt_at, status, failure_reason)
       ON CONFLICT (broadcast_id, user_id) WHERE broadcast_id IS NOT NULL DO NOTHING
       RETURNING id, status`,
      [
        this.broadcast.id,
        this.broadcast.channels,
        this.broadcast.expiresAt,
        this.broadcast.priority,
        column((item) => item.userId),
        column((item) => item.message),
        column((item) => item.subject),
        column((item) => item.template ?? null),
        column((item) => item.locale ?? null),
        column((item) => (item.rendered ? JSON.stringify(renderedToJson(item.rendered)) : null)),
        column((item) => item.nextAttemptAt ?? null),
        column((item) => (item.failureReason ? "failed" : "pending")),
        column((item) => item.failureReason ?? null),
        this.broadcast.category,
        this.broadcast.metadata === null ? null : JSON.stringify(this.broadcast.metadata),
      ],
    );
    return rows;
  }

  async advance(lastUserId: number, recipients: number, finished: boolean): Promise<void> {
    await this.db.query(
      `WITH consumed AS (DELETE FROM broadcast_audience_chunks WHERE broadcast_id = $1 AND first_user_id <= $2)
       UPDATE broadcasts SET cursor_user_id = $2, fanned_out = fanned_out + $3,
         status = CASE WHEN $4 THEN 'done' ELSE status END,
         next_batch_at = CASE WHEN $4 THEN NULL ELSE now() END,
         finished_at = CASE WHEN $4 THEN now() END,
         lease_owner = CASE WHEN $4 THEN NULL ELSE lease_owner END,
         lease_expires_at = CASE WHEN $4 THEN NULL ELSE now() + make_interval(secs => $5) END
       WHERE id = $1 AND lease_owner = $6`,
      [this.broadcast.id, lastUserId, recipients, finished, this.leaseSeconds, this.owner],
    );
  }

  async postpone(seconds: number): Promise<void> {
    await this.db.query(
      `UPDATE broadcasts SET next_batch_at = now() + make_interval(secs => $2),
         lease_owner = NULL, lease_expires_at = NULL
       WHERE id = $1 AND lease_owner = $3`,
      [this.broadcast.id, seconds, this.owner],
    );
  }
}
