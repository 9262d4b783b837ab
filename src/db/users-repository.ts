import { ValidationError } from "../core/errors.js";
import type { NewUser, Recipient } from "../core/model.js";
import type { Queryable } from "./database.js";
import { toRecipient, type UserRow } from "./rows.js";

const USER_COLUMNS = "id, email, first_name, last_name, phone_number, telegram_id";

export class UsersRepository {
  constructor(private readonly db: Queryable) {}

  async create(user: NewUser): Promise<Recipient> {
    try {
      const { rows } = await this.db.query<UserRow>(
        `INSERT INTO users (email, password_hash, first_name, last_name, phone_number, telegram_id)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${USER_COLUMNS}`,
        [user.email, user.passwordHash, user.firstName, user.lastName, user.phoneNumber, user.telegramId],
      );
      return toRecipient(rows[0]!);
    } catch (error) {
      // 23505: the unique index on lower(email); checked here, not before, so two racing requests can't both pass.
      if ((error as { code?: string }).code === "23505") {
        throw ValidationError.of("email", "user with this email already exists.");
      }
      throw error;
    }
  }

  async findById(id: number): Promise<Recipient | null> {
    const { rows } = await this.db.query<UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0] ? toRecipient(rows[0]) : null;
  }
}
