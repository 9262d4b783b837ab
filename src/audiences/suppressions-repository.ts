/** Suppressed addresses as stored: listed, added by hand, removed. The worker adds its own in the attempt's statement. */

import type { Channel, ListedPage, PageWindow, SuppressionReason } from "../core/model.js";
import { prepared, type Queryable } from "../db/database.js";
import { listedPage } from "../db/listed-page.js";
import type { NewSuppression, Suppression, SuppressionFilter } from "./suppression.js";

export interface SuppressionRow {
  id: number;
  channel: string;
  address: string;
  reason: string;
  source: string;
  evidence: Record<string, unknown> | null;
  created_at: Date | string;
}

export const SUPPRESSION_COLUMNS = "id, channel, address, reason, source, evidence, created_at";
const COLUMNS = SUPPRESSION_COLUMNS;

export const toSuppression = (row: SuppressionRow): Suppression => ({
  id: Number(row.id),
  channel: row.channel as Channel,
  address: row.address,
  reason: row.reason as SuppressionReason,
  source: row.source as Suppression["source"],
  evidence: row.evidence,
  // A row read as JSON (to_jsonb) carries its time as text.
  createdAt: new Date(row.created_at),
});

export class SuppressionsRepository {
  constructor(private readonly db: Queryable) {}

  async list(filter: SuppressionFilter, page: PageWindow): Promise<ListedPage<Suppression>> {
    const conditions: string[] = [];
    const values: unknown[] = [];
    if (filter.channel !== undefined) {
      values.push(filter.channel);
      conditions.push(`channel = $${values.length}`);
    }
    if (filter.address !== undefined) {
      values.push(filter.address);
      conditions.push(`address = $${values.length}`);
    }
    if (filter.addresses !== undefined) {
      values.push(filter.addresses.map((entry) => entry.channel));
      values.push(filter.addresses.map((entry) => entry.address));
      conditions.push(
        `(channel, address) IN (SELECT * FROM unnest($${values.length - 1}::text[], $${values.length}::text[]))`,
      );
    }
    if (page.beforeId !== undefined) {
      values.push(page.beforeId);
      conditions.push(`id < $${values.length}`);
    }
    const fromWhere = `FROM suppressions ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""}`;
    return listedPage(
      this.db,
      { select: `SELECT ${COLUMNS} ${fromWhere}`, fromWhere, values, orderBy: "id DESC" },
      page,
      toSuppression,
    );
  }

  /** The new suppression, or null when the address is suppressed already. */
  async add(suppression: NewSuppression): Promise<Suppression | null> {
    const { rows } = await this.db.query<SuppressionRow>(
      prepared(
        "add-suppression",
        `INSERT INTO suppressions (channel, address, reason, source, evidence)
         VALUES ($1, $2, $3, $4, $5::jsonb)
         ON CONFLICT (channel, address) DO NOTHING
         RETURNING ${COLUMNS}`,
        [
          suppression.channel,
          suppression.address,
          suppression.reason,
          suppression.source,
          suppression.evidence ? JSON.stringify(suppression.evidence) : null,
        ],
      ),
    );
    return rows[0] ? toSuppression(rows[0]) : null;
  }

  async findById(id: number): Promise<Suppression | null> {
    const { rows } = await this.db.query<SuppressionRow>(
      `SELECT ${COLUMNS} FROM suppressions WHERE id = $1`,
      [id],
    );
    return rows[0] ? toSuppression(rows[0]) : null;
  }

  async findByAddress(channel: Channel, address: string): Promise<Suppression | null> {
    const { rows } = await this.db.query<SuppressionRow>(
      `SELECT ${COLUMNS} FROM suppressions WHERE channel = $1 AND address = $2`,
      [channel, address],
    );
    return rows[0] ? toSuppression(rows[0]) : null;
  }

  /** The removed suppression, or null when there was none with that id. */
  async remove(id: number): Promise<Suppression | null> {
    const { rows } = await this.db.query<SuppressionRow>(
      `DELETE FROM suppressions WHERE id = $1 RETURNING ${COLUMNS}`,
      [id],
    );
    return rows[0] ? toSuppression(rows[0]) : null;
  }
}
