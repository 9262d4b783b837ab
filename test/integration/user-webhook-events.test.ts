/**
 * Webhook events about a user: `user.telegram_connected` when a person opens a connect link, and
 * `user.unsubscribed` when a one-click unsubscribe turns a category off, each delivered to a
 * loopback endpoint with the user as GET /api/users/{id}/ shows them and a sequence per user;
 * nothing when the unsubscribe changed nothing; and erasing the user takes their events with them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnsubscribeLinks } from "../../src/audiences/unsubscribe-token.js";
import { FakeTelegram } from "../support/fake-telegram.js";
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

describe("webhook events about users", () => {
  let telegram: FakeTelegram;
  let hooks: ScriptedHttpServer;
  let service: TestService;
  const received: UserEvent[] = [];
  const links = new UnsubscribeLinks(PUBLIC_URL, SECRET);

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    hooks = await ScriptedHttpServer.start((_req, body) => {
      received.push(JSON.parse(body));
      const ok: FakeReply = { status: 200, body: { ok: true } };
      return { reply: ok, fallback: () => ok };
    });
    service = await startTestService({
      env: {
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: "4343:user-events-token",
        TELEGRAM_LINKS: "true",
        PUBLIC_URL,
        UNSUBSCRIBE_SECRET: SECRET,
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      },
    });
    const endpoint = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: `${hooks.url}/hook`, events: ["user.telegram_connected", "user.unsubscribed"] },
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
  const eventsOf = (userId: number) => received.filter((event) => event.data.user.id === userId);
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
});
