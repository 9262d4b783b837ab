import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { splitMessageText } from "../../src/channels/telegram/split-message-text.js";
import type { TelegramConfig } from "../../src/channels/telegram/telegram-channel.js";
import {
  TelegramProvider,
  type TelegramProviderOptions,
} from "../../src/channels/telegram/telegram-provider.js";
import type { ChatRateLimiter, RateLimitDecision } from "../../src/channels/telegram/telegram-rate-limit.js";
import type { DeliveryOutcome } from "../../src/core/outcome.js";
import { type FakeReply, FakeTelegram, telegramReplies } from "../support/fake-telegram.js";

const TOKEN = "123456789:AAsecret-bot-token_XYZ";
const CHAT = "424242";
const message = (text = "hello") => ({ to: CHAT, text, subject: null, notificationId: 7 });

let fake: FakeTelegram;
let provider: TelegramProvider;

const config = (overrides: Partial<TelegramConfig> = {}): TelegramConfig => ({
  apiUrl: fake.url,
  botToken: TOKEN,
  defaultChatId: null,
  perChatPerSecond: 1,
  globalPerSecond: 30,
  links: null,
  ...overrides,
});

async function send(text = "hello", signal = AbortSignal.timeout(5000)): Promise<DeliveryOutcome> {
  const outcome = await provider.send(message(text), signal);
  expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  expect(JSON.stringify(outcome)).not.toContain("AAsecret");
  return outcome;
}

async function sendWith(reply: FakeReply, signal?: AbortSignal): Promise<DeliveryOutcome> {
  fake.replyNext(reply);
  return send("hello", signal);
}

beforeAll(async () => {
  fake = await FakeTelegram.start();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  provider = new TelegramProvider(config());
});

describe("Telegram provider: what it sends", () => {
  it("posts JSON {chat_id, text} to sendMessage with the token only in the path", async () => {
    await send("hello");
    expect(fake.requests).toHaveLength(1);
    const [request] = fake.requests;
    expect(request?.token).toBe(TOKEN);
    expect(request?.method).toBe("sendMessage");
    expect(request?.contentType).toContain("application/json");
    expect(request?.body).toEqual({ chat_id: CHAT, text: "hello" });
  });
});

describe("Telegram provider: replies", () => {
  it("ok:true is sent with message_id", async () => {
    const outcome = await sendWith(telegramReplies.sent(991, CHAT, "hello"));
    // Telegram has no receipts: ok: true means the message is in the chat.
    expect(outcome).toEqual({
      kind: "sent",
      providerMessageId: "991",
      details: { messageIds: ["991"] },
      delivered: true,
    });
  });

  it.each([
    ["chat not found", telegramReplies.chatNotFound(), "permanent", "400", "Bad Request: chat not found"],
    [
      "blocked by the user",
      telegramReplies.botBlocked(),
      "permanent",
      "403",
      "Forbidden: bot was blocked by the user",
    ],
    [
      "kicked from the group",
      telegramReplies.botKicked(),
      "permanent",
      "403",
      "Forbidden: bot was kicked from the group chat",
    ],
    [
      "user deactivated",
      telegramReplies.userDeactivated(),
      "permanent",
      "403",
      "Forbidden: user is deactivated",
    ],
    [
      "another 400",
      telegramReplies.badRequest("message text is empty"),
      "permanent",
      "400",
      "Bad Request: message text is empty",
    ],
    ["401 Unauthorized", telegramReplies.unauthorized(), "misconfigured", "401", "Unauthorized"],
    ["404 Not Found", telegramReplies.notFound(), "misconfigured", "404", "Not Found"],
    ["500", telegramReplies.serverError(), "transient", "500", "Internal Server Error"],
  ] as const)("%s is %s", async (_name, reply, kind, code, reason) => {
    // A blocked bot or a deactivated user proves the chat dead: the chat is then suppressed.
    const dead = /blocked by the user|user is deactivated/.test(reason) ? { deadAddress: "bot_blocked" } : {};
    expect(await sendWith(reply)).toEqual({ kind, code, reason, ...dead });
  });

  it("429 is rate limited for retry_after seconds", async () => {
    const outcome = await sendWith(telegramReplies.tooManyRequests(17));
    expect(outcome).toEqual({
      kind: "rate_limited",
      code: "429",
      reason: "Too Many Requests: retry after 17",
      retryAfterSeconds: 17,
    });
  });

  it("a group upgraded to a supergroup is permanent and names the new chat id", async () => {
    const outcome = await sendWith(telegramReplies.groupMigrated(-1001234567890));
    expect(outcome).toMatchObject({ kind: "permanent", code: "400" });
    expect(outcome.kind === "permanent" && outcome.reason).toContain("-1001234567890");
  });

  it("a proxy's 502 page is transient", async () => {
    const outcome = await sendWith(telegramReplies.badGateway());
    expect(outcome).toMatchObject({ kind: "transient", code: "502" });
  });

  it("ok:false inside HTTP 200 is still a failure", async () => {
    const outcome = await sendWith({
      status: 200,
      body: { ok: false, error_code: 403, description: "Forbidden: x" },
    });
    expect(outcome).toMatchObject({ kind: "permanent", code: "403" });
  });
});

