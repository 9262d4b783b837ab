/**
 * POST /api/notifications/bulk/: many notifications in one transaction, all or none, delivered
 * like any other, with one Idempotency-Key for the whole request.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("creating notifications in bulk", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let nextChat = 820_000;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({ env: providers.env({ MAX_RETRIES: "0" }) });
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => providers.reset());

  const bulk = (notifications: unknown, key?: string) =>
    service.inject({
      method: "POST",
      url: "/api/notifications/bulk/",
      headers: key === undefined ? {} : { "idempotency-key": key },
      payload: { notifications },
    });
  const newUser = async () =>
    (
      await service.createUser({
        email: `bulk${nextChat}@example.com`,
        password: "long enough",
        first_name: "Ada",
        telegram_id: String(nextChat++),
      })
    ).id;
  const stored = async () =>
    (await service.core.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications")).rows[0]!.n;

  it("stores them in the request's order, answers them at once, and delivers each", async () => {
    const users = await Promise.all([newUser(), newUser(), newUser()]);
    const template = await service.inject({
      method: "POST",
      url: "/api/templates/",
      payload: {
        key: "bulk-hello",
        default_locale: "en",
        locales: { en: { telegram: { text: "Hi {{ user.first_name }}, {{ data.n }}" } } },
      },
    });
    expect(template.statusCode).toBe(201);
    const items = [
      { user: users[0], message: "first", channels: ["telegram"] },
      { user: users[1], template: "bulk-hello", data: { n: 2 }, channels: ["telegram"] },
      { user: users[2], message: "third", channels: ["telegram"], category: "news" },
      {
        user: users[0],
        message: "later",
        channels: ["telegram"],
        send_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    ];
    const response = await bulk(items);
    expect(response.statusCode).toBe(201);
    const { results } = response.json();
    expect(
      results.map((n: { user: number; message: string; status: string }) => [n.user, n.message, n.status]),
    ).toEqual([
      [users[0], "first", "pending"],
      [users[1], "Hi Ada, 2", "pending"],
      [users[2], "third", "pending"],
      [users[0], "later", "pending"],
    ]);
    expect(results[2].category).toBe("news");
    const ids = results.map((n: { id: number }) => n.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    for (const id of ids.slice(0, 3)) await service.waitForStatus(id, "sent");
    expect(providers.telegram.sentTexts().sort()).toEqual(["Hi Ada, 2", "first", "third"]);
    const held = await service.getNotification(ids[3]);
    expect(held).toMatchObject({ status: "pending", attempts: [] });
  });

  it("stores none when any item is wrong, naming each problem by its index", async () => {
    const user = await newUser();
    const before = await stored();
    const invalid = await bulk([
      { user, message: "fine" },
      { user, message: "" },
      { user, message: "x", channels: ["fax"] },
    ]);
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json()).toEqual({
      "notifications.1.message": ["This field may not be blank."],
      "notifications.2.channels": ['Unknown channel "fax": use sms, email or telegram.'],
    });

    const unknown = await bulk([
      { user, message: "fine" },
      { user: 987_654, message: "nobody" },
      { user: 987_654, template: "bulk-hello", data: {} },
    ]);
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual({
      "notifications.1.user": ['Invalid pk "987654" - object does not exist.'],
      "notifications.2.user": ['Invalid pk "987654" - object does not exist.'],
    });
    const missingTemplate = await bulk([{ user, template: "no-such-template" }]);
    expect(missingTemplate.statusCode).toBe(400);
    expect(Object.keys(missingTemplate.json())).toEqual(["notifications.0.template"]);

    // In Django REST Framework's words, like every other field error, not the schema validator's.
    const empty = await bulk([]);
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ notifications: ["This list may not be empty."] });
    const tooMany = await bulk(Array.from({ length: 501 }, () => ({ user, message: "x" })));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toEqual({ notifications: ["Ensure this field has no more than 500 elements."] });
    expect(await stored()).toBe(before);
    expect(providers.telegram.requests).toEqual([]);
  });

  it("takes 500 at once, each sent once", async () => {
    // SMS: the loopback SMS.ru takes up to 100 numbers per call, so 500 messages are a few calls.
    const users = await Promise.all(
      Array.from(
        { length: 5 },
        async (_, i) =>
          (
            await service.createUser({
              email: `bulk-sms${i}@example.com`,
              password: "long enough",
              phone_number: `+7999300000${i}`,
            })
          ).id,
      ),
    );
    const items = Array.from({ length: 500 }, (_, i) => ({
      user: users[i % users.length],
      message: `many ${i}`,
      channels: ["sms"],
    }));
    const response = await bulk(items);
    expect(response.statusCode).toBe(201);
    const ids: number[] = response.json().results.map((n: { id: number }) => n.id);
    expect(new Set(ids).size).toBe(500);
    const statuses = async () =>
      (
        await service.core.pool.query<{ status: string; n: number }>(
          "SELECT status, count(*)::int AS n FROM notifications WHERE id = ANY($1) GROUP BY status",
          [ids],
        )
      ).rows;
    await waitFor(
      "all 500 to end",
      async () => ((await statuses()).some((row) => row.status === "pending") ? undefined : true),
      60_000,
    );
    expect(await statuses()).toEqual([{ status: "sent", n: 500 }]);
    const texts = providers.smsRu.messages.map((message) => message.text);
    expect(texts.filter((text) => text.startsWith("many ")).sort()).toEqual(
      items.map((item) => item.message).sort(),
    );
  });

  it("answers a repeated Idempotency-Key with the same notifications, and refuses it for another request", async () => {
    const user = await newUser();
    const items = [
      { user, message: "once A", channels: ["telegram"] },
      { user, message: "once B", channels: ["telegram"] },
    ];
    const first = await bulk(items, "bulk-key-1");
    expect(first.statusCode).toBe(201);
    const ids = first.json().results.map((n: { id: number }) => n.id);
    for (const id of ids) await service.waitForStatus(id, "sent");
    const count = await stored();

    // The same request spelled differently (keys in another order) is the same request.
    const again = await bulk(
      items.map(({ channels, message, user: u }) => ({ channels, message, user: u })),
      "bulk-key-1",
    );
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().results.map((n: { id: number; status: string }) => [n.id, n.status])).toEqual(
      ids.map((id: number) => [id, "sent"]),
    );
    expect(again.json().results[0].attempts).toEqual([expect.objectContaining({ status: "sent" })]);
    expect(await stored()).toBe(count);
    expect(providers.telegram.sentTexts()).toEqual(["once A", "once B"]);

    const other = await bulk([{ user, message: "something else" }], "bulk-key-1");
    expect(other.statusCode).toBe(409);
    // A single create with a bulk request's key is another request too.
    const single = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      headers: { "idempotency-key": "bulk-key-1" },
      payload: items[0]!,
    });
    expect(single.statusCode).toBe(409);
    expect(await stored()).toBe(count);
  });

  it("keeps the key when one of its notifications is deleted: a retry creates none of the others again", async () => {
    const [erased, kept] = await Promise.all([newUser(), newUser()]);
    const items = [
      { user: erased, message: "to someone erased", channels: ["telegram"] },
      { user: kept, message: "to someone kept", channels: ["telegram"] },
    ];
    const first = await bulk(items, "bulk-key-erased");
    expect(first.statusCode).toBe(201);
    const [, keptId] = first.json().results.map((n: { id: number }) => n.id);
    expect((await service.inject({ method: "DELETE", url: `/api/users/${erased}/` })).statusCode).toBe(204);
    const count = await stored();

    const again = await bulk(items, "bulk-key-erased");
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().results.map((n: { id: number }) => n.id)).toEqual([keptId]);
    expect(await stored()).toBe(count);
  });
});
