/**
 * The TypeScript client (clients/typescript) against the real service listening on loopback
 * (PostgreSQL, Redis, the worker, the delivery sandbox), with a proxy in front of it that
 * breaks chosen replies, and a loopback receiver for webhooks.
 */
import type { IncomingHttpHeaders } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  NotificationServiceClient,
  NotificationServiceError,
  verifyWebhook,
  WebhookVerificationError,
} from "../../clients/typescript/src/index.js";
import { type ClientTestService, startClientTestService } from "../support/client-test-service.js";
import type { FlakyProxy } from "../support/flaky-proxy.js";
import { ScriptedHttpServer } from "../support/scripted-http-server.js";
import { waitFor } from "../support/wait-for.js";

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

describe("TypeScript client", () => {
  let setup: ClientTestService;
  let proxy: FlakyProxy;
  let receiver: ScriptedHttpServer;
  const received: Received[] = [];
  let direct: NotificationServiceClient;
  let flaky: NotificationServiceClient;
  let userId: number;

  beforeAll(async () => {
    setup = await startClientTestService();
    ({ proxy } = setup);
    receiver = await ScriptedHttpServer.start((req, body) => {
      received.push({ headers: req.headers, body });
      return { reply: { body: { ok: true } }, fallback: () => ({ body: { ok: true } }) };
    });
    direct = new NotificationServiceClient({ baseUrl: setup.url, apiKey: setup.service.apiKey });
    flaky = new NotificationServiceClient({
      baseUrl: proxy.url,
      apiKey: setup.service.apiKey,
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
    });
    userId = (await direct.createUser({ email: "ts-client@example.com", password: "long enough" })).id;
  });
  afterAll(async () => {
    await receiver?.close();
    await setup?.close();
  });

  it("creates a user and a notification, and reads it until it is sent", async () => {
    const user = await direct.getUser(userId);
    expect(user.email).toBe("ts-client@example.com");
    const updated = await direct.updateUser(userId, { phone_number: "+7 999 000-11-22" });
    expect(updated.phone_number).toBe("+79990001122");

    const created = await direct.createNotification({ user: userId, message: "from the TS client" });
    expect(created.status).toBe("pending");
    const sent = await waitFor(
      "the notification to be sent",
      async () => {
        const current = await direct.getNotification(created.id);
        return current.status === "sent" ? current : undefined;
      },
      15_000,
    );
    expect(sent.last_channel).toBe("sms");
    const outbox = await direct.listOutbox({ notification: created.id });
    expect(outbox.results.map((message) => message.text)).toEqual(["from the TS client"]);
  });

  it("finds a user by a contact, iterates users, and erases one with their notifications", async () => {
    const erased = await direct.createUser({
      email: "TS-Erase@example.com",
      password: "long enough",
      phone_number: "+7 999 000-44-55",
    });
    const found = await direct.listUsers({ phone_number: "8 999 000 44 55" });
    expect(found.results.map((user) => user.id)).toEqual([erased.id]);
    expect((await direct.listUsers({ email: "ts-erase@EXAMPLE.com" })).results).toEqual([erased]);
    // A user created after the first page is newer than the cursor: the walk never repeats one.
    const everyone: number[] = [];
    for await (const user of direct.iterateUsers({ page_size: 1 })) {
      if (everyone.length === 0)
        await direct.createUser({ email: "ts-meanwhile@example.com", password: "long enough" });
      everyone.push(user.id);
    }
    expect(everyone).toEqual(expect.arrayContaining([userId, erased.id]));
    expect(new Set(everyone).size).toBe(everyone.length);
    expect(everyone).toEqual([...everyone].sort((a, b) => b - a));
    const notification = await direct.createNotification({ user: erased.id, message: "to be erased" });

    await direct.deleteUser(erased.id);
    await expect(direct.getUser(erased.id)).rejects.toMatchObject({ status: 404 });
    await expect(direct.getNotification(notification.id)).rejects.toMatchObject({ status: 404 });
    await expect(direct.deleteUser(erased.id)).rejects.toMatchObject({ status: 404 });
  });

  it("makes a Telegram connect link, and the user who opens it gets their telegram_id", async () => {
    const user = await direct.createUser({ email: "ts-telegram@example.com", password: "long enough" });
    const link = await direct.createTelegramLink(user.id);
    expect(link.url).toBe(`https://t.me/loopback_bot?start=${link.code}`);
    expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.now());
    setup.telegram.receive(777001, `/start ${link.code}`);
    const linked = await waitFor(
      "the user's telegram_id to be set",
      async () => {
        const current = await direct.getUser(user.id);
        return current.telegram_id === "777001" ? current : undefined;
      },
      15_000,
    );
    expect(linked.telegram_id).toBe("777001");
    await expect(direct.createTelegramLink(987_654_321)).rejects.toMatchObject({ status: 404 });
  });

  it("imports users in order, refuses a taken email, and updates it when asked", async () => {
    const users = [
      { email: "ts-import-1@example.com", phone_number: "+79993000001" },
      { email: "ts-import-2@example.com", first_name: "Two", password: "long enough" },
    ];
    const imported = await direct.importUsers(users);
    expect(imported.created).toBe(2);
    expect(imported.results.map((user) => [user.email, user.phone_number, user.first_name])).toEqual([
      ["ts-import-1@example.com", "+79993000001", ""],
      ["ts-import-2@example.com", null, "Two"],
    ]);
    await expect(direct.importUsers(users)).rejects.toMatchObject({
      status: 400,
      body: { "users.0.email": ["user with this email already exists."] },
    });
    const again = await direct.importUsers([{ email: "TS-IMPORT-2@example.com", last_name: "Again" }], {
      updateExisting: true,
    });
    expect(again).toMatchObject({ created: 0, updated: 1 });
    expect(again.results[0]).toMatchObject({
      id: imported.results[1]!.id,
      first_name: "Two",
      last_name: "Again",
    });
  });

  it("creates notifications in bulk, in order, and a repeated key creates none of them again", async () => {
    const items = [
      { user: userId, message: "bulk one from TS" },
      { user: userId, message: "bulk two from TS" },
    ];
    const created = await direct.createNotifications(items, { idempotencyKey: "ts-bulk-1" });
    expect(created.map((n) => [n.user, n.message, n.status])).toEqual([
      [userId, "bulk one from TS", "pending"],
      [userId, "bulk two from TS", "pending"],
    ]);
    const again = await direct.createNotifications(items, { idempotencyKey: "ts-bulk-1" });
    expect(again.map((n) => n.id)).toEqual(created.map((n) => n.id));
    await expect(direct.createNotifications([{ user: userId, message: "" }])).rejects.toMatchObject({
      status: 400,
      body: { "notifications.0.message": ["This field may not be blank."] },
    });
  });

  it("lists page by page and iterates every page", async () => {
    const other = await direct.createUser({ email: "ts-pages@example.com", password: "long enough" });
    const ids: number[] = [];
    for (let n = 0; n < 5; n++) {
      ids.push((await direct.createNotification({ user: other.id, message: `page ${n}` })).id);
    }
    const first = await direct.listNotifications({ user: other.id, page_size: 2 });
    expect(first.count).toBe(5);
    expect(first.results.map((notification) => notification.id)).toEqual([ids[4], ids[3]]);
    expect(first.next).not.toBeNull();

    const seen: number[] = [];
    for await (const notification of direct.iterateNotifications({ user: other.id, page_size: 2 })) {
      seen.push(notification.id);
      // Created after the first page was read: page numbers would shift and show ids[3] again.
      if (seen.length === 1)
        await direct.createNotification({ user: other.id, message: "created meanwhile" });
    }
    expect(seen).toEqual([...ids].reverse());
  });

  it("surfaces a 400 as the typed error with the DRF-shaped body", async () => {
    const failure = await direct
      .createNotification({ user: userId, message: "x", channels: ["pigeon"] })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotificationServiceError);
    const error = failure as NotificationServiceError;
    expect(error.status).toBe(400);
    expect(Object.keys(error.fieldErrors)).toEqual(["channels"]);
    expect(error.body.channels).toEqual(error.fieldErrors.channels);

    const missing = (await direct
      .getNotification(999_999)
      .catch((e: unknown) => e)) as NotificationServiceError;
    expect(missing.status).toBe(404);
    expect(missing.detail).toMatch(/not found/i);
  });

  it("retries a create through a 503 with the same Idempotency-Key, making one notification", async () => {
    const before = await direct.listNotifications({ user: userId });
    proxy.requests.length = 0;
    proxy.failNext({ method: "POST", path: "/api/notifications/", status: 503, retryAfter: "0" });

    const created = await flaky.createNotification({ user: userId, message: "exactly once" });

    const creates = proxy.requests.filter((request) => request.path === "/api/notifications/");
    expect(creates.map((request) => request.answered)).toEqual([503, 201]);
    expect(creates[0]?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(creates[1]?.idempotencyKey).toBe(creates[0]?.idempotencyKey);
    const after = await direct.listNotifications({ user: userId, search: "exactly once" });
    expect(after.results.map((notification) => notification.id)).toEqual([created.id]);
    expect((await direct.listNotifications({ user: userId })).count).toBe(before.count + 1);
  });

  it("retries a dropped connection and a 429 that asks for a wait, but never a create without a key", async () => {
    proxy.requests.length = 0;
    proxy.failNext({ method: "POST", path: "/api/notifications/", drop: true });
    const created = await flaky.createNotification(
      { user: userId, message: "dropped once" },
      { idempotencyKey: "caller-chosen-key-1" },
    );
    expect((await direct.listNotifications({ user: userId, search: "dropped once" })).count).toBe(1);
    expect(proxy.requests.map((request) => [request.idempotencyKey, request.answered])).toEqual([
      ["caller-chosen-key-1", "dropped"],
      ["caller-chosen-key-1", 201],
    ]);

    proxy.requests.length = 0;
    proxy.failNext({
      method: "GET",
      path: `/api/notifications/${created.id}/`,
      status: 429,
      retryAfter: "1",
    });
    const started = Date.now();
    expect((await flaky.getNotification(created.id)).id).toBe(created.id);
    // Retry-After: 1 was waited for (a lower bound only: a loaded machine only makes it longer).
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    proxy.requests.length = 0;
    proxy.failNext({ method: "POST", path: "/api/users/", status: 503, retryAfter: "0" });
    const refused = (await flaky
      .createUser({ email: "not-retried@example.com", password: "long enough" })
      .catch((e: unknown) => e)) as NotificationServiceError;
    expect(refused.status).toBe(503);
    expect(proxy.requests).toHaveLength(1);
  });

  it("covers templates, channels and live events", async () => {
    const template = await direct.createTemplate({
      key: "ts-client",
      default_locale: "en",
      locales: { en: { sms: { text: "Hi {{ data.name }}" } } },
    });
    expect(template.key).toBe("ts-client");
    expect((await direct.getTemplate("ts-client")).key).toBe("ts-client");
    const rendered = await direct.renderTemplate("ts-client", { data: { name: "Ann" } });
    expect(rendered.rendered.sms?.text).toBe("Hi Ann");
    const templates = [];
    for await (const each of direct.iterateTemplates()) templates.push(each.key);
    expect(templates).toContain("ts-client");

    const replaced = await direct.updateTemplate("ts-client", {
      default_locale: "en",
      locales: { en: { sms: { text: "Hello {{ data.name }}" } } },
    });
    expect(replaced.locales.en?.sms?.text).toBe("Hello {{ data.name }}");
    const draft = await direct.renderTemplateDraft({
      template: { default_locale: "en", locales: { en: { sms: { text: "Draft {{ data.n }}" } } } },
      data: { n: 1 },
    });
    expect(draft.rendered.sms?.text).toBe("Draft 1");
    await direct.deleteTemplate("ts-client");
    expect(
      ((await direct.getTemplate("ts-client").catch((e: unknown) => e)) as NotificationServiceError).status,
    ).toBe(404);

    const later = await direct.createNotification({
      user: userId,
      message: "later",
      send_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await direct.cancelNotification(later.id)).status).toBe("cancelled");
    expect((await direct.retryNotification(later.id)).status).toBe("pending");

    const overview = await direct.getChannelOverview();
    expect(overview.channels.map((channel) => channel.channel)).toContain("sms");

    const abort = new AbortController();
    const events = direct.streamNotificationEvents({ signal: abort.signal });
    expect((await events.next()).value).toEqual({ type: "ready" });
    const created = await direct.createNotification({ user: userId, message: "watched" });
    const seen = await waitFor("a created event", async () => {
      const { value } = await events.next();
      return value?.type === "created" && value.id === created.id ? value : undefined;
    });
    expect(seen.status).toBe("pending");
    abort.abort();
  });

  it("sends a broadcast once through a 503, and reads, lists and cancels broadcasts", async () => {
    proxy.requests.length = 0;
    proxy.failNext({ method: "POST", path: "/api/broadcasts/", status: 503, retryAfter: "0" });
    const broadcast = await flaky.createBroadcast({ users: [userId], message: "to everyone once" });
    const creates = proxy.requests.filter((request) => request.path === "/api/broadcasts/");
    expect(creates.map((request) => request.answered)).toEqual([503, 202]);
    expect(creates[1]?.idempotencyKey).toBe(creates[0]?.idempotencyKey);
    expect((await direct.getBroadcast(broadcast.id)).id).toBe(broadcast.id);
    expect((await direct.listBroadcasts()).results.map((each) => each.id)).toEqual([broadcast.id]);
    const seen = [];
    for await (const each of direct.iterateBroadcasts()) seen.push(each.id);
    expect(seen).toEqual([broadcast.id]);
    const later = await direct.createBroadcast({
      users: [userId],
      message: "later",
      send_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect((await direct.cancelBroadcast(later.id)).id).toBe(later.id);
  });

  it("covers preferences and suppressions", async () => {
    const replaced = await direct.replacePreferences(userId, {
      channels: { telegram: false },
      categories: { marketing: { email: false } },
    });
    expect(replaced.channels).toEqual({ telegram: false });
    expect(await direct.getPreferences(userId)).toEqual(replaced);

    const suppression = await direct.addSuppression({
      channel: "sms",
      address: "+7 999 111-22-33",
      note: "asked",
    });
    expect(suppression.address).toBe("+79991112233");
    expect((await direct.listSuppressions({ channel: "sms" })).results.map((each) => each.id)).toContain(
      suppression.id,
    );
    const all = [];
    for await (const each of direct.iterateSuppressions({ page_size: 1 })) all.push(each.id);
    expect(all).toContain(suppression.id);
    expect((await direct.removeSuppression(suppression.id)).id).toBe(suppression.id);
    expect((await direct.listSuppressions({ address: "+79991112233" })).count).toBe(0);
  });

  it("verifies a real signed webhook delivery, before and after a secret rotation", async () => {
    const endpoint = await direct.createWebhook({
      url: `${receiver.url}/hooks`,
      events: ["notification.sent"],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect((await direct.getWebhook(endpoint.id)).url).toBe(`${receiver.url}/hooks`);
    received.length = 0;
    await direct.testWebhook(endpoint.id);
    const first = await waitFor("the test webhook", () => received[0]);
    expect(verifyWebhook(endpoint.secret, first.headers, first.body)).toBe(true);
    expect(
      verifyWebhook(endpoint.secret, new Headers(first.headers as Record<string, string>), first.body),
    ).toBe(true);
    const shouted = Object.fromEntries(
      Object.entries(first.headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(verifyWebhook(endpoint.secret, shouted, Buffer.from(first.body))).toBe(true);

    expect(() => verifyWebhook(endpoint.secret, first.headers, `${first.body} `)).toThrow(
      WebhookVerificationError,
    );
    const later = new Date(Date.now() + 6 * 60 * 1000);
    expect(() => verifyWebhook(endpoint.secret, first.headers, first.body, { now: later })).toThrow(
      /too far/,
    );

    const rotated = await direct.rotateWebhookSecret(endpoint.id);
    received.length = 0;
    const delivery = await direct.testWebhook(endpoint.id);
    const second = await waitFor("the webhook after rotation", () => received[0]);
    expect(String(second.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verifyWebhook(rotated.secret, second.headers, second.body)).toBe(true);
    expect(verifyWebhook(endpoint.secret, second.headers, second.body)).toBe(true);
    expect(() => verifyWebhook("whsec_c29tZXRoaW5nIGVsc2U=", second.headers, second.body)).toThrow(
      WebhookVerificationError,
    );

    const deliveries = [];
    for await (const each of direct.iterateWebhookDeliveries(endpoint.id)) deliveries.push(each.id);
    expect(deliveries).toContain(delivery.id);
    await waitFor("the delivery to finish", async () => {
      const page = await direct.listWebhookDeliveries(endpoint.id);
      return page.results.find((each) => each.id === delivery.id)?.status === "succeeded" ? true : undefined;
    });
    received.length = 0;
    await direct.replayWebhookDelivery(endpoint.id, delivery.id);
    await waitFor("the replayed webhook", () => received[0]);
    expect((await direct.updateWebhook(endpoint.id, { enabled: false })).enabled).toBe(false);
    expect((await direct.listWebhooks()).results.map((each) => each.id)).toContain(endpoint.id);
    await direct.deleteWebhook(endpoint.id);
    expect(
      ((await direct.getWebhook(endpoint.id).catch((e: unknown) => e)) as NotificationServiceError).status,
    ).toBe(404);
  });
});
