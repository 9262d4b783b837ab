import {
  RenderedFromChangedError,
  UnknownUsersError,
  unknownUserMessage,
  ValidationError,
} from "../core/errors.js";
import {
  CHANNELS,
  type ListedPage,
  type Metadata,
  type NewNotification,
  type NotificationFilter,
  type PageWindow,
  type RenderedBodies,
  type StoredNotification,
} from "../core/model.js";
import { isDatabaseUnavailable, prepared, type Queryable } from "./database.js";
import { listedPage } from "./listed-page.js";
import { TALLY_DELETED_NOTIFICATIONS } from "./retired-counts.js";
import {
  NOTIFICATION_COLUMNS,
  type NotificationRow,
  notificationColumnsOf,
  renderedToJson,
  toNotification,
} from "./rows.js";
import { TickBatcher } from "./tick-batcher.js";

const unknownUser = (userId: number) => ValidationError.of("user", unknownUserMessage(userId));

/**
 * Many notifications in one INSERT. Rows for unknown users are left out rather than failing the
 * batch (the EXISTS is the check); with `checked`, so are rows rendered from a recipient or a
 * template whose row version (xmin: any UPDATE changes it) is no longer the one remembered.
 */
function insertManyStatement(checked: boolean): string {
  const versions = checked ? ", $13::text[], $14::text[]" : "";
  const versionNames = checked ? ", user_row_version, template_row_version" : "";
  const userCheck = checked
    ? " AND (t.user_row_version IS NULL OR users.xmin = t.user_row_version::xid)"
    : "";
  const templateCheck = checked
    ? `
           AND (t.template_row_version IS NULL OR EXISTS (SELECT 1 FROM templates
                WHERE templates.key = t.template AND templates.xmin = t.template_row_version::xid))`
    : "";
  return `INSERT INTO notifications (user_id, message, subject, channels, template, locale, rendered,
                                     expires_at, priority, next_attempt_at, category, metadata)
         SELECT t.user_id, t.message, t.subject, string_to_array(t.channels, ','), t.template, t.locale,
                t.rendered::jsonb, t.expires_at, t.priority, COALESCE(t.next_attempt_at, now()), t.category,
                t.metadata::jsonb
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::timestamptz[], $9::text[], $10::timestamptz[], $11::text[], $12::text[]${versions})
           WITH ORDINALITY
           AS t(user_id, message, subject, channels, template, locale, rendered, expires_at, priority,
                next_attempt_at, category, metadata${versionNames}, position)
         WHERE EXISTS (SELECT 1 FROM users WHERE users.id = t.user_id${userCheck})${templateCheck}
         ORDER BY t.position
         RETURNING ${NOTIFICATION_COLUMNS}`;
}

const INSERT_MANY = insertManyStatement(false);
const INSERT_MANY_CHECKED = insertManyStatement(true);

export class NotificationsRepository {
  // One insert in flight at a time: the requests that arrive meanwhile share the next one.
  private readonly insertBatcher = new TickBatcher<NewNotification, StoredNotification>(
    (items) => this.insertMany(items),
    500,
    1,
  );

  constructor(private readonly db: Queryable) {}

  /**
   * Like `create`, but shares one INSERT and one commit with the other creates of the same tick:
   * under load that is most of the API's cost. Only for a pool-bound repository, never inside a
   * transaction (other callers' rows would join it).
   */
  createBatched(notification: NewNotification): Promise<StoredNotification> {
    return this.insertBatcher.add(notification);
  }

