import { ValidationError } from "../core/errors.js";
import type {
  ErasedUser,
  ListedPage,
  NewUser,
  PageWindow,
  UserChanges,
  UserFilter,
  UserProfile,
} from "../core/model.js";
import { type Pool, prepared, withTransaction } from "./database.js";
import { listedPage } from "./listed-page.js";
import { TALLY_DELETED_NOTIFICATIONS } from "./retired-counts.js";
import { toUserProfile, USER_PROFILE_COLUMNS, type UserProfileRow } from "./rows.js";
import { TickBatcher } from "./tick-batcher.js";

const duplicateEmail = () => ValidationError.of("email", "user with this email already exists.");

export class UsersRepository {
  // Every notification created reads its recipient (template variables, locale, quiet hours):
  // under load, the reads of one tick share one statement, as the inserts that follow do.
  private readonly readBatcher = new TickBatcher<number, UserProfile | null>((ids) => this.findMany(ids));

  constructor(private readonly db: Pool) {}

  async create(user: NewUser): Promise<UserProfile> {
    try {
      const { rows } = await this.db.query<UserProfileRow>(
        `INSERT INTO users (email, password_hash, first_name, last_name, phone_number, telegram_id,
                            locale, timezone, quiet_hours_start, quiet_hours_end)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING ${USER_PROFILE_COLUMNS}`,
        [
          user.email,
          user.passwordHash,
          user.firstName,
          user.lastName,
          user.phoneNumber,
          user.telegramId,
          user.locale ?? null,
          user.timezone ?? null,
          user.quietHours?.start ?? null,
          user.quietHours?.end ?? null,
        ],
      );
      return toUserProfile(rows[0]!);
    } catch (error) {
      // 23505: the unique index on lower(email); checked here, not before, so two racing requests can't both pass.
      if ((error as { code?: string }).code === "23505") throw duplicateEmail();
      throw error;
    }
  }

  /** Applies the changes given in one statement; null when there is no such user. */
  async update(id: number, changes: UserChanges): Promise<UserProfile | null> {
    const columns: Record<string, unknown> = {};
    if (changes.email !== undefined) columns.email = changes.email;
    if (changes.firstName !== undefined) columns.first_name = changes.firstName;
    if (changes.lastName !== undefined) columns.last_name = changes.lastName;
    if (changes.phoneNumber !== undefined) columns.phone_number = changes.phoneNumber;
    if (changes.telegramId !== undefined) columns.telegram_id = changes.telegramId;
    if (changes.locale !== undefined) columns.locale = changes.locale;
    if (changes.timezone !== undefined) columns.timezone = changes.timezone;
    if (changes.quietHours !== undefined) {
      columns.quiet_hours_start = changes.quietHours?.start ?? null;
      columns.quiet_hours_end = changes.quietHours?.end ?? null;
    }
    const names = Object.keys(columns);
    if (names.length === 0) return this.findById(id);
    try {
      const { rows } = await this.db.query<UserProfileRow>(
        `UPDATE users SET ${names.map((name, index) => `${name} = $${index + 2}`).join(", ")}
         WHERE id = $1 RETURNING ${USER_PROFILE_COLUMNS}`,
        [id, ...Object.values(columns)],
      );
      return rows[0] ? toUserProfile(rows[0]) : null;
    } catch (error) {
      if ((error as { code?: string }).code === "23505") throw duplicateEmail();
      throw error;
    }
  }

  async list(filter: UserFilter, page: PageWindow): Promise<ListedPage<UserProfile>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    // lower(email) is what the unique index holds, so a lookup by email reads one entry.
    if (filter.email !== undefined) {
      values.push(filter.email);
      conditions.push(`lower(email) = lower($${values.length})`);
    }
    if (filter.phoneNumber !== undefined) {
      values.push(filter.phoneNumber);
      conditions.push(`phone_number = $${values.length}`);
    }
    if (filter.telegramId !== undefined) {
      values.push(filter.telegramId);
      conditions.push(`telegram_id = $${values.length}`);
    }
    if (page.beforeId !== undefined) {
      values.push(page.beforeId);
      conditions.push(`id < $${values.length}`);
    }
    const fromWhere = `FROM users ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}`;
    return listedPage<UserProfileRow, UserProfile>(
      this.db,
      { select: `SELECT ${USER_PROFILE_COLUMNS} ${fromWhere}`, fromWhere, values, orderBy: "id DESC" },
      page,
      toUserProfile,
    );
  }

  /**
   * The user's notifications and their attempts are deleted and tallied for /metrics
   * (retired_counts); the foreign keys' ON DELETE CASCADE take the rest (preferences, outbox
   * entries, idempotency keys). Webhook events hold a copy of their
   * notification (its message too) but no foreign key, so they are deleted by the notifications'
   * ids, and those about the user (a chat connected, an unsubscribe) by theirs, with their
   * deliveries. The user is locked first: a notification for them created from
   * then on waits for this transaction (its foreign key check needs the row) and then fails, so
   * the second statement's snapshot holds every notification of theirs there will be.
   */
  async erase(id: number): Promise<ErasedUser | null> {
    return withTransaction(this.db, async (client) => {
      const { rowCount } = await client.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [id]);
      if (rowCount === 0) return null;
      const { rows } = await client.query<{ notifications: number }>(
        `WITH gone AS (DELETE FROM notifications WHERE user_id = $1 RETURNING id, status, last_channel),
         ${TALLY_DELETED_NOTIFICATIONS},
         events AS (DELETE FROM webhook_events WHERE notification_id IN (SELECT id FROM gone) OR user_id = $1),
         erased AS (DELETE FROM users WHERE id = $1)
         SELECT count(*)::integer AS notifications FROM gone`,
        [id],
      );
      return { id, notifications: rows[0]?.notifications ?? 0 };
    });
  }

  /** Reads made in the same tick share one statement; only for a pool-bound repository. */
  findById(id: number): Promise<UserProfile | null> {
    return this.readBatcher.add(id);
  }

  private async findMany(ids: number[]): Promise<(UserProfile | null)[]> {
    const { rows } =
      ids.length === 1
        ? await this.db.query<UserProfileRow>(
            prepared("find-user", `SELECT ${USER_PROFILE_COLUMNS} FROM users WHERE id = $1`, ids),
          )
        : await this.db.query<UserProfileRow>(
            prepared("find-users", `SELECT ${USER_PROFILE_COLUMNS} FROM users WHERE id = ANY($1::bigint[])`, [
              ids,
            ]),
          );
    const byId = new Map(rows.map((row) => [row.id, toUserProfile(row)]));
    return ids.map((id) => byId.get(id) ?? null);
  }
}
