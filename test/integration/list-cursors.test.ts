/**
 * `before=` on every list that grows newest first (users, suppressions, the outbox, a webhook's
 * deliveries; notifications are walked in list-counts.test.ts): walking by the last id of each
 * page sees every row once, even when rows are added meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.js";

describe("walking the lists by before=", () => {
  let service: TestService;
  let webhookId: number;
  let notificationId: number;
  let added = 0;

  beforeAll(async () => {
    service = await startTestService({ worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } });
    const user = await service.createUser({ email: "cursor@example.com", password: "long enough" });
    notificationId = (await service.createNotification({ user: user.id, message: "for the outbox" })).id;
    const webhook = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: "http://127.0.0.1:9/hooks", events: ["*"] },
    });
    webhookId = webhook.json().id;
  });
  afterAll(async () => {
    await service?.close();
  });

  const sql = (text: string, values: unknown[] = []) => service.core.pool.query(text, values);

  /** Adds one row to the list, as a client working meanwhile would. */
  const addTo: Record<string, () => Promise<unknown>> = {
    users: () =>
      sql("INSERT INTO users (email, password_hash) VALUES ($1, 'x')", [`added${added++}@example.com`]),
    suppressions: () =>
      sql("INSERT INTO suppressions (channel, address, reason, source) VALUES ('sms', $1, 'manual', 'api')", [
        `+7999555${String(added++).padStart(4, "0")}`,
      ]),
    outbox: () =>
      sql(
        "INSERT INTO outbox (notification_id, channel, to_address, text) VALUES ($1, 'sms', '+79990000000', 'x')",
        [notificationId],
      ),
    deliveries: async () => {
      const event = `msg_cursor_${added++}`;
      await sql("INSERT INTO webhook_events (id, type, payload) VALUES ($1, 'test', '{}')", [event]);
      await sql("INSERT INTO webhook_deliveries (event_id, endpoint_id) VALUES ($1, $2)", [event, webhookId]);
    },
  };
  const urls: Record<string, () => string> = {
    users: () => "/api/users/",
    suppressions: () => "/api/suppressions/",
    outbox: () => "/api/outbox/",
    deliveries: () => `/api/webhooks/${webhookId}/deliveries/`,
  };
  const tables: Record<string, string> = {
    users: "SELECT id FROM users ORDER BY id DESC",
    suppressions: "SELECT id FROM suppressions ORDER BY id DESC",
    outbox: "SELECT id FROM outbox ORDER BY id DESC",
    deliveries: "SELECT id FROM webhook_deliveries ORDER BY id DESC",
  };

  for (const list of Object.keys(addTo)) {
    it(`walks ${list} once each, newest first, while rows are added`, async () => {
      for (let i = 0; i < 7; i++) await addTo[list]!();
      const expected = (await sql(tables[list]!)).rows.map((row) => Number(row.id));
      const seen: number[] = [];
      let before: number | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const response = await service.inject({
          method: "GET",
          url: `${urls[list]!()}?page_size=2${before === undefined ? "" : `&before=${before}`}`,
        });
        expect(response.statusCode, list).toBe(200);
        const page = response.json();
        seen.push(...page.results.map((row: { id: number }) => row.id));
        // A row added after the walk started is newer than every cursor: it never shows.
        await addTo[list]!();
        if (page.next === null) break;
        before = page.results.at(-1).id;
      }
      expect(seen).toEqual(expected);

      // Following `next` from a walk by id goes on by id, not by page.
      const followed: number[] = [];
      let next: string | null = `${urls[list]!()}?page_size=3&before=${expected[0]! + 1}`;
      while (next !== null && followed.length < 100) {
        const url: URL = new URL(next, "http://localhost");
        if (followed.length > 0) {
          expect(url.searchParams.get("page"), next).toBeNull();
          expect(Number(url.searchParams.get("before")), next).toBe(followed.at(-1));
        }
        const page = (await service.inject({ method: "GET", url: url.pathname + url.search })).json();
        followed.push(...page.results.map((row: { id: number }) => row.id));
        next = page.next;
      }
      expect(followed).toEqual(expected);

      const bad = await service.inject({ method: "GET", url: `${urls[list]!()}?before=soon` });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({ before: ["Enter a whole number of at least 1."] });
    });
  }
});
