/**
 * Telegram connect links end to end: the API makes a link, the loopback Bot API delivers the
 * `/start <code>` a person sends, and the worker that holds the poller's lease connects the chat
 * to the user and answers; a Telegram notification then goes to that chat. Also: expired and used
 * links, updates seen twice, restarts continuing from the stored offset, one poller among several
 * workers, Telegram refusing getUpdates, and links off.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startWorker } from "../../src/entry/worker/worker-process.js";
import { INVALID_LINK_TEXT } from "../../src/telegram-links/handle-telegram-updates.js";
import { asFastifyLogger, captureLogs } from "../support/captured-logs.js";
import { FakeTelegram, telegramReplies, textUpdate } from "../support/fake-telegram.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const TOKEN = "4242:links-secret-token-q8Zr";
const WELCOME = "Connected! Notifications will come here.";

interface LinkJson {
  url: string;
  code: string;
  expires_at: string;
}

describe("Telegram connect links", () => {
  let telegram: FakeTelegram;
  let service: TestService;
  const logs = captureLogs();
  const answers: string[] = [];

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    service = await startTestService({
      logger: logs.logger,
      httpLogger: asFastifyLogger(logs.logger),
      env: {
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_LINKS: "true",
        TELEGRAM_LINK_WELCOME: WELCOME,
        CHANNEL_ORDER: "telegram",
      },
    });
  });
  afterAll(async () => {
    await service?.close();
    await telegram?.close();
  });
  beforeEach(() => telegram.reset());

  const post = async (userId: number | string) => {
    const response = await service.inject({ method: "POST", url: `/api/users/${userId}/telegram-link/` });
    answers.push(response.body);
    return response;
  };
  const createLink = async (userId: number): Promise<LinkJson> => {
    const response = await post(userId);
    expect(response.statusCode, response.body).toBe(201);
    return response.json<LinkJson>();
  };
  const newUser = (name: string) =>
    service.createUser({ email: `${name}@example.com`, password: "long enough password" });
  const telegramIdOf = async (userId: number) => {
    const response = await service.inject({ method: "GET", url: `/api/users/${userId}/` });
    answers.push(response.body);
    return response.json<{ telegram_id: string | null }>().telegram_id;
  };
  const waitForTelegramId = (userId: number, chatId: string) =>
    waitFor(`user ${userId}'s telegram_id to be ${chatId}`, async () =>
      (await telegramIdOf(userId)) === chatId ? true : undefined,
    );
  const repliesTo = (chatId: number) =>
    telegram.requestsOf("sendMessage").filter((request) => String(request.body.chat_id) === String(chatId));
  const waitForReplyTo = (chatId: number) =>
    waitFor(`an answer in chat ${chatId}`, () => repliesTo(chatId)[0]);
  /** Waits until the poller has asked Telegram `count` more times: whatever came before is handled. */
  const waitForPolls = async (count: number) => {
    const start = telegram.requestsOf("getUpdates").length;
    await waitFor(`${count} more getUpdates`, () =>
      telegram.requestsOf("getUpdates").length >= start + count ? true : undefined,
    );
  };

  it("answers 503 when Telegram does not tell the bot's username, then asks getMe once and remembers it", async () => {
    const user = await newUser("getme");
    telegram.replyToGetMeNext(telegramReplies.serverError());
    const refused = await post(user.id);
    expect(refused.statusCode).toBe(503);
    expect(refused.json<{ detail: string }>().detail).toMatch(/getMe: Internal Server Error.*try again/);
    await createLink(user.id);
    await createLink(user.id);
    expect(telegram.requestsOf("getMe")).toHaveLength(2);
  });

  it("connects the chat that opens the link, answers it, and delivers the user's Telegram notifications there", async () => {
    const user = await newUser("bob");
    expect(await telegramIdOf(user.id)).toBeNull();
    const link = await createLink(user.id);
    expect(link.code).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(link.url).toBe(`https://t.me/loopback_bot?start=${link.code}`);
    const expiresIn = Date.parse(link.expires_at) - Date.now();
    expect(expiresIn).toBeGreaterThan(86_000_000);
    expect(expiresIn).toBeLessThanOrEqual(86_400_000);
    // Stored as a hash only.
    const { rows } = await service.core.pool.query("SELECT * FROM telegram_link_codes");
    expect(JSON.stringify(rows)).not.toContain(link.code);

    telegram.receive(555, `/start ${link.code}`);
    await waitForTelegramId(user.id, "555");
    const reply = await waitForReplyTo(555);
    expect(reply.body.text).toBe(WELCOME);

    const notification = await service.createNotification({ user: user.id, message: "to your chat" });
    const sent = await service.waitForStatus(notification.id, "sent");
    expect(sent.last_channel).toBe("telegram");
    expect(repliesTo(555).map((request) => request.body.text)).toEqual([WELCOME, "to your chat"]);
    expect(logs.lines.some((line) => line.message === "user connected their Telegram chat")).toBe(true);
  });

  it("lifts the chat's bot_blocked suppression when the person presses Start, and no other kind", async () => {
    const suppress = async (address: string, reason: string) => {
      const response = await service.inject({
        method: "POST",
        url: "/api/suppressions/",
        payload: { channel: "telegram", address, reason },
      });
      expect(response.statusCode, response.body).toBe(201);
    };
    const suppressed = async (address: string) => {
      const response = await service.inject({
        method: "GET",
        url: `/api/suppressions/?channel=telegram&address=${address}`,
      });
      return response
        .json<{ results: { reason: string }[] }>()
        .results.map((suppression) => suppression.reason);
    };
    await suppress("556", "bot_blocked");
    await suppress("557", "manual");
    const unblocking = await newUser("unblocking");
    const chosen = await newUser("chosen");
    telegram.receive(556, `/start ${(await createLink(unblocking.id)).code}`);
    telegram.receive(557, `/start ${(await createLink(chosen.id)).code}`);
    await waitForTelegramId(unblocking.id, "556");
    await waitForTelegramId(chosen.id, "557");
    expect(await suppressed("556")).toEqual([]);
    expect(await suppressed("557")).toEqual(["manual"]);

    const notification = await service.createNotification({ user: unblocking.id, message: "you are back" });
    expect((await service.waitForStatus(notification.id, "sent")).last_channel).toBe("telegram");
    expect(repliesTo(556).map((request) => request.body.text)).toContain("you are back");
  });

  it("answers an expired link that it is not valid, and connects nobody", async () => {
    const user = await newUser("expired");
    const link = await createLink(user.id);
    await service.core.pool.query("UPDATE telegram_link_codes SET expires_at = now() - interval '1 second'");
    telegram.receive(556, `/start ${link.code}`);
    expect((await waitForReplyTo(556)).body.text).toBe(INVALID_LINK_TEXT);
    expect(await telegramIdOf(user.id)).toBeNull();
  });

  it("uses a link once: the second chat to open it is told it is not valid", async () => {
    const user = await newUser("reused");
    const link = await createLink(user.id);
    telegram.receive(557, `/start ${link.code}`);
    await waitForTelegramId(user.id, "557");
    telegram.receive(558, `/start ${link.code}`);
    expect((await waitForReplyTo(558)).body.text).toBe(INVALID_LINK_TEXT);
    expect(await telegramIdOf(user.id)).toBe("557");
  });

  it("changes nothing and answers nothing when the same update comes again", async () => {
    const user = await newUser("twice");
    const link = await createLink(user.id);
    const updateId = telegram.receive(559, `/start ${link.code}`);
    await waitForReplyTo(559);
    await service.core.pool.query("UPDATE users SET telegram_id = 'changed-since' WHERE id = $1", [user.id]);
    telegram.replyToGetUpdatesNext({
      body: { ok: true, result: [textUpdate(updateId, 559, `/start ${link.code}`)] },
    });
    await waitForPolls(2);
    expect(repliesTo(559)).toHaveLength(1);
    expect(await telegramIdOf(user.id)).toBe("changed-since");
  });

  it("answers in turn with the notifications' pacing, and connects without answering when no turn comes in time", async () => {
    const redis = service.core.sideChannels.redis!;
    const chatKey = (chatId: number) => `${service.env.REDIS_PREFIX}:telegram-rate:chat:${chatId}`;
    const redisNow = async () => {
      const [seconds, micros] = await redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    };
    // Another worker has booked chat 591 for the next minute, far past the reply's 3 s timeout.
    await redis.set(chatKey(591), (await redisNow()) + 60_000, "PX", 60_000);
    const late = await newUser("late-turn");
    telegram.receive(591, `/start ${(await createLink(late.id)).code}`);
    await waitForTelegramId(late.id, "591");
    await waitForPolls(2);
    expect(repliesTo(591)).toEqual([]);
    expect(logs.lines.some((line) => /did not answer a \/start message/.test(line.message))).toBe(true);

    // Chat 592's turn is 1.5 s away: the answer waits for it, and books the chat's next turn.
    const turnAt = (await redisNow()) + 1500;
    await redis.set(chatKey(592), turnAt, "PX", 1500);
    const paced = await newUser("paced-turn");
    telegram.receive(592, `/start ${(await createLink(paced.id)).code}`);
    await waitForReplyTo(592);
    expect(await redisNow()).toBeGreaterThanOrEqual(turnAt);
    expect(Number(await redis.get(chatKey(592)))).toBeGreaterThan(turnAt);
  });

  it("leaves alone what is not /start with a code in a private chat", async () => {
    const user = await newUser("ignored");
    const link = await createLink(user.id);
    telegram.receive(560, "hello");
    telegram.receive(561, "/start");
    telegram.receive(-100_777, `/start ${link.code}`, "supergroup");
    await waitForPolls(2);
    expect(telegram.requestsOf("sendMessage")).toEqual([]);
    // The group did not use the code up.
    telegram.receive(562, `/start ${link.code}`);
    await waitForTelegramId(user.id, "562");
  });

  it("continues from the stored offset after a restart, and stopping does not wait out the long poll", async () => {
    const user = await newUser("restart");
    const first = await createLink(user.id);
    const handled = telegram.receive(563, `/start ${first.code}`);
    await waitForReplyTo(563);
    await waitFor("the offset to be stored", async () => {
      const { rows } = await service.core.pool.query<{ next_offset: number }>(
        "SELECT next_offset FROM telegram_update_offsets",
      );
      return rows[0]?.next_offset === handled + 1 ? true : undefined;
    });

    // Stop while a long poll is open and would stay open for 30 s.
    telegram.longPollCapMs = 30_000;
    await waitForPolls(1);
    const stopping = Date.now();
    await service.worker?.stop();
    expect(Date.now() - stopping).toBeLessThan(3000);
    telegram.longPollCapMs = 1000;

    // Sent while no worker runs: the next one handles it, and only it.
    const second = await createLink(user.id);
    const sentMeanwhile = telegram.receive(564, `/start ${second.code}`);
    const requestsBefore = telegram.requests.length;
    service.worker = startWorker(service.core);
    await waitForTelegramId(user.id, "564");
    // The welcome is sent after the link is stored: wait for it rather than race it.
    await waitForReplyTo(564);
    const firstPoll = telegram.requests
      .slice(requestsBefore)
      .find((request) => request.method === "getUpdates");
    expect(firstPoll?.body.offset).toBe(handled + 1);
    expect(sentMeanwhile).toBe(handled + 1);
    expect(repliesTo(563)).toHaveLength(1);
    expect(repliesTo(564).map((request) => request.body.text)).toEqual([WELCOME]);
  });

  it("polls in one worker at a time; another takes over when that one stops", async () => {
    const other = startWorker(service.core);
    try {
      await waitForPolls(4);
      expect(telegram.mostLongPollsAtOnce).toBe(1);
      await service.worker?.stop();
      const user = await newUser("takeover");
      const link = await createLink(user.id);
      telegram.receive(565, `/start ${link.code}`);
      await waitForTelegramId(user.id, "565");
    } finally {
      service.worker = other;
    }
  });

  it("takes over from a worker that died holding the lease once that lease lapses, and not before", async () => {
    await service.worker?.stop();
    // A worker killed mid-poll leaves its lease behind; this one lapses 2 s from now.
    await service.core.pool.query(
      `INSERT INTO maintenance_schedule (task, holder, next_run_at)
       VALUES ('telegram-updates', 'killed-worker', now() + interval '2 seconds')
       ON CONFLICT (task) DO UPDATE SET holder = EXCLUDED.holder, next_run_at = EXCLUDED.next_run_at`,
    );
    const lapsesAt = Date.now() + 2_000;
    const pollsBefore = telegram.requestsOf("getUpdates").length;
    service.worker = startWorker(service.core);
    const user = await newUser("after-a-crash");
    const link = await createLink(user.id);
    telegram.receive(566, `/start ${link.code}`);
    await waitForTelegramId(user.id, "566");
    // Nobody polled while the dead worker's lease held (allowing for the two clocks' rounding).
    expect(Date.now()).toBeGreaterThanOrEqual(lapsesAt - 250);
    expect(telegram.requestsOf("getUpdates").length).toBeGreaterThan(pollsBefore);
    const { rows } = await service.core.pool.query(
      "SELECT holder FROM maintenance_schedule WHERE task = 'telegram-updates'",
    );
    expect(rows[0].holder).not.toBe("killed-worker");
  });

  it("says once that getUpdates answers 409 (a webhook is set), keeps delivering, and picks up again", async () => {
    const reachable = await service.createUser({
      email: "reachable@example.com",
      password: "long enough password",
      telegram_id: "600",
    });
    telegram.replyToGetUpdatesNext(telegramReplies.webhookActive(), telegramReplies.webhookActive());
    await waitForPolls(2);
    const notification = await service.createNotification({ user: reachable.id, message: "still delivered" });
    expect((await service.waitForStatus(notification.id, "sent")).last_channel).toBe("telegram");

    const user = await newUser("after-conflict");
    const link = await createLink(user.id);
    telegram.receive(566, `/start ${link.code}`);
    await waitForTelegramId(user.id, "566");
    // One for the two 409s in a row (a loaded machine may add others, e.g. PostgreSQL slow to answer).
    const warnings = logs.lines.filter(
      (line) =>
        line.level === "warn" &&
        line.message.includes("connect links get no updates") &&
        line.fields.errorCode === 409,
    );
    expect(warnings, JSON.stringify(warnings)).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/webhook is set: deleteWebhook removes it/);
    expect(warnings[0]?.fields).toMatchObject({ errorCode: 409 });
    expect(logs.lines.some((line) => line.message === "Telegram connect links get updates again")).toBe(true);
  });

  it("says that Telegram refuses the token (401), without the token", async () => {
    telegram.replyToGetUpdatesNext(telegramReplies.unauthorized());
    await waitFor("a warning about the token", () =>
      logs.lines.find((line) => line.level === "warn" && line.message.includes("check TELEGRAM_BOT_TOKEN")),
    );
  });

  it("answers 404 for an unknown user and 400 for an id that is not one", async () => {
    expect((await post(987_654_321)).statusCode).toBe(404);
    const bad = await post("abc");
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual({ id: ["A valid integer is required."] });
  });

  it("never shows the bot token in a log line or an answer", () => {
    expect(logs.lines.length).toBeGreaterThan(0);
    for (const secret of [TOKEN, encodeURIComponent(TOKEN), "links-secret-token"]) {
      expect(logs.text()).not.toContain(secret);
      expect(answers.join("\n")).not.toContain(secret);
    }
  });
});

