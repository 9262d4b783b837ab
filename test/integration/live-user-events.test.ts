/**
 * Recipients on the live stream: creating, changing (profile, preferences, a one-click
 * unsubscribe, a Telegram chat connected through a connect link by the worker) and erasing a user
 * each reach a watcher as one `user` event with the id and the kind of change, and never a
 * contact, since the stream may be logged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { createUser } from "../../src/usecases/create-user.js";
import { type EventStreamReader, readEventStream } from "../support/event-stream.js";
import { FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const EMAIL = "watched@example.com";
const PHONE = "+79990004455";
const NEW_PHONE = "+79990006677";
const CHAT = 918273;

describe("live events of recipients", () => {
  let telegram: FakeTelegram;
  let service: TestService;
  let reader: EventStreamReader;

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    service = await startTestService({
      env: {
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: "4242:live-users-secret-token-x7",
        TELEGRAM_LINKS: "true",
        CHANNEL_ORDER: "telegram",
        PUBLIC_URL: "https://notify.example.com",
        UNSUBSCRIBE_SECRET: "unsubscribe-secret-for-tests-0123456789",
      },
    });
    const baseUrl = await service.app.listen({ host: "127.0.0.1", port: 0 });
    reader = await readEventStream(`${baseUrl}/api/notifications/events/`, service.apiKey);
    await reader.waitFor("the stream to be live", (event) => event.event === "ready");
  });
  afterAll(async () => {
    reader?.close();
    await service?.close();
    await telegram?.close();
  });

  /** The changes heard for user `id`, in order. */
  const changesOf = (id: number) =>
    reader.events.filter((e) => e.event === "user" && e.data.id === id).map((e) => e.data.change);
  const waitForChanges = (id: number, count: number) =>
    waitFor(`${count} user events for user ${id}`, () =>
      changesOf(id).length >= count ? changesOf(id) : undefined,
    );
  const ok = async (method: "PATCH" | "PUT" | "DELETE" | "POST", url: string, payload?: object) => {
    const response = await service.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response;
  };

  it("tells a user's creation, each change, a connected Telegram chat and the erasure, without contacts", async () => {
    const { id } = await service.createUser({
      email: EMAIL,
      password: "long enough password",
      phone_number: PHONE,
    });
    expect(await waitForChanges(id, 1)).toEqual(["created"]);
    expect(reader.events.find((e) => e.event === "user" && e.data.id === id)?.data).toEqual({
      type: "user",
      id,
      change: "created",
    });

    await ok("PATCH", `/api/users/${id}/`, {
      phone_number: NEW_PHONE,
      timezone: "Europe/Berlin",
      quiet_hours: { start: "22:00", end: "07:00" },
    });
    expect(await waitForChanges(id, 2)).toEqual(["created", "updated"]);

    await ok("PUT", `/api/users/${id}/preferences/`, { channels: { sms: false } });
    expect(await waitForChanges(id, 3)).toEqual(["created", "updated", "updated"]);

    const token = service.core.unsubscribeLinks!.tokenFor(id, "marketing");
    const unsubscribed = await service.app.inject({
      method: "POST",
      url: `/u/${token}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "List-Unsubscribe=One-Click",
    });
    expect(unsubscribed.statusCode).toBe(200);
    expect(await waitForChanges(id, 4)).toHaveLength(4);

    // The person opens a connect link and presses Start; the worker's poller connects their chat.
    const link = (await ok("POST", `/api/users/${id}/telegram-link/`)).json<{ code: string }>();
    telegram.receive(CHAT, `/start ${link.code}`);
    expect(await waitForChanges(id, 5)).toEqual(["created", "updated", "updated", "updated", "updated"]);
    // Told once the chat is stored: a watcher that reloads the user on the event sees it.
    expect((await service.inject({ method: "GET", url: `/api/users/${id}/` })).json().telegram_id).toBe(
      String(CHAT),
    );

    await ok("DELETE", `/api/users/${id}/`);
    expect(await waitForChanges(id, 6)).toEqual([
      "created",
      "updated",
      "updated",
      "updated",
      "updated",
      "erased",
    ]);

    for (const event of reader.events.filter((e) => e.event === "user")) {
      expect(Object.keys(event.data).sort()).toEqual(["change", "id", "type"]);
    }
    const everything = JSON.stringify(reader.events);
    for (const contact of [EMAIL, "watched", PHONE, NEW_PHONE, "79990004455", "79990006677", String(CHAT)]) {
      expect(everything).not.toContain(contact);
    }
  });

  it("tells each suppression added and removed, by delivery or through the API, by id alone", async () => {
    const suppressionEvents = () => reader.events.filter((e) => e.event === "suppression").map((e) => e.data);
    const added = await ok("POST", "/api/suppressions/", { channel: "sms", address: "+79990007788" });
    const id = added.json<{ id: number }>().id;
    await ok("DELETE", `/api/suppressions/${id}/`);
    await waitFor("two suppression events", () => (suppressionEvents().length >= 2 ? true : undefined));
    expect(suppressionEvents()).toEqual([
      { type: "suppression", id, change: "created" },
      { type: "suppression", id, change: "deleted" },
    ]);

    // A chat that blocked the bot, proven by the worker's attempt.
    const blocked = await service.createUser({
      email: "blocked-live@example.com",
      password: "long enough password",
      telegram_id: "918274",
    });
    telegram.replyNext(telegramReplies.botBlocked());
    const notification = await service.createNotification({ user: blocked.id, message: "are you there?" });
    await service.waitForStatus(notification.id, "failed");
    const [suppression] = (
      await service.inject({ method: "GET", url: "/api/suppressions/?address=918274" })
    ).json<{ results: { id: number }[] }>().results;
    await waitFor("the worker's suppression event", () =>
      suppressionEvents().length >= 3 ? true : undefined,
    );
    expect(suppressionEvents()[2]).toEqual({ type: "suppression", id: suppression!.id, change: "created" });
    expect(JSON.stringify(suppressionEvents())).not.toMatch(/7788|918274/);
  });

  it("tells nothing for a change that was refused or a user that does not exist", async () => {
    const { id } = await service.createUser({
      email: "refused@example.com",
      password: "long enough password",
    });
    await waitForChanges(id, 1);
    const invalid = await service.inject({
      method: "PATCH",
      url: `/api/users/${id}/`,
      payload: { phone_number: "12" },
    });
    expect(invalid.statusCode).toBe(400);
    const missing = id + 1000;
    for (const [method, url, payload] of [
      ["PATCH", `/api/users/${missing}/`, { first_name: "Nobody" }],
      ["PUT", `/api/users/${missing}/preferences/`, {}],
      ["DELETE", `/api/users/${missing}/`, undefined],
    ] as const) {
      const response = await service.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
      expect(response.statusCode, `${method} ${url}`).toBe(404);
    }
    // A change after them, heard in order: had they told anything, it would have come first.
    await ok("PATCH", `/api/users/${id}/`, { first_name: "Later" });
    expect(await waitForChanges(id, 2)).toEqual(["created", "updated"]);
    expect(changesOf(missing)).toEqual([]);
  });

  it("hears users created by another process on the deployment (a CLI)", async () => {
    const elsewhere = createCore(parseConfig(service.env), silentLogger, 1);
    let id: number;
    try {
      ({ id } = await createUser(elsewhere, { email: "from-cli@example.com", password: "long enough" }));
    } finally {
      await elsewhere.close();
    }
    expect(await waitForChanges(id, 1)).toEqual(["created"]);
  });
});
