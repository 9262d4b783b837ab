/**
 * A long list is not counted row by row on every page: past EXACT_COUNT_LIMIT matches the count is
 * PostgreSQL's estimate (count_exact false), while `next` and the last page stay exact.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXACT_COUNT_LIMIT } from "../../src/core/model.js";
import { startTestService, type TestService } from "../support/test-service.js";

interface ListPage {
  count: number;
  count_exact: boolean;
  next: string | null;
  previous: string | null;
  results: { id: number }[];
}

describe("counting a long list", () => {
  const MANY = EXACT_COUNT_LIMIT + 2_345;
  let service: TestService;
  let crowded: number;
  let quiet: number;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
    crowded = (await service.createUser({ email: "crowded@example.com", password: "long enough" })).id;
    quiet = (await service.createUser({ email: "quiet@example.com", password: "long enough" })).id;
    for (const message of ["one", "two", "three"]) await service.createNotification({ user: quiet, message });
    // Rows as the API stores them, made in one statement: creating 12,000 through it would take a minute.
    await service.core.pool.query(
      `INSERT INTO notifications (user_id, message, status, next_attempt_at)
       SELECT $1, 'bulk ' || n, 'pending', now() FROM generate_series(1, $2) n`,
      [crowded, MANY],
    );
    // Exactly the limit of them failed.
    await service.core.pool.query(
      `UPDATE notifications SET status = 'failed', next_attempt_at = NULL
       WHERE id IN (SELECT id FROM notifications WHERE user_id = $1 ORDER BY id LIMIT $2)`,
      [crowded, EXACT_COUNT_LIMIT],
    );
    await service.core.pool.query("ANALYZE notifications");
  }, 60_000);
  afterAll(async () => {
    await service?.close();
  });

  const list = async (query: Record<string, string>, status = 200) => {
    const response = await service.inject({
      method: "GET",
      url: `/api/notifications/?${new URLSearchParams(query)}`,
    });
    expect(response.statusCode, response.body).toBe(status);
    return response.json() as ListPage;
  };

  it("gives PostgreSQL's estimate past the limit, and a next page", async () => {
    const first = await list({ page_size: "200" });
    expect(first.count_exact).toBe(false);
    // The estimate after ANALYZE, not merely "more than the limit".
    expect(first.count).toBeGreaterThan(MANY * 0.9);
    expect(first.count).toBeLessThan(MANY * 1.1);
    expect(first.results).toHaveLength(200);
    expect(first.next).toContain("page=2");
    expect(first.previous).toBeNull();
    expect(first.results[0]!.id).toBeGreaterThan(first.results[199]!.id);
  });

  it("counts exactly on the last page, and answers 404 after it", async () => {
    const total = MANY + 3;
    const lastPage = Math.ceil(total / 200);
    const last = await list({ page_size: "200", page: String(lastPage) });
    expect(last).toMatchObject({ count: total, count_exact: true, next: null });
    expect(last.results).toHaveLength(total - (lastPage - 1) * 200);
    const beforeLast = await list({ page_size: "200", page: String(lastPage - 1) });
    expect(beforeLast.count_exact).toBe(false);
    expect(beforeLast.next).toContain(`page=${lastPage}`);
    const after = await list({ page_size: "200", page: String(lastPage + 1) }, 404);
    expect(after).toMatchObject({ detail: "Invalid page." });
  });

  it("walks the whole list by id with before: every row once, none repeated when one is created meanwhile", async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await list({
        user: String(crowded),
        page_size: "200",
        ...(before ? { before: String(before) } : {}),
      });
      seen.push(...page.results.map((n) => n.id));
      if (page.next === null) break;
      before = page.results.at(-1)!.id;
      if (seen.length === 200)
        await service.createNotification({ user: crowded, message: "created meanwhile" });
    }
    expect(seen).toHaveLength(MANY);
    expect(new Set(seen).size).toBe(MANY);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    const older = await list({ user: String(crowded), before: String(seen[MANY - 3]), page_size: "200" });
    expect(older).toMatchObject({ count: 2, count_exact: true, next: null });
    expect(older.results.map((n) => n.id)).toEqual(seen.slice(MANY - 2));
    const refused = await service.inject({ method: "GET", url: "/api/notifications/?before=soon" });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ before: ["Enter a whole number of at least 1."] });
    // 0 is a whole number: the message says why it is refused.
    const zero = await service.inject({ method: "GET", url: "/api/notifications/?before=0&page=0" });
    expect(zero.json()).toEqual({
      before: ["Enter a whole number of at least 1."],
      page: ["Enter a whole number of at least 1."],
    });
    // Past the ids JavaScript counts exactly: "at least 1" would not say what is wrong.
    const huge = await service.inject({
      method: "GET",
      url: "/api/notifications/?before=99999999999999999999&page=9007199254740992",
    });
    expect(huge.statusCode).toBe(400);
    expect(huge.json()).toEqual({
      before: ["Ensure this value is at most 9007199254740991."],
      page: ["Ensure this value is at most 9007199254740991."],
    });
  });

  it("counts exactly up to the limit", async () => {
    expect(await list({ user: String(quiet), page_size: "2" })).toMatchObject({
      count: 3,
      count_exact: true,
      next: expect.stringContaining("page=2"),
    });
    expect(await list({ user: String(quiet), page_size: "2", page: "2" })).toMatchObject({
      count: 3,
      count_exact: true,
      next: null,
    });
    await list({ user: String(quiet), page_size: "2", page: "3" }, 404);
    expect(await list({ search: "no such text" })).toMatchObject({ count: 0, count_exact: true, next: null });
    // Exactly the limit: still counted.
    expect(await list({ status: "failed", page_size: "200" })).toMatchObject({
      count: EXACT_COUNT_LIMIT,
      count_exact: true,
      next: expect.stringContaining("page=2"),
    });
  });
});
