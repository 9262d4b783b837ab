/**
 * One page of a list whose table grows without bound (notifications, webhook deliveries,
 * suppressions, the sandbox outbox), without counting every row that matches: a page asks
 * PostgreSQL for at most EXACT_COUNT_LIMIT + 1 of them and, when there are more, takes the
 * planner's estimate. An exact count(*) reads every matching row on every page: 400 ms for two
 * million notifications, asked again by an open dashboard each time one is created.
 */

import type { QueryResultRow } from "pg";
import { EXACT_COUNT_LIMIT, type ListedPage } from "../core/model.js";
import type { Queryable } from "./database.js";

/** A list's statement in parts, so that its page and its count read the same rows. */
export interface ListQuery {
  /** The page's rows, without ORDER BY or LIMIT: "SELECT ... FROM t WHERE ...". */
  select: string;
  /** The same rows for counting: "FROM t WHERE ..." (no join that only adds columns). */
  fromWhere: string;
  /** The parameters of both. */
  values: readonly unknown[];
  orderBy: string;
}

/**
 * `page.limit` rows from `page.offset` (read with one more, to learn whether another page exists),
 * and how many rows match.
 */
export async function listedPage<Row extends QueryResultRow, T>(
  db: Queryable,
  query: ListQuery,
  page: { limit: number; offset: number },
  toResult: (row: Row) => T,
): Promise<ListedPage<T>> {
  const { select, fromWhere, values, orderBy } = query;
  const { rows } = await db.query<Row>(
    `${select} ORDER BY ${orderBy} LIMIT $${values.length + 1} OFFSET $${values.length + 2}`,
    [...values, page.limit + 1, page.offset],
  );
  const hasMore = rows.length > page.limit;
  const results = rows.slice(0, page.limit).map(toResult);
  // A page that is not full is the last: the rows before it and on it are the count.
  if (!hasMore && (results.length > 0 || page.offset === 0)) {
    return { count: page.offset + results.length, countExact: true, hasMore, results };
  }
  const { rows: counted } = await db.query<{ count: number }>(
    `SELECT count(*)::integer AS count FROM (SELECT 1 ${fromWhere} LIMIT ${EXACT_COUNT_LIMIT + 1}) capped`,
    [...values],
  );
  const count = counted[0]?.count ?? 0;
  if (count <= EXACT_COUNT_LIMIT) return { count, countExact: true, hasMore, results };
  const { rows: plan } = await db.query<{ "QUERY PLAN": [{ Plan: { "Plan Rows": number } }] }>(
    `EXPLAIN (FORMAT JSON) SELECT 1 ${fromWhere}`,
    [...values],
  );
  const estimate = Math.round(plan[0]?.["QUERY PLAN"][0].Plan["Plan Rows"] ?? 0);
  // Never fewer than are known to exist: those counted, and those up to the end of this page.
  const known = Math.max(count, page.offset + results.length + (hasMore ? 1 : 0));
  return { count: Math.max(estimate, known), countExact: false, hasMore, results };
}