  private async insertMany(items: NewNotification[]): Promise<(StoredNotification | Error)[]> {
    const checked = items.some((item) => item.renderedFrom);
    if (items.length === 1 && !checked) {
      return [await this.insertOne(items[0]!).catch((error: Error) => error)];
    }
    let rows: NotificationRow[];
    try {
      const values = [
        items.map((item) => item.userId),
        items.map((item) => item.message),
        items.map((item) => item.subject),
        items.map((item) => item.channels?.join(",") ?? null),
        ...extraColumns(items),
      ];
      if (checked) {
        values.push(
          items.map((item) => item.renderedFrom?.userRowVersion ?? null),
          items.map((item) => item.renderedFrom?.templateRowVersion ?? null),
        );
      }
      ({ rows } = await this.db.query<NotificationRow>(
        checked
          ? prepared("insert-notifications-checked", INSERT_MANY_CHECKED, values)
          : prepared("insert-notifications", INSERT_MANY, values),
      ));
    } catch (error) {
      if (items.length === 1) {
        // A checked one alone whose recipient went mid-statement (23503): the caller finds out
        // when it reads again.
        if ((error as { code?: string }).code === "23503") return [new RenderedFromChangedError()];
        throw error;
      }
      // The statement changed nothing. A user deleted mid-batch (23503), or a value only one
      // request carries, must fail only its own request: one by one, then. Not when the database
      // is away: every one would fail again.
      if (isDatabaseUnavailable(error)) throw error;
      return Promise.all(
        items.map((item) =>
          (item.renderedFrom
            ? this.insertMany([item]).then(([result]) => result!)
            : this.insertOne(item)
          ).catch((failure: Error) => failure),
        ),
      );
    }
    // Each request takes a returned row with its own content; identical requests are interchangeable.
    // Those not checked go first: when a checked one and one not checked look the same and one row
    // came back, it is the checked one whose rows changed.
    const unclaimed = rows.map(toNotification);
    const results: (StoredNotification | Error)[] = new Array(items.length);
    for (const pass of [false, true]) {
      items.forEach((item, position) => {
        if (Boolean(item.renderedFrom) !== pass) return;
        let index = unclaimed.findIndex((row) => sameContent(row, item));
        // The driver sends a lone surrogate as U+FFFD: the row holds its text so replaced.
        if (index === -1) index = unclaimed.findIndex((row) => sameContent(row, wellFormed(item)));
        if (index !== -1) results[position] = unclaimed.splice(index, 1)[0]!;
        else
          results[position] = item.renderedFrom ? new RenderedFromChangedError() : unknownUser(item.userId);
      });
    }
    return results;
  }

  async createMany(notifications: NewNotification[]): Promise<StoredNotification[]> {
    let rows: NotificationRow[];
    try {
      ({ rows } = await this.db.query<NotificationRow>(
        prepared("insert-notifications", INSERT_MANY, [
          notifications.map((item) => item.userId),
          notifications.map((item) => item.message),
          notifications.map((item) => item.subject),
          notifications.map((item) => item.channels?.join(",") ?? null),
          ...extraColumns(notifications),
        ]),
      ));
    } catch (error) {
      // A user deleted between the statement's EXISTS and its foreign key check: it cannot be named
      // here (the failed statement ended the transaction), and nothing was stored.
      if ((error as { code?: string }).code === "23503") throw new UnknownUsersError([]);
      throw error;
    }
    if (rows.length < notifications.length) {
      // The INSERT left out the rows of unknown users; the caller's transaction must store none.
      const stored = new Set(rows.map((row) => Number(row.user_id)));
      throw new UnknownUsersError([
        ...new Set(notifications.map((item) => item.userId).filter((id) => !stored.has(id))),
      ]);
    }
    // Ids are taken in the statement's order (ORDER BY position), so sorting by id restores it.
    return rows.map(toNotification).sort((a, b) => a.id - b.id);
  }

  async create(notification: NewNotification): Promise<StoredNotification> {
    if (!notification.renderedFrom) return this.insertOne(notification);
    const [result] = await this.insertMany([notification]);
    if (result instanceof Error) throw result;
    return result!;
  }

  private async insertOne(notification: NewNotification): Promise<StoredNotification> {
    try {
      const { rows } = await this.db.query<NotificationRow>(
        prepared(
          "insert-notification",
          `INSERT INTO notifications (user_id, message, subject, channels, template, locale, rendered,
                                     expires_at, priority, next_attempt_at, category, metadata)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, COALESCE($10::timestamptz, now()), $11, $12::jsonb)
         RETURNING ${NOTIFICATION_COLUMNS}`,
          [
            notification.userId,
            notification.message,
            notification.subject,
            notification.channels,
            ...extraColumns([notification]).map((column) => column[0]),
          ],
        ),
      );
      return toNotification(rows[0]!);
    } catch (error) {
      // 23503: foreign key violation; the user is checked by the insert itself, so no race.
      if ((error as { code?: string }).code === "23503") throw unknownUser(notification.userId);
      throw error;
    }
  }

