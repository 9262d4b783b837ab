/**
 * Django REST Framework's page-number pagination: `?page=&page_size=`, answered as
 * `{count, count_exact, next, previous, results}` (count_exact is ours: see ListedPage).
 */
import type { FastifyRequest } from "fastify";
import { ValidationError } from "../../core/errors.js";
import type { ListedPage, PageWindow } from "../../core/model.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class PageNotFound extends Error {
  readonly statusCode = 404;
  constructor() {
    super("Invalid page.");
  }
}

/** Reads a whole number of at least 1 from a query value; records a field problem when it is not one. */
export function positiveInteger(
  problems: Record<string, string[]>,
  field: string,
  raw: string | undefined,
  fallback: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    problems[field] = [
      max < Number.MAX_SAFE_INTEGER
        ? `Enter a whole number from 1 to ${max}.`
        : value > max
          ? `Ensure this value is at most ${max}.`
          : "Enter a whole number of at least 1.",
    ];
    return fallback;
  }
  return value;
}

/**
 * `?page=&page_size=` (and `before=` where the list takes it) read and checked: a 400 naming each
 * field that is not a whole number in range, with those already in `problems`.
 */
export function pageParams(
  query: { page?: string; page_size?: string; before?: string },
  problems: Record<string, string[]> = {},
): { page: number; pageSize: number; window: PageWindow } {
  const page = positiveInteger(problems, "page", query.page, 1);
  const pageSize = positiveInteger(problems, "page_size", query.page_size, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
  const beforeId =
    query.before === undefined || query.before === ""
      ? undefined
      : positiveInteger(problems, "before", query.before, 0);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const window: PageWindow = { limit: pageSize, offset: (page - 1) * pageSize };
  if (beforeId !== undefined) window.beforeId = beforeId;
  return { page, pageSize, window };
}

/**
 * The page as the API answers it. A list that counts exactly (`{count, results}`, or `countExact`)
 * has a last page, and a page after it is a 404; a count that is PostgreSQL's estimate says
 * nothing certain about the end, so only an empty page is a 404. `next` follows `hasMore` when the
 * list read one row more to learn it.
 */
export function paginate<T>(
  request: FastifyRequest,
  page: number,
  pageSize: number,
  found: { count: number; results: T[] } | ListedPage<T>,
): { count: number; count_exact: boolean; next: string | null; previous: string | null; results: T[] } {
  const countExact = !("countExact" in found) || found.countExact;
  const lastPage = Math.max(1, Math.ceil(found.count / pageSize));
  const hasMore = "hasMore" in found ? found.hasMore : page < lastPage;
  const beyondTheEnd = countExact ? page > lastPage : page > 1 && found.results.length === 0;
  if (beyondTheEnd) throw new PageNotFound();
  // A walk by id (before=) goes on by id: the next page is the one before this page's last row,
  // which costs what the first did, where page + 1 would cost its offset.
  const url = new URL(request.url, `${request.protocol}://${request.host}`);
  const lastId = (found.results.at(-1) as { id?: unknown } | undefined)?.id;
  const byId = typeof lastId === "number" && url.searchParams.has("before");
  return {
    count: found.count,
    count_exact: countExact,
    next: hasMore ? (byId ? beforeUrl(url, lastId) : pageUrl(url, page + 1)) : null,
    previous: page > 1 ? pageUrl(url, page - 1) : null,
    results: found.results,
  };
}

/** The request's URL walking on by id: before its last row, without a page. */
function beforeUrl(requested: URL, lastId: number): string {
  const url = new URL(requested);
  url.searchParams.set("before", String(lastId));
  url.searchParams.delete("page");
  return url.toString();
}

/** The request's URL at another page. */
function pageUrl(requested: URL, page: number): string {
  const url = new URL(requested);
  url.searchParams.set("page", String(page));
  return url.toString();
}