describe("Telegram connect links, off", () => {
  it("makes no link and polls nothing without TELEGRAM_LINKS=true, and says what to set", async () => {
    const telegram = await FakeTelegram.start();
    const service = await startTestService({
      env: { TELEGRAM_API_URL: telegram.url, TELEGRAM_BOT_TOKEN: TOKEN, POLL_INTERVAL_SECONDS: "0.1" },
    });
    try {
      const user = await service.createUser({ email: "off@example.com", password: "long enough password" });
      const refused = await service.inject({ method: "POST", url: `/api/users/${user.id}/telegram-link/` });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toEqual({ detail: expect.stringContaining("set TELEGRAM_LINKS=true") });
      // An unknown user is a 404 all the same, as on every other route.
      const unknown = await service.inject({ method: "POST", url: "/api/users/987654321/telegram-link/" });
      expect(unknown.statusCode).toBe(404);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(telegram.requests).toEqual([]);
    } finally {
      await service.close();
      await telegram.close();
    }
  });

  it("says to set TELEGRAM_BOT_TOKEN when Telegram is not configured at all", async () => {
    const service = await startTestService({ worker: false });
    try {
      const user = await service.createUser({ email: "none@example.com", password: "long enough password" });
      const refused = await service.inject({ method: "POST", url: `/api/users/${user.id}/telegram-link/` });
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toEqual({ detail: expect.stringContaining("set TELEGRAM_BOT_TOKEN") });
    } finally {
      await service.close();
    }
  });
});
