import { EMAIL_TAKEN_MESSAGE, ValidationError } from "../core/errors.js";
import type {
  ErasedUser,
  ImportedUser,
  ImportedUsers,
  ImportNeedsPasswords,
  ListedPage,
  NewUser,
  PageWindow,
  UserChanges,
  UserFilter,
  UserProfile,
} from "../core/model.js";
import { type Pool, prepared, retryingDeadlocks, withTransaction } from "./database.js";
import { listedPage } from "./listed-page.js";
import { TALLY_DELETED_NOTIFICATIONS } from "./retired-counts.js";
import { toUserProfile, USER_PROFILE_COLUMNS, type UserProfileRow } from "./rows.js";
import { TickBatcher } from "./tick-batcher.js";

const duplicateEmail = () => ValidationError.of("email", EMAIL_TAKEN_MESSAGE);

/** Rolls an import back: the items at `indexes` would be created without the password they gave. */
class PasswordsNotHashed extends Error {
  constructor(readonly indexes: number[]) {
    super(`passwords of users ${indexes.join(", ")} to be hashed first`);
  }
}

/** Stored for a user imported without a password: no scrypt hash, so no password ever matches it. */
const NO_PASSWORD = "!";

/** Which profile fields an imported item gave, as bits: the others stay as they are on an update. */
const GIVEN = {
  firstName: 1,
  lastName: 2,
  phoneNumber: 4,
  telegramId: 8,
  locale: 16,
  timezone: 32,
  quietHours: 64,
} as const;

/** Keeps a column unless the item gave it. */
const kept = (column: string, bit: number) =>
  `${column} = CASE WHEN t.given & ${bit} <> 0 THEN t.${column} ELSE u.${column} END`;

const UPDATE_IMPORTED = `UPDATE users u SET
     ${kept("first_name", GIVEN.firstName)}, ${kept("last_name", GIVEN.lastName)},
     ${kept("phone_number", GIVEN.phoneNumber)}, ${kept("telegram_id", GIVEN.telegramId)},
     ${kept("locale", GIVEN.locale)}, ${kept("timezone", GIVEN.timezone)},
     ${kept("quiet_hours_start", GIVEN.quietHours)}, ${kept("quiet_hours_end", GIVEN.quietHours)}
   FROM unnest($1::integer[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[], $7::text[],
               $8::text[], $9::text[], $10::text[], $11::text[])
     AS t(position, email, given, first_name, last_name, phone_number, telegram_id, locale, timezone,
          quiet_hours_start, quiet_hours_end)
   WHERE lower(u.email) = lower(t.email)
   RETURNING t.position, ${USER_PROFILE_COLUMNS.split(", ")
     .map((column) => `u.${column}`)
     .join(", ")}`;

