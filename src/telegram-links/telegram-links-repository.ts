/**
 * Connect-link codes (stored as hashes) and the getUpdates offset, and the poller's lease: a row
 * of maintenance_schedule (task `telegram-updates`, with its holder), so that one worker of the
 * deployment polls at a time, as one checks receipts (taskLeaseCte in maintenance-repository.ts).
 */
import type { Suppression } from "../audiences/suppression.js";
import {
  SUPPRESSION_COLUMNS,
  type SuppressionRow,
  toSuppression,
} from "../audiences/suppressions-repository.js";
import type { Queryable } from "../db/database.js";
import { releaseTaskLease, taskLeaseCte } from "../db/maintenance-repository.js";

const LEASE_TASK = "telegram-updates";

/** What redeeming a code did. */
export type Redemption =
  /** `lifted`: the chat's bot_blocked suppression, removed by this redemption. */
  | { kind: "linked"; userId: number; lifted: Suppression | null }
  /** This very update used the code already (it is being handled again): nothing changes. */
  | { kind: "already_handled" }
  /** Unknown, expired, or used by another update. */
  | { kind: "invalid" };

export class TelegramLinksRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores a code for the user; null when there is no such user. */
  async create(userId: number, codeHash: string, ttlSeconds: number): Promise<{ expiresAt: Date } | null> {
    const { rows } = await this.db.query<{ expires_at: Date }>(
      `INSERT INTO telegram_link_codes (code_hash, user_id, expires_at)
       SELECT $2, id, now() + make_interval(secs => $3) FROM users WHERE id = $1
       RETURNING expires_at`,
      [userId, codeHash, ttlSeconds],
    );
    return rows[0] ? { expiresAt: rows[0].expires_at } : null;
  }

  /**
   * Uses the code for `chatId` if it is known, unexpired and unused: the user's telegram_id
   * becomes the chat, in the same statement. The last column reads the row as it was before
   * this statement, so it tells an update handled a second time from a code used before.
   *
   * Pressing Start unblocks the bot, so a `bot_blocked` suppression of the chat (a 403 "bot was
   * blocked by the user" once) is lifted with it; one added for another reason (`manual`,
   * `unsubscribed`) is someone's decision and stays.
   */
  async redeem(codeHash: string, chatId: string, updateId: number): Promise<Redemption> {
    const { rows } = await this.db.query<{
      user_id: number | null;
      redeemed_update_id: number | null;
      lifted: SuppressionRow | null;
    }>(
      `WITH used AS (
         UPDATE telegram_link_codes SET used_at = now(), chat_id = $2, redeemed_update_id = $3
         WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()
         RETURNING user_id),
       linked AS (
         UPDATE users u SET telegram_id = $2 FROM used WHERE u.id = used.user_id RETURNING u.id),
       unblocked AS (
         DELETE FROM suppressions
         WHERE channel = 'telegram' AND address = $2 AND reason = 'bot_blocked' AND EXISTS (SELECT 1 FROM used)
         RETURNING ${SUPPRESSION_COLUMNS})
       SELECT (SELECT id FROM linked) AS user_id, (SELECT to_jsonb(unblocked) FROM unblocked) AS lifted,
         (SELECT redeemed_update_id FROM telegram_link_codes WHERE code_hash = $1) AS redeemed_update_id`,
      [codeHash, chatId, updateId],
    );
    const row = rows[0];
    if (row?.user_id != null) {
      return { kind: "linked", userId: row.user_id, lifted: row.lifted ? toSuppression(row.lifted) : null };
    }
    return row?.redeemed_update_id === updateId ? { kind: "already_handled" } : { kind: "invalid" };
  }

  /**
   * Takes or renews the poller's lease for `holder` (when it holds it, or the lease lapsed) and
   * reads where the bot's updates continue from (null: nothing handled yet), in one round trip.
   */
  async claimPolling(
    holder: string,
    leaseSeconds: number,
    botId: string,
  ): Promise<{ held: boolean; nextOffset: number | null }> {
    const { rows } = await this.db.query<{ held: boolean; next_offset: number | null }>(
      `WITH ${taskLeaseCte(LEASE_TASK, "$1", "$2")}
       SELECT EXISTS (SELECT 1 FROM lease) AS held,
         (SELECT next_offset FROM telegram_update_offsets WHERE bot_id = $3) AS next_offset`,
      [holder, leaseSeconds, botId],
    );
    return { held: rows[0]?.held === true, nextOffset: rows[0]?.next_offset ?? null };
  }

  /** The updates before `nextOffset` are handled. Never moves back. */
  async saveOffset(botId: string, nextOffset: number): Promise<void> {
    await this.db.query(
      `INSERT INTO telegram_update_offsets AS o (bot_id, next_offset) VALUES ($1, $2)
       ON CONFLICT (bot_id) DO UPDATE SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset)`,
      [botId, nextOffset],
    );
  }

  /** Gives the poller's lease up (a worker stopping), so another worker need not wait it out. */
  releasePolling(holder: string): Promise<void> {
    return releaseTaskLease(this.db, LEASE_TASK, holder);
  }

  /** Forgets codes that expired more than `graceSeconds` ago, used or not (housekeeping). */
  async deleteExpired(graceSeconds: number): Promise<number> {
    const { rowCount } = await this.db.query(
      "DELETE FROM telegram_link_codes WHERE expires_at < now() - make_interval(secs => $1)",
      [graceSeconds],
    );
    return rowCount ?? 0;
  }
}
