import type {
  Channel,
  ListedPage,
  NewOutboxEntry,
  OutboxEntry,
  OutboxFilter,
  PageWindow,
} from "../core/model.js";
import type { Queryable } from "./database.js";
import { listedPage } from "./listed-page.js";

interface OutboxRow {
  id: number;
  notification_id: number;
  channel: string;
  to_address: string;
  subject: string | null;
  text: string;
  created_at: Date;
}

const toEntry = (row: OutboxRow): OutboxEntry => ({
  id: row.id,
  notificationId: row.notification_id,
  channel: row.channel as Channel,
  to: row.to_address,
  subject: row.subject,
  text: row.text,
  createdAt: row.created_at,
});

/** The delivery sandbox's outbox: what each channel would have sent, to whom. */
export class OutboxRepository {
  constructor(private readonly db: Queryable) {}

  async add(entry: NewOutboxEntry): Promise<OutboxEntry> {
    const { rows } = await this.db.query<OutboxRow>(
      `INSERT INTO outbox (notification_id, channel, to_address, subject, text)
       VALUES ($1, $2, $3, $4, $5) RETURNING *`,
      [entry.notificationId, entry.channel, entry.to, entry.subject, entry.text],
    );
    return toEntry(rows[0]!);
  }

  async list(filter: OutboxFilter, page: PageWindow): Promise<ListedPage<OutboxEntry>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.channel !== undefined) {
      values.push(filter.channel);
      conditions.push(`channel = $${values.length}`);
    }
    if (filter.notificationId !== undefined) {
      values.push(filter.notificationId);
      conditions.push(`notification_id = $${values.length}`);
    }
    if (page.beforeId !== undefined) {
      values.push(page.beforeId);
      conditions.push(`id < $${values.length}`);
    }
    const fromWhere = `FROM outbox ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}`;
    return listedPage(
      this.db,
      { select: `SELECT * ${fromWhere}`, fromWhere, values, orderBy: "id DESC" },
      page,
      toEntry,
    );
  }
}