// Rows go in in the request's order, so their ids follow it. An email taken meanwhile is skipped
// rather than failing the statement: the caller finds its item missing from what came back. Items
// are matched to rows by PostgreSQL's lower(), as the unique index matches emails.
const INSERT_IMPORTED = `WITH t AS (
     SELECT * FROM unnest($1::integer[], $2::text[], $3::integer[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
       AS t(position, email, given, first_name, last_name, phone_number, telegram_id, locale, timezone,
            quiet_hours_start, quiet_hours_end, password_hash)),
   inserted AS (
     INSERT INTO users (email, password_hash, first_name, last_name, phone_number, telegram_id,
                        locale, timezone, quiet_hours_start, quiet_hours_end)
     SELECT email, password_hash, first_name, last_name, phone_number, telegram_id, locale, timezone,
            quiet_hours_start, quiet_hours_end
     FROM t ORDER BY position
     ON CONFLICT ((lower(email))) DO NOTHING
     RETURNING ${USER_PROFILE_COLUMNS})
   SELECT t.position, inserted.* FROM inserted JOIN t ON lower(t.email) = lower(inserted.email)`;

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
    // A broadcast's cancel sweep locks the notifications it cancels, then the users of their
    // webhook events; this locks the user, then their notifications. When the two cross, PostgreSQL
    // ends one of them (40P01), which then simply runs again.
    return retryingDeadlocks(() => this.eraseOnce(id));
  }

  private async eraseOnce(id: number): Promise<ErasedUser | null> {
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

  async emailsTaken(emails: string[]): Promise<boolean[]> {
    const { rows } = await this.db.query<{ position: number }>(
      `SELECT e.position FROM unnest($1::text[]) WITH ORDINALITY AS e(email, position)
       WHERE EXISTS (SELECT 1 FROM users WHERE lower(users.email) = lower(e.email))`,
      [emails],
    );
    const taken = new Set(rows.map((row) => Number(row.position) - 1));
    return emails.map((_, index) => taken.has(index));
  }

  /**
   * Existing users are updated first, then the others inserted. A user created by someone else
   * between the two is updated after all (with `updateExisting`), or fails the import. Problems are
   * named by the item's index, as `users.<index>.email`. An item whose password was left unhashed
   * (its user existed at the look-up) but which is now to be created, its user erased meanwhile,
   * rolls everything back: the caller hashes it and imports again, rather than this transaction
   * holding its locks for the hashes.
   */
  async importMany(
    users: ImportedUser[],
    updateExisting: boolean,
  ): Promise<ImportedUsers | ImportNeedsPasswords> {
    try {
      return await this.importOnce(users, updateExisting);
    } catch (error) {
      if (error instanceof PasswordsNotHashed) return { passwordsToHash: error.indexes };
      throw error;
    }
  }

  private async importOnce(users: ImportedUser[], updateExisting: boolean): Promise<ImportedUsers> {
    return withTransaction(this.db, async (client) => {
      const found = new Map<number, UserProfile>();
      const created = new Set<number>();
      const keep = (rows: (UserProfileRow & { position: number })[]) => {
        for (const row of rows) found.set(Number(row.position), toUserProfile(row));
      };
      const all = users.map((_, index) => index);
      const update = async (indexes: number[]) => {
        if (indexes.length > 0)
          keep((await client.query(UPDATE_IMPORTED, importedColumns(users, indexes))).rows);
      };
      if (updateExisting) await update(all);
      const toInsert = all.filter((index) => !found.has(index));
      const unhashed = toInsert.filter((index) => users[index]!.passwordUnhashed);
      if (unhashed.length > 0) throw new PasswordsNotHashed(unhashed);
      if (toInsert.length > 0) {
        const { rows } = await client.query(INSERT_IMPORTED, [
          ...importedColumns(users, toInsert),
          toInsert.map((index) => users[index]!.passwordHash ?? NO_PASSWORD),
        ]);
        keep(rows);
        for (const row of rows) created.add(Number(row.position));
      }
      if (updateExisting) await update(all.filter((index) => !found.has(index)));
      const missing = all.filter((index) => !found.has(index));
      if (missing.length > 0) {
        // Taken, and not to be updated; or, updating, a user erased between the two statements.
        throw new ValidationError(
          Object.fromEntries(missing.map((index) => [`users.${index}.email`, [EMAIL_TAKEN_MESSAGE]])),
        );
      }
      return {
        users: all.map((index) => found.get(index)!),
        created: all.map((index) => created.has(index)),
      };
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

/**
 * The statement parameters of the items at `indexes`: their index, email and which fields they
 * gave, then each profile column (a new user's defaults where not given).
 */
function importedColumns(users: ImportedUser[], indexes: number[]): unknown[] {
  const items = indexes.map((index) => users[index]!.changes);
  return [
    indexes,
    indexes.map((index) => users[index]!.email),
    items.map((changes) =>
      Object.entries(GIVEN).reduce(
        (given, [field, bit]) => (changes[field as keyof typeof GIVEN] !== undefined ? given | bit : given),
        0,
      ),
    ),
    items.map((changes) => changes.firstName ?? ""),
    items.map((changes) => changes.lastName ?? ""),
    items.map((changes) => changes.phoneNumber ?? null),
    items.map((changes) => changes.telegramId ?? null),
    items.map((changes) => changes.locale ?? null),
    items.map((changes) => changes.timezone ?? null),
    items.map((changes) => changes.quietHours?.start ?? null),
    items.map((changes) => changes.quietHours?.end ?? null),
  ];
}
