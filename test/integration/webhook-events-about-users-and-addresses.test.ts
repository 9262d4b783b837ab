/**
 * Webhook events about users and addresses rather than notifications, delivered to a loopback
 * endpoint: `user.telegram_connected` when a person opens a connect link and `user.unsubscribed`
 * when a one-click unsubscribe turns a category off (the user as GET /api/users/{id}/ shows them,
 * numbered per user; nothing when the unsubscribe changed nothing; erased with the user), and
 * `suppression.created` / `suppression.deleted` when a provider's answer proves an address dead,
 * when one is added or removed through the API or the CLI, and when a connect link lifts a
 * blocked bot's (the suppression as the API lists it).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnsubscribeLinks } from "../../src/audiences/unsubscribe-token.js";
import { FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { runCli } from "../support/run-cli.js";
import { type FakeReply, ScriptedHttpServer } from "../support/scripted-http-server.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const PUBLIC_URL = "https://notify.example.com";
const SECRET = "unsubscribe-secret-for-user-events-0123456789";

interface UserEvent {
  type: string;
  data: {
    user: { id: number; email: string; telegram_id: string | null };
    sequence: number;
    category?: string;
    channel?: string;
  };
}

interface SuppressionEvent {
  type: string;
  data: {
    suppression: { id: number; channel: string; address: string; reason: string; source: string } & Record<
      string,
      unknown
    >;
  };
}

describe("webhook events about users and suppressed addresses", () => {
  let telegram: FakeTelegram;
  let hooks: ScriptedHttpServer;
  let service: TestService;
  const userEvents: UserEvent[] = [];
  const suppressionEvents: SuppressionEvent[] = [];
  const links = new UnsubscribeLinks(PUBLIC_URL, SECRET);

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    hooks = await ScriptedHttpServer.start((_req, body) => {
      const event = JSON.parse(body);
      if (event.data.user) userEvents.push(event);
      else suppressionEvents.push(event);
      const ok: FakeReply = { status: 200, body: { ok: true } };
      return { reply: ok, fallback: () => ok };
    });
    service = await startTestService({
      env: {
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: "4343:user-events-token",
        TELEGRAM_LINKS: "true",
        CHANNEL_ORDER: "telegram",
        MAX_RETRIES: "0",
        PUBLIC_URL,
        UNSUBSCRIBE_SECRET: SECRET,
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      },
    });
    const endpoint = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: {
        url: `${hooks.url}/hook`,
        events: [
          "user.telegram_connected",
          "user.unsubscribed",
          "suppression.created",
          "suppression.deleted",
        ],
      },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
  });
  afterAll(async () => {
    await service?.close();
    await hooks?.close();
    await telegram?.close();
  });

  const newUser = (name: string) =>
    service.createUser({ email: `${name}@example.com`, password: "long enough password" });
  const eventsOf = (userId: number) => userEvents.filter((event) => event.data.user.id === userId);
  const waitForEvents = (userId: number, count: number) =>
    waitFor(`${count} webhook events about user ${userId}`, () =>
      eventsOf(userId).length >= count ? eventsOf(userId) : undefined,
    );
  const connectTelegram = async (userId: number, chatId: number) => {
    const link = await service.inject({ method: "POST", url: `/api/users/${userId}/telegram-link/` });
    expect(link.statusCode, link.body).toBe(201);
    telegram.receive(chatId, `/start ${link.json<{ code: string }>().code}`);
  };
  const unsubscribe = async (userId: number, category: string) => {
    const token = links.linkFor(userId, category).slice(`${PUBLIC_URL}/u/`.length);
    return service.app.inject({ method: "POST", url: `/u/${token}`, payload: "List-Unsubscribe=One-Click" });
  };

  const eventsAbout = (address: string) =>
    suppressionEvents
      .filter((event) => event.data.suppression.address === address)
      .map((event) => event.type);
  const waitForSuppressionEvents = (address: string, types: string[]) =>
    waitFor(`${types.join(", ")} about ${address}`, () =>
      eventsAbout(address).length >= types.length ? eventsAbout(address) : undefined,
    );
  const listed = async (address: string) => {
    const response = await service.inject({ method: "GET", url: `/api/suppressions/?address=${address}` });
    return response.json<{ results: Record<string, unknown>[] }>().results;
  };

  it("tells user.telegram_connected with the user as the API shows them, then user.unsubscribed once per change, numbered per user", async () => {
    const user = await newUser("connects");
    await connectTelegram(user.id, 7001);
    const [connected] = await waitForEvents(user.id, 1);
    const shown = await service.inject({ method: "GET", url: `/api/users/${user.id}/` });
    expect(connected).toEqual({
      type: "user.telegram_connected",
      timestamp: expect.any(String),
      data: { user: shown.json(), sequence: 1 },
    });
    expect(connected!.data.user.telegram_id).toBe("7001");

    expect((await unsubscribe(user.id, "news")).statusCode).toBe(200);
    // A second click, and a mail provider's retry, change nothing and tell nothing.
    expect((await unsubscribe(user.id, "news")).statusCode).toBe(200);
    expect((await unsubscribe(user.id, "digest")).statusCode).toBe(200);
    // Deliveries go concurrently: they are put in order by their sequence.
    const events = (await waitForEvents(user.id, 3)).sort((a, b) => a.data.sequence - b.data.sequence);
    const { rows } = await service.core.pool.query<{ count: number }>(
      "SELECT count(*)::int AS count FROM webhook_events WHERE user_id = $1",
      [user.id],
    );
    expect(rows[0]?.count).toBe(3);
    expect(
      events.slice(1).map(({ type, data }) => [type, data.category, data.channel, data.sequence]),
    ).toEqual([
      ["user.unsubscribed", "news", "email", 2],
      ["user.unsubscribed", "digest", "email", 3],
    ]);
  });

  it("erases a user's events with them, and stores none for a user already erased", async () => {
    const user = await newUser("erased-events");
    await connectTelegram(user.id, 7002);
    await waitForEvents(user.id, 1);
    const stored = async () =>
      (
        await service.core.pool.query<{ count: number }>(
          "SELECT count(*)::int AS count FROM webhook_events WHERE user_id = $1 OR payload::text LIKE $2",
          [user.id, "%erased-events@example.com%"],
        )
      ).rows[0]?.count;
    expect(await stored()).toBe(1);

    const erased = await service.inject({ method: "DELETE", url: `/api/users/${user.id}/` });
    expect(erased.statusCode, erased.body).toBe(204);
    expect(await stored()).toBe(0);

    // An event whose user was read just before the erasure is not stored after it.
    const deliveries = await service.core.webhooks.recordEvent({
      id: "msg_after_erasure",
      type: "user.unsubscribed",
      notificationId: null,
      userId: user.id,
      payload: {
        type: "user.unsubscribed",
        data: { user: { id: user.id, email: "erased-events@example.com" } },
      },
    });
    expect(deliveries).toBe(0);
    expect(await stored()).toBe(0);
  });

  it("tells a blocked bot's chat suppressed by delivery, once, and lifted when the person presses Start on a connect link", async () => {
    const user = await service.createUser({
      email: "blocked@example.com",
      password: "long enough password",
      telegram_id: "9001",
    });
    telegram.replyNext(telegramReplies.botBlocked());
    const first = await service.createNotification({ user: user.id, message: "first" });
    await service.waitForStatus(first.id, "failed");
    const [created] = await waitForSuppressionEvents("9001", ["suppression.created"]);
    expect(created).toBe("suppression.created");
    const event = suppressionEvents.find((each) => each.data.suppression.address === "9001")!;
    expect(event.data.suppression).toEqual((await listed("9001"))[0]);
    expect(event.data.suppression).toMatchObject({
      channel: "telegram",
      reason: "bot_blocked",
      source: "delivery",
    });

    // The next one is skipped as suppressed, without a call to Telegram: nothing more is told.
    const second = await service.createNotification({ user: user.id, message: "second" });
    await service.waitForStatus(second.id, "failed");

    const link = await service.inject({ method: "POST", url: `/api/users/${user.id}/telegram-link/` });
    telegram.receive(9001, `/start ${link.json<{ code: string }>().code}`);
    expect(await waitForSuppressionEvents("9001", ["suppression.created", "suppression.deleted"])).toEqual([
      "suppression.created",
      "suppression.deleted",
    ]);
    expect(await listed("9001")).toEqual([]);
  });

  it("tells suppressions added and removed through the API and the CLI", async () => {
    const added = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "email", address: "Api@Example.com", note: "asked us" },
    });
    expect(added.statusCode, added.body).toBe(201);
    const again = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "email", address: "api@example.com" },
    });
    expect(again.statusCode).toBe(409);
    const removed = await service.inject({ method: "DELETE", url: `/api/suppressions/${added.json().id}/` });
    expect(removed.statusCode).toBe(200);
    // Sent concurrently: they may arrive in either order.
    expect((await waitForSuppressionEvents("api@example.com", ["created", "deleted"])).sort()).toEqual([
      "suppression.created",
      "suppression.deleted",
    ]);
    const about = suppressionEvents.filter((event) => event.data.suppression.address === "api@example.com");
    const createdEvent = about.find((event) => event.type === "suppression.created");
    const deletedEvent = about.find((event) => event.type === "suppression.deleted");
    expect(createdEvent!.data.suppression).toEqual(added.json());
    expect(deletedEvent!.data.suppression).toEqual(removed.json());

    const cliAdded = await runCli(["suppressions", "add", "sms", "+79990009900", "--json"], service.env);
    expect(cliAdded.code, cliAdded.stderr).toBe(0);
    const cliRemoved = await runCli(
      ["suppressions", "remove", String(JSON.parse(cliAdded.stdout).id)],
      service.env,
    );
    expect(cliRemoved.code, cliRemoved.stderr).toBe(0);
    expect((await waitForSuppressionEvents("+79990009900", ["created", "deleted"])).sort()).toEqual([
      "suppression.created",
      "suppression.deleted",
    ]);
    expect(
      suppressionEvents.find((event) => event.data.suppression.address === "+79990009900")?.data.suppression,
    ).toMatchObject({ channel: "sms", source: "cli", reason: "manual" });
  });
});