  async findById(id: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE id = $1`,
      [id],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  async list(filter: NotificationFilter, page: PageWindow): Promise<ListedPage<StoredNotification>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.userId !== undefined) {
      values.push(filter.userId);
      conditions.push(`user_id = $${values.length}`);
    }
    if (filter.status !== undefined) {
      values.push(filter.status);
      conditions.push(`status = $${values.length}`);
    }
    if (filter.lastChannel !== undefined) {
      values.push(filter.lastChannel);
      conditions.push(`last_channel = $${values.length}`);
    }
    if (filter.category !== undefined) {
      values.push(filter.category);
      conditions.push(`category = $${values.length}`);
    }
    if (filter.scheduled !== undefined) {
      conditions.push(
        filter.scheduled
          ? "status = 'pending' AND next_attempt_at > now()"
          : "status = 'pending' AND next_attempt_at <= now()",
      );
    }
    if (filter.broadcastId !== undefined) {
      values.push(filter.broadcastId);
      conditions.push(`broadcast_id = $${values.length}`);
    }
    if (filter.metadata !== undefined) {
      // Containment, which the partial GIN index answers; metadata IS NOT NULL lets the planner use it.
      values.push(JSON.stringify(filter.metadata));
      conditions.push(`metadata IS NOT NULL AND metadata @> $${values.length}::jsonb`);
    }
    if (page.beforeId !== undefined) {
      values.push(page.beforeId);
      conditions.push(`id < $${values.length}`);
    }
    if (filter.search !== undefined && filter.search !== "") {
      values.push(escapeLikePattern(filter.search));
      conditions.push(`message ILIKE '%' || $${values.length} || '%' ESCAPE '\\'`);
    }
    const fromWhere = `FROM notifications ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}`;
    return listedPage(
      this.db,
      { select: `SELECT ${NOTIFICATION_COLUMNS} ${fromWhere}`, fromWhere, values, orderBy: "id DESC" },
      page,
      toNotification,
    );
  }

  /**
   * Deletes up to `limit` finished notifications (sent, failed, cancelled, expired) created more than
   * `days` ago, with their attempts, outbox rows and idempotency keys (ON DELETE CASCADE).
   * Pending ones stay whatever their age. Returns how many were deleted.
   */
  async deleteFinishedOlderThan(days: number, limit: number): Promise<number> {
    const { rows } = await this.db.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM notifications WHERE id IN (
           SELECT id FROM notifications
           WHERE created_at < now() - make_interval(secs => $1)
             AND status IN ('sent', 'failed', 'cancelled', 'expired')
           LIMIT $2)
         RETURNING id, status, last_channel),
       ${TALLY_DELETED_NOTIFICATIONS}
       SELECT count(*)::integer AS deleted FROM gone`,
      [days * 86_400, limit],
    );
    return rows[0]?.deleted ?? 0;
  }

  /**
   * Stops a pending notification: a worker holding it loses its lease, so it can neither mark it
   * sent or failed nor schedule another round (each of those requires the lease and 'pending').
   */
  async cancel(id: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `UPDATE notifications
         SET status = 'cancelled', next_attempt_at = NULL, lease_owner = NULL, lease_expires_at = NULL,
             updated_at = now()
       WHERE id = $1 AND status = 'pending'
       RETURNING ${NOTIFICATION_COLUMNS}`,
      [id],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }

  /**
   * Puts a failed or cancelled notification back to pending for a fresh series of rounds, due
   * now. The series starts at the next unused round (after every round that has attempts, and no
   * earlier than the round it was waiting for), so the timeline keeps every past attempt and
   * retry_count goes on counting. Refused (null) when the notification was delivered after all,
   * or while an attempt of the round that was cancelled may still be talking to its provider.
   * A failure taken back stays counted for /metrics (retired_counts): the row is locked first, so
   * the status it had is the one this update changed.
   */
  async retryManually(id: number, inFlightSeconds: number): Promise<StoredNotification | null> {
    const { rows } = await this.db.query<NotificationRow>(
      `WITH previous AS (SELECT status, last_channel FROM notifications WHERE id = $1 FOR UPDATE),
       retried AS (
       UPDATE notifications n
         SET status = 'pending',
             retry_count = GREATEST(n.retry_count, a.highest_round),
             history_from_round = GREATEST(n.retry_count, a.highest_round) + 1,
             next_attempt_at = now(), failure_reason = NULL, sent_at = NULL,
             lease_owner = NULL, lease_expires_at = NULL, updated_at = now()
       FROM (SELECT COALESCE(max(round), 0) AS highest_round,
                    bool_or(status = 'sent') AS delivered,
                    bool_or(status = 'in_progress' AND started_at > now() - make_interval(secs => $2)) AS busy
               FROM attempts WHERE notification_id = $1) a, previous p
       WHERE n.id = $1 AND n.status IN ('failed', 'cancelled')
         AND a.delivered IS NOT TRUE AND a.busy IS NOT TRUE
       RETURNING ${notificationColumnsOf("n")}, p.status AS previous_status),
       tallied AS (
         INSERT INTO retired_counts AS r (series, channel, count)
         SELECT 'failed', COALESCE(last_channel, ''), 1 FROM retried WHERE previous_status = 'failed'
         ON CONFLICT (series, channel, status, error_kind) DO UPDATE SET count = r.count + 1)
       SELECT * FROM retried`,
      [id, inFlightSeconds],
    );
    return rows[0] ? toNotification(rows[0]) : null;
  }
}

