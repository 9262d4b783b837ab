/**
 * Finding recipients by a contact (GET /api/users/) and erasing one (DELETE /api/users/{id}/),
 * including while the worker is delivering to them and after the API has remembered them for a
 * template.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { asFastifyLogger, captureLogs } from "../support/captured-logs.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("recipients: finding and erasing", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  const logs = captureLogs();
  let nextChat = 610_000;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({
      env: providers.env({
        MAX_RETRIES: "0",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      }),
      logger: logs.logger,
      httpLogger: asFastifyLogger(logs.logger),
    });
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => providers.reset());

  const get = (url: string) => service.inject({ method: "GET", url });
  const erase = (id: number) => service.inject({ method: "DELETE", url: `/api/users/${id}/` });
  const newUser = (fields: Record<string, unknown> = {}) =>
    service.createUser({
      email: `user${nextChat}@example.com`,
      password: "long enough",
      telegram_id: String(nextChat++),
      ...fields,
    });
  const count = async (sql: string, values: unknown[]) =>
    (await service.core.pool.query<{ n: number }>(sql, values)).rows[0]!.n;

  it("finds a recipient by email, phone number or chat id, however the contact is written", async () => {
    const ann = await newUser({ email: "Ann@Example.com", phone_number: "+7 999 100-00-01" });
    const bob = await newUser({ email: "bob@example.com", phone_number: "89991000002", telegram_id: null });
    const group = await newUser({ email: "group@example.com", telegram_id: "-1001234567" });

    const only = async (query: string) => {
      const response = await get(`/api/users/?${query}`);
      expect(response.statusCode, query).toBe(200);
      const page = response.json();
      expect(page.count, query).toBe(page.results.length);
      expect(page.count_exact, query).toBe(true);
      return page.results.map((user: { id: number }) => user.id);
    };
    expect(await only("email=ANN%40example.COM")).toEqual([ann.id]);
    expect(await only("email=%20bob%40example.com%20")).toEqual([bob.id]);
    expect(await only(`phone_number=${encodeURIComponent("8 (999) 100-00-01")}`)).toEqual([ann.id]);
    expect(await only("phone_number=%2B79991000002")).toEqual([bob.id]);
    expect(await only("telegram_id=-1001234567")).toEqual([group.id]);
    expect(await only("email=nobody%40example.com")).toEqual([]);
    // Every filter given must match.
    expect(await only("email=bob%40example.com&phone_number=%2B79991000001")).toEqual([]);
    expect(await only("email=bob%40example.com&phone_number=%2B79991000002")).toEqual([bob.id]);

    const found = (await get("/api/users/?email=ann%40example.com")).json();
    expect(found.results[0]).toEqual(ann);
    expect(JSON.stringify(found)).not.toContain("scrypt");
  });

  it("lists every recipient newest first, a page at a time", async () => {
    for (let i = 0; i < 3; i++) await newUser();
    const { rows } = await service.core.pool.query<{ id: number }>("SELECT id FROM users ORDER BY id DESC");
    const all = rows.map((row) => Number(row.id));

    const first = (await get("/api/users/?page_size=2")).json();
    expect(first).toMatchObject({ count: all.length, count_exact: true, previous: null });
    expect(first.results.map((user: { id: number }) => user.id)).toEqual(all.slice(0, 2));
    expect(new URL(first.next).searchParams.get("page")).toBe("2");
    const second = (await get("/api/users/?page_size=2&page=2")).json();
    expect(second.results.map((user: { id: number }) => user.id)).toEqual(all.slice(2, 4));
  });

  it("answers a filter that names no possible contact with a 400 naming it", async () => {
    for (const [query, field] of [
      ["email=not-an-email", "email"],
      ["phone_number=call%20me", "phone_number"],
      ["telegram_id=12ab", "telegram_id"],
      ["page_size=0", "page_size"],
    ] as const) {
      const response = await get(`/api/users/?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(Object.keys(response.json()), query).toEqual([field]);
    }
  });

  it("erases a recipient with their notifications, attempts, keys and preferences, and nothing else", async () => {
    // Webhook events carry a copy of the notification, message and all: they must go too. The
    // receiver is a closed port: deliveries fail, but the events are stored.
    const webhook = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: "http://127.0.0.1:9/hooks", events: ["notification.sent"] },
    });
    expect(webhook.statusCode).toBe(201);
    const erased = await newUser({ phone_number: "+79991000077" });
    const kept = await newUser();
    const sent = await service.createNotification({
      user: erased.id,
      message: "one",
      channels: ["telegram"],
    });
    await service.waitForStatus(sent.id, "sent");
    const keyed = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      headers: { "idempotency-key": "erase-me-1" },
      payload: { user: erased.id, message: "two", channels: ["telegram"] },
    });
    expect(keyed.statusCode).toBe(201);
    const later = await service.createNotification({
      user: erased.id,
      message: "three",
      send_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const theirs = [sent.id, keyed.json().id, later.id];
    await service.waitForStatus(keyed.json().id, "sent");
    const other = await service.createNotification({
      user: kept.id,
      message: "kept",
      channels: ["telegram"],
    });
    await service.waitForStatus(other.id, "sent");
    const events = (ids: number[]) =>
      count("SELECT count(*)::int AS n FROM webhook_events WHERE notification_id = ANY($1)", [ids]);
    await waitFor("the sent events", async () =>
      (await events([...theirs, other.id])) === 3 ? true : undefined,
    );
    const preferences = await service.inject({
      method: "PUT",
      url: `/api/users/${erased.id}/preferences/`,
      payload: { channels: { email: false } },
    });
    expect(preferences.statusCode).toBe(200);
    const suppressed = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "sms", address: "+79991000077", reason: "unsubscribed" },
    });
    expect(suppressed.statusCode).toBe(201);

    const response = await erase(erased.id);
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe("");

    expect((await get(`/api/users/${erased.id}/`)).statusCode).toBe(404);
    expect((await get(`/api/users/${erased.id}/preferences/`)).statusCode).toBe(404);
    for (const id of theirs) expect((await get(`/api/notifications/${id}/`)).statusCode).toBe(404);
    expect(await count("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1", [erased.id])).toBe(
      0,
    );
    expect(
      await count("SELECT count(*)::int AS n FROM attempts WHERE notification_id = ANY($1)", [theirs]),
    ).toBe(0);
    expect(
      await count("SELECT count(*)::int AS n FROM idempotency_keys WHERE key = $1", ["erase-me-1"]),
    ).toBe(0);
    expect(await events(theirs)).toBe(0);
    expect(await events([other.id])).toBe(1);
    expect((await get(`/api/notifications/?user=${erased.id}`)).json().count).toBe(0);

    // The other recipient's notification, attempts and all, is untouched.
    const untouched = await service.getNotification(other.id);
    expect(untouched).toMatchObject({ status: "sent", attempts: [{ status: "sent", channel: "telegram" }] });
    // The address stays suppressed: the suppression belongs to the number, not to the user.
    const stillSuppressed = (await get("/api/suppressions/?address=%2B79991000077")).json();
    expect(stillSuppressed.results).toEqual([expect.objectContaining({ id: suppressed.json().id })]);

    expect((await erase(erased.id)).statusCode).toBe(404);
    const again = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      headers: { "idempotency-key": "erase-me-1" },
      payload: { user: erased.id, message: "two", channels: ["telegram"] },
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toEqual({ user: [`Invalid pk "${erased.id}" - object does not exist.`] });

    // The log says who and how many, not what: no contact of theirs.
    const line = logs.lines.find((entry) => entry.message === "user erased");
    expect(line?.fields).toMatchObject({ userId: erased.id, notifications: 3 });
    expect(logs.text()).not.toContain(String(erased.email));
    expect(logs.text()).not.toContain("79991000077");
  });

  it("erases a recipient while a message to them is with the provider, and the worker carries on", async () => {
    const erased = await newUser();
    const next = await newUser();
    providers.telegram.replyNext({ hangMs: 1_000 });
    const outcomes: { id: number; status: string }[] = [];
    const unsubscribe = await service.core.notificationEvents.subscribe((event) => {
      if (event.type === "attempt") outcomes.push({ id: event.id, status: event.status });
    });
    const inFlight = await service.createNotification({
      user: erased.id,
      message: "slow",
      channels: ["telegram"],
    });
    await waitFor("the Telegram call", () => (providers.telegram.requests.length > 0 ? true : undefined));
    const errorsBefore = logs.lines.filter((line) => line.level === "error").length;

    // The worker holds a lease, not a row lock: the erasure does not wait for the provider.
    const started = Date.now();
    expect((await erase(erased.id)).statusCode).toBe(204);
    expect(Date.now() - started).toBeLessThan(900);
    expect((await get(`/api/notifications/${inFlight.id}/`)).statusCode).toBe(404);

    // Once the call comes back there is nothing to record it on; the next notification goes out.
    const after = await service.createNotification({
      user: next.id,
      message: "after",
      channels: ["telegram"],
    });
    await service.waitForStatus(after.id, "sent");
    await waitFor("the slow call's outcome", () =>
      outcomes.some((outcome) => outcome.id === inFlight.id && outcome.status === "sent") ? true : undefined,
    );
    unsubscribe();
    expect(providers.telegram.sentTexts()).toEqual(["slow", "after"]);
    expect(
      await count("SELECT count(*)::int AS n FROM attempts WHERE notification_id = $1", [inFlight.id]),
    ).toBe(0);
    expect(logs.lines.filter((line) => line.level === "error").slice(errorsBefore)).toEqual([]);
  });

  it("stores no webhook event of a notification once its user's erasure has deleted it", async () => {
    // The erasure has deleted the notification but not committed when the event's statement runs:
    // the event must wait for it and then store nothing, or it would keep a copy of the message.
    const hook = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: "http://127.0.0.1:9/hook", events: ["notification.sent"] },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const eraser = await service.core.pool.connect();
    try {
      const erased = await newUser();
      const later = new Date(Date.now() + 3_600_000).toISOString();
      const [one, two] = await Promise.all(
        ["held one", "held two"].map((message) =>
          service.createNotification({ user: erased.id, message, send_at: later }),
        ),
      );
      const event = (notificationId: number) => ({
        id: randomUUID(),
        notificationId,
        payload: { type: "notification.sent", data: { notification: { id: notificationId } } },
      });
      await eraser.query("BEGIN");
      await eraser.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [erased.id]);
      await eraser.query("DELETE FROM notifications WHERE user_id = $1", [erased.id]);
      await eraser.query("DELETE FROM users WHERE id = $1", [erased.id]);
      const single = service.core.webhooks.recordEvent({ type: "notification.sent", ...event(one!.id) });
      const batch = service.core.webhooks.recordEvents("notification.sent", [event(two!.id)]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await eraser.query("COMMIT");
      expect(await single).toBe(0);
      expect(await batch).toBe(0);
      expect(
        await count(
          "SELECT count(*)::int AS n FROM webhook_events WHERE notification_id = ANY($1::bigint[])",
          [[one!.id, two!.id]],
        ),
      ).toBe(0);
    } finally {
      await eraser.query("ROLLBACK").catch(() => {});
      eraser.release();
      await service.inject({ method: "DELETE", url: `/api/webhooks/${hook.json().id}/` });
    }
  });

  it("erases a recipient even when its locks cross another transaction's and PostgreSQL ends it", async () => {
    // As a broadcast's cancel sweep does with webhooks: a notification locked first, its user second.
    const erased = await newUser();
    const held = await service.createNotification({
      user: erased.id,
      message: "locked elsewhere",
      send_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const other = await service.core.pool.connect();
    try {
      await other.query("BEGIN");
      await other.query("SELECT 1 FROM notifications WHERE id = $1 FOR UPDATE", [held.id]);
      const erasing = erase(erased.id);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The erasure holds the user and waits for the notification: this closes the circle.
      const crossing = other.query("SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE", [erased.id]);
      await crossing.catch(() => {});
      await other.query("COMMIT").catch(() => {});
      expect((await erasing).statusCode).toBe(204);
      expect((await get(`/api/users/${erased.id}/`)).statusCode).toBe(404);
    } finally {
      await other.query("ROLLBACK").catch(() => {});
      other.release();
    }
  });

  it("does not render a template for a recipient erased after the API remembered them", async () => {
    const template = await service.inject({
      method: "POST",
      url: "/api/templates/",
      payload: {
        key: "hello",
        default_locale: "en",
        locales: { en: { telegram: { text: "Hi {{ user.first_name }}" } } },
      },
    });
    expect(template.statusCode).toBe(201);
    const erased = await newUser({ first_name: "Eve" });
    const first = await service.createNotification({
      user: erased.id,
      template: "hello",
      channels: ["telegram"],
    });
    await service.waitForStatus(first.id, "sent");

    expect((await erase(erased.id)).statusCode).toBe(204);
    const response = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      payload: { user: erased.id, template: "hello", channels: ["telegram"] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ user: [`Invalid pk "${erased.id}" - object does not exist.`] });
    expect(await count("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1", [erased.id])).toBe(
      0,
    );
  });
});