describe("Telegram provider: transport failures", () => {
  it("a dropped connection is transient", async () => {
    expect(await sendWith({ drop: true })).toMatchObject({ kind: "transient", code: null });
  });

  it("a hanging server ends as transient 'timed out' when the signal fires", async () => {
    const outcome = await sendWith({ hangMs: 5000 }, AbortSignal.timeout(200));
    expect(outcome).toEqual({ kind: "transient", code: null, reason: "timed out" });
  });

  it("connection refused is transient", async () => {
    const closed = await FakeTelegram.start();
    const url = closed.url;
    await closed.close();
    provider = new TelegramProvider(config({ apiUrl: url }));
    const outcome = await send();
    expect(outcome.kind).toBe("transient");
    expect(outcome.kind === "transient" && outcome.reason).toContain("ECONNREFUSED");
  });

  it("an error about the URL (which holds the token) does not carry the token", async () => {
    provider = new TelegramProvider(config({ apiUrl: "http://bad host" }));
    const outcome = await send();
    expect(outcome.kind).toBe("transient");
    expect(outcome.kind === "transient" && outcome.reason).toMatch(/network error/);
    expect(JSON.stringify(outcome)).not.toContain(TOKEN);
  });
});

describe("Telegram provider: long texts", () => {
  const line = (n: number) => `${String(n).padStart(4, "0")} ${"x".repeat(94)}\n`; // 100 characters
  const longText = Array.from({ length: 100 }, (_, i) => line(i)).join(""); // 10,000 characters

  it("sends over 4096 characters as parts in order, cut at line breaks", async () => {
    const outcome = await send(longText);
    const texts = fake.sentTexts();
    expect(texts).toHaveLength(3);
    expect(texts.join("")).toBe(longText);
    for (const text of texts) {
      expect(text.length).toBeLessThanOrEqual(4096);
      expect(text.endsWith("\n")).toBe(true);
    }
    expect(outcome).toEqual({
      kind: "sent",
      providerMessageId: "1",
      details: { messageIds: ["1", "2", "3"] },
      delivered: true,
    });
  });

  it("when a later part fails, the outcome is that failure and says which part", async () => {
    fake.replyNext(telegramReplies.sent(10, CHAT, "a"), telegramReplies.botBlocked());
    const outcome = await send(longText);
    expect(fake.requests).toHaveLength(2);
    expect(outcome).toEqual({
      kind: "permanent",
      code: "403",
      reason: "part 2 of 3 failed (part 1 sent): Forbidden: bot was blocked by the user",
      details: { messageIds: ["10"], partCount: 3 },
      deadAddress: "bot_blocked",
    });
  });

  it("given the parts an earlier attempt sent, sends only the rest", async () => {
    const all = splitMessageText(longText);
    const outcome = await provider.send(
      { ...message(longText), previousAttempt: { messageIds: ["10"], partCount: 3 } },
      AbortSignal.timeout(5000),
    );
    expect(fake.sentTexts()).toEqual(all.slice(1));
    expect(outcome).toEqual({
      kind: "sent",
      providerMessageId: "10",
      details: { messageIds: ["10", "1", "2"], resumedAtPart: 2 },
      delivered: true,
    });
  });

  it("a failure on the first part it sends after resuming keeps the earlier parts' ids", async () => {
    fake.replyNext(telegramReplies.serverError());
    const outcome = await provider.send(
      { ...message(longText), previousAttempt: { messageIds: ["10", "11"], partCount: 3 } },
      AbortSignal.timeout(5000),
    );
    expect(fake.requests).toHaveLength(1);
    expect(outcome).toMatchObject({
      kind: "transient",
      reason: expect.stringMatching(/^part 3 of 3 failed \(parts 1-2 sent\)/),
      details: { messageIds: ["10", "11"], partCount: 3 },
    });
  });

  it("sends every part when the earlier attempt's details do not fit this text", async () => {
    for (const previousAttempt of [
      { messageIds: ["10"], partCount: 2 },
      { messageIds: ["10", "11", "12"], partCount: 3 },
      { messageIds: "10", partCount: 3 },
      {},
    ]) {
      fake.reset();
      await provider.send({ ...message(longText), previousAttempt }, AbortSignal.timeout(5000));
      expect(fake.sentTexts()).toHaveLength(3);
    }
  });
});

describe("Telegram provider: pacing", () => {
  class StubLimiter implements ChatRateLimiter {
    readonly calls: { chatId: string; maxWaitMs: number }[] = [];
    constructor(private readonly answer: RateLimitDecision | Error) {}
    async reserve(chatId: string, maxWaitMs: number): Promise<RateLimitDecision> {
      this.calls.push({ chatId, maxWaitMs });
      if (this.answer instanceof Error) throw this.answer;
      return this.answer;
    }
  }
  const paced = (answer: RateLimitDecision | Error, options: TelegramProviderOptions = {}) => {
    const limiter = new StubLimiter(answer);
    provider = new TelegramProvider(config(), { rateLimiter: limiter, ...options });
    return limiter;
  };

  it("a long wait is rate limited in whole seconds and sends nothing", async () => {
    const limiter = paced({ reserved: false, waitMs: 2300 });
    const outcome = await send();
    expect(outcome).toMatchObject({ kind: "rate_limited", code: null, retryAfterSeconds: 3 });
    expect(limiter.calls).toEqual([{ chatId: CHAT, maxWaitMs: 1000 }]);
    expect(fake.requests).toHaveLength(0);
  });

  it("a short wait is waited out, then the message goes", async () => {
    paced({ reserved: true, waitMs: 300 });
    const started = Date.now();
    expect((await send()).kind).toBe("sent");
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(fake.requests).toHaveLength(1);
  });

  it("the wait stops when the signal fires", async () => {
    paced({ reserved: true, waitMs: 5000 });
    const outcome = await send("hello", AbortSignal.timeout(100));
    expect(outcome).toEqual({ kind: "transient", code: null, reason: "timed out" });
    expect(fake.requests).toHaveLength(0);
  });

  it("a limiter that fails (Redis down) is transient", async () => {
    paced(new Error("connect ECONNREFUSED 127.0.0.1:6379"));
    const outcome = await send();
    expect(outcome).toMatchObject({ kind: "transient", code: null });
    expect(fake.requests).toHaveLength(0);
  });
});