/** The columns scheduling and templates added, as one array per column for unnest. */
function extraColumns(items: NewNotification[]): unknown[][] {
  return [
    items.map((item) => item.template ?? null),
    items.map((item) => item.locale ?? null),
    items.map((item) => (item.rendered ? JSON.stringify(renderedToJson(item.rendered)) : null)),
    items.map((item) => item.expiresAt ?? null),
    items.map((item) => item.priority ?? "normal"),
    items.map((item) => item.nextAttemptAt ?? null),
    items.map((item) => item.category ?? null),
    items.map((item) => (item.metadata ? JSON.stringify(item.metadata) : null)),
  ];
}

/** Whether a returned row can be the one inserted for `item`. */
function sameContent(row: StoredNotification, item: NewNotification): boolean {
  return (
    row.userId === item.userId &&
    row.message === item.message &&
    row.subject === item.subject &&
    (row.channels?.join(",") ?? null) === (item.channels?.join(",") ?? null) &&
    sameScheduling(row, item)
  );
}

/** jsonb keeps an object's keys in an order of its own: the same labels, whatever their order. */
function sameMetadata(row: Metadata | null, item: Metadata | null): boolean {
  if (row === null || item === null) return row === item;
  const keys = Object.keys(item);
  return Object.keys(row).length === keys.length && keys.every((key) => row[key] === item[key]);
}

/** The texts of a plain notification as PostgreSQL stores them: a lone surrogate becomes U+FFFD. */
function wellFormed(item: NewNotification): NewNotification {
  return { ...item, message: item.message.toWellFormed(), subject: item.subject?.toWellFormed() ?? null };
}

/** Whether a returned row can be the one inserted for `item`, beyond user, message, subject and channels. */
function sameScheduling(row: StoredNotification, item: NewNotification): boolean {
  const time = (date: Date | null | undefined) => date?.getTime() ?? null;
  return (
    row.template === (item.template ?? null) &&
    row.locale === (item.locale ?? null) &&
    row.priority === (item.priority ?? "normal") &&
    row.category === (item.category ?? null) &&
    sameMetadata(row.metadata, item.metadata ?? null) &&
    time(row.expiresAt) === time(item.expiresAt) &&
    (item.nextAttemptAt ? time(row.nextAttemptAt) === time(item.nextAttemptAt) : true) &&
    sameRendered(row.rendered, item.rendered ?? null)
  );
}

/**
 * Whether the bodies read back are those rendered, field by field: a field left out reads as null,
 * as it is shown. Not by comparing JSON: sorting the keys of every object cost a template
 * notification more than the rest of its matching.
 */
function sameRendered(stored: RenderedBodies | null, rendered: RenderedBodies | null): boolean {
  if (stored === null || rendered === null) return stored === rendered;
  for (const channel of CHANNELS) {
    const a = stored[channel];
    const b = rendered[channel];
    if (a === undefined || b === undefined) {
      if (a !== b) return false;
    } else if (
      a.text !== b.text ||
      (a.subject ?? null) !== (b.subject ?? null) ||
      (a.html ?? null) !== (b.html ?? null) ||
      (a.parseMode ?? null) !== (b.parseMode ?? null)
    ) {
      return false;
    }
  }
  return true;
}

/** Escapes LIKE's wildcards and its escape character, so the text matches only itself. */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}
