/** Templates in PostgreSQL: one row per key, its locales and bodies as one JSON document. */
import { ValidationError } from "../core/errors.js";
import type { RenderedFrom, UserProfile } from "../core/model.js";
import { prepared, type Queryable } from "../db/database.js";
import { toUserProfile, USER_PROFILE_COLUMNS, type UserProfileRow } from "../db/rows.js";
import { TickBatcher } from "../db/tick-batcher.js";
import type { RecipientAndTemplateVersion } from "../usecases/ports.js";
import type { LocaleBodies, Template, TemplateFields } from "./template.js";

interface TemplateRow {
  key: string;
  description: string;
  default_locale: string;
  locales: Record<string, LocaleBodies>;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = "key, description, default_locale, locales, created_at, updated_at";

interface RecipientRead {
  userId: number;
  templateKey: string;
}

/** Recipients (and templates) one process remembers at most: a few megabytes. */
const MAX_REMEMBERED_ROWS = 10_000;
/**
 * How long a remembered row is used before it is read again. The INSERT's check compares xmin, a
 * 32-bit transaction id that comes round again after about four billion transactions (days on a
 * busy database): a copy never outlives a few minutes, so an unrelated later version can never
 * carry the same xmin while the copy is in use.
 */
const REMEMBER_FOR_MS = 5 * 60_000;

/** A template's row in the recipients' statement: no user. */
const NO_USER_COLUMNS = USER_PROFILE_COLUMNS.split(", ")
  .map(() => "NULL")
  .join(", ");

const toTemplate = (row: TemplateRow): Template => ({
  key: row.key,
  description: row.description,
  defaultLocale: row.default_locale,
  locales: row.locales,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export class TemplatesRepository {
  private readonly versionBatcher = new TickBatcher<string, Date | null>((keys) => this.versionsOf(keys));
  private readonly recipientBatcher = new TickBatcher<RecipientRead, RecipientAndTemplateVersion>((reads) =>
    this.recipientsAndVersions(reads),
  );
  /** What the latest reads found, oldest first, with each row's version: see `remembered`. */
  private readonly rememberedRecipients = new Map<
    number,
    { user: UserProfile; rowVersion: string; readAt: number }
  >();
  private readonly rememberedTemplates = new Map<
    string,
    { version: Date; rowVersion: string; readAt: number }
  >();
  /** How many recipients were forgotten: a read that overlaps a forget remembers no recipient. */
  private forgotten = 0;

  constructor(private readonly db: Queryable) {}

  async create(template: TemplateFields): Promise<Template> {
    try {
      const { rows } = await this.db.query<TemplateRow>(
        `INSERT INTO templates (key, description, default_locale, locales)
         VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [template.key, template.description, template.defaultLocale, JSON.stringify(template.locales)],
      );
      return toTemplate(rows[0]!);
    } catch (error) {
      // 23505: the primary key; checked by the insert, so two racing creates cannot both pass.
      if ((error as { code?: string }).code === "23505") {
        throw ValidationError.of(
          "key",
          `A template with key ${JSON.stringify(template.key)} already exists.`,
        );
      }
      throw error;
    }
  }

  /**
   * Replaces the template's content; null when there is none with that key. updated_at moves on
   * even within the same millisecond, because it versions the parsed copies kept in memory.
   */
  async replace(template: TemplateFields): Promise<Template | null> {
    const { rows } = await this.db.query<TemplateRow>(
      `UPDATE templates
         SET description = $2, default_locale = $3, locales = $4,
             updated_at = GREATEST(now(), updated_at + interval '1 millisecond')
       WHERE key = $1 RETURNING ${COLUMNS}`,
      [template.key, template.description, template.defaultLocale, JSON.stringify(template.locales)],
    );
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  async findByKey(key: string): Promise<Template | null> {
    const { rows } = await this.db.query<TemplateRow>(
      prepared("find-template", `SELECT ${COLUMNS} FROM templates WHERE key = $1`, [key]),
    );
    return rows[0] ? toTemplate(rows[0]) : null;
  }

  /**
   * When the template was last saved (its version), or null when there is none: all a renderer
   * with a parsed copy needs to know, without the bodies. Reads in the same tick share one
   * statement; only for a pool-bound repository.
   */
  versionOf(key: string): Promise<Date | null> {
    return this.versionBatcher.add(key);
  }

  private async versionsOf(keys: string[]): Promise<(Date | null)[]> {
    const { rows } = await this.db.query<{ key: string; updated_at: Date }>(
      prepared("template-versions", "SELECT key, updated_at FROM templates WHERE key = ANY($1::text[])", [
        [...new Set(keys)],
      ]),
    );
    const byKey = new Map(rows.map((row) => [row.key, row.updated_at]));
    return keys.map((key) => byKey.get(key) ?? null);
  }

  /**
   * A notification's recipient and its template's version, read in one statement: creating from a
   * template needs both before it renders, and one round trip costs this process about half of two.
   * Reads in the same tick share the statement; only for a pool-bound repository.
   */
  recipientAndTemplateVersion(userId: number, templateKey: string): Promise<RecipientAndTemplateVersion> {
    return this.recipientBatcher.add({ userId, templateKey });
  }

  /**
   * The recipient and template version as this process last read them, without a statement, or
   * null when it has not read both. They may have changed since: a notification rendered from them
   * carries `renderedFrom`, and its INSERT stores it only if neither row changed meanwhile. A
   * recipient who gets many notifications thus costs one round trip per notification, not two.
   */
  remembered(
    userId: number,
    templateKey: string,
  ): (RecipientAndTemplateVersion & { renderedFrom: RenderedFrom }) | null {
    const recipient = this.rememberedRecipients.get(userId);
    const template = this.rememberedTemplates.get(templateKey);
    if (!recipient || !template) return null;
    const oldest = performance.now() - REMEMBER_FOR_MS;
    if (recipient.readAt < oldest || template.readAt < oldest) return null;
    return {
      user: recipient.user,
      templateVersion: template.version,
      renderedFrom: { userRowVersion: recipient.rowVersion, templateRowVersion: template.rowVersion },
    };
  }

  /**
   * Drops what this process remembers of a recipient changed or erased through it, so that nothing
   * of an erased person stays in its memory. A read under way may still return them, but it
   * remembers none of the recipients it found.
   */
  forgetRecipient(userId: number): void {
    this.forgotten += 1;
    this.rememberedRecipients.delete(userId);
  }

  private async recipientsAndVersions(reads: RecipientRead[]): Promise<RecipientAndTemplateVersion[]> {
    const forgottenBefore = this.forgotten;
    // Two lookups by key, UNION ALL'd rather than joined: PostgreSQL plans each as it planned the
    // two statements this replaces, where planning a join of users and templates cost it a third more.
    const { rows } = await this.db.query<
      UserProfileRow & { template_key: string | null; template_version: Date | null; row_version: string }
    >(
      prepared(
        "template-recipients",
        `SELECT ${USER_PROFILE_COLUMNS}, NULL::text AS template_key, NULL::timestamptz AS template_version,
                xmin::text AS row_version
           FROM users WHERE id = ANY($1::bigint[])
         UNION ALL
         SELECT ${NO_USER_COLUMNS}, key, updated_at, xmin::text FROM templates WHERE key = ANY($2::text[])`,
        [[...new Set(reads.map((read) => read.userId))], [...new Set(reads.map((read) => read.templateKey))]],
      ),
    );
    const users = new Map<number, UserProfile>();
    const versions = new Map<string, Date>();
    const readAt = performance.now();
    const rememberRecipients = this.forgotten === forgottenBefore;
    for (const row of rows) {
      if (row.template_key === null) {
        const user = toUserProfile(row);
        users.set(row.id, user);
        if (rememberRecipients) {
          remember(this.rememberedRecipients, row.id, { user, rowVersion: row.row_version, readAt });
        }
      } else {
        versions.set(row.template_key, row.template_version!);
        remember(this.rememberedTemplates, row.template_key, {
          version: row.template_version!,
          rowVersion: row.row_version,
          readAt,
        });
      }
    }
    for (const read of reads) {
      if (!users.has(read.userId)) this.rememberedRecipients.delete(read.userId);
      if (!versions.has(read.templateKey)) this.rememberedTemplates.delete(read.templateKey);
    }
    return reads.map((read) => ({
      user: users.get(read.userId) ?? null,
      templateVersion: versions.get(read.templateKey) ?? null,
    }));
  }

  async list(page: { limit: number; offset: number }): Promise<{ count: number; results: Template[] }> {
    const { rows: countRows } = await this.db.query<{ count: number }>(
      "SELECT count(*)::integer AS count FROM templates",
    );
    const { rows } = await this.db.query<TemplateRow>(
      `SELECT ${COLUMNS} FROM templates ORDER BY key LIMIT $1 OFFSET $2`,
      [page.limit, page.offset],
    );
    return { count: countRows[0]?.count ?? 0, results: rows.map(toTemplate) };
  }

  async delete(key: string): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM templates WHERE key = $1", [key]);
    return rowCount === 1;
  }
}

/** Keeps `value` as the newest entry, dropping the oldest beyond MAX_REMEMBERED_ROWS. */
function remember<Key, Value>(entries: Map<Key, Value>, key: Key, value: Value): void {
  entries.delete(key);
  entries.set(key, value);
  if (entries.size > MAX_REMEMBERED_ROWS) entries.delete(entries.keys().next().value as Key);
}
