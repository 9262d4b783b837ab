/**
 * A loopback stand-in for the Telegram Bot API (POST /bot<token>/<method> with a JSON body). It
 * records the token from the path, the method and the parsed body of each request, and answers
 * with scripted replies shaped like the Bot API's, or by default with a sent message.
 *
 * For connect links it also answers getMe (the bot `loopback_bot`) and getUpdates as Telegram
 * does (https://core.telegram.org/bots/api#getupdates): the updates queued with `receive`, from
 * `offset` on, an offset confirming (forgetting) every update before it; with none waiting it
 * holds the request up to its `timeout`, cut to `longPollCapMs` so tests stay quick, and answers
 * at once when an update comes meanwhile.
 */
import type { IncomingMessage } from "node:http";
import { type FakeReply, ScriptedHttpServer } from "./scripted-http-server.js";

export type { FakeReply } from "./scripted-http-server.js";

export interface TelegramRequest {
  token: string;
  /** The Bot API method from the path, e.g. "sendMessage". */
  method: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
  /** Date.now() when the request arrived, for pacing checks. */
  receivedAt: number;
}

const failure = (
  errorCode: number,
  description: string,
  parameters?: Record<string, unknown>,
): FakeReply => ({
  status: errorCode,
  body: { ok: false, error_code: errorCode, description, ...(parameters ? { parameters } : {}) },
});

/** Replies as the Bot API gives them. */
export const telegramReplies = {
  sent(messageId: number, chatId: string | number, text: string): FakeReply {
    const chat = { id: Number(chatId), type: "private" };
    const result = { message_id: messageId, from: { id: 1, is_bot: true }, chat, date: 1_700_000_000, text };
    return { status: 200, body: { ok: true, result } };
  },
  chatNotFound: () => failure(400, "Bad Request: chat not found"),
  userDeactivated: () => failure(403, "Forbidden: user is deactivated"),
  botBlocked: () => failure(403, "Forbidden: bot was blocked by the user"),
  botKicked: () => failure(403, "Forbidden: bot was kicked from the group chat"),
  badRequest: (description: string) => failure(400, `Bad Request: ${description}`),
  groupMigrated: (newChatId: number) =>
    failure(400, "Bad Request: group chat was upgraded to a supergroup chat", {
      migrate_to_chat_id: newChatId,
    }),
  unauthorized: () => failure(401, "Unauthorized"),
  notFound: () => failure(404, "Not Found"),
  tooManyRequests: (retryAfter: number) =>
    failure(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter }),
  serverError: () => failure(500, "Internal Server Error"),
  badGateway: (): FakeReply => ({ status: 502, raw: "<html><body>502 Bad Gateway</body></html>" }),
  /** getUpdates while the bot has a webhook set. */
  webhookActive: () =>
    failure(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    ),
  /** getUpdates while another process long-polls the same bot. */
  otherPoller: () =>
    failure(
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    ),
};

export const FAKE_BOT_USERNAME = "loopback_bot";

/** An update as getUpdates lists it: a text message in a private chat. */
export interface QueuedUpdate {
  update_id: number;
  message: Record<string, unknown>;
}

/** A text message to the bot, as getUpdates lists it. */
export function textUpdate(
  updateId: number,
  chatId: number,
  text: string,
  chatType = "private",
): QueuedUpdate {
  const chat =
    chatType === "private"
      ? { id: chatId, first_name: "Bob", type: chatType }
      : { id: chatId, title: "A group", type: chatType };
  const command = /^\/\w+/.exec(text)?.[0];
  return {
    update_id: updateId,
    message: {
      message_id: updateId % 1000,
      from: { id: Math.abs(chatId), is_bot: false, first_name: "Bob", language_code: "en" },
      chat,
      date: Math.floor(Date.now() / 1000),
      text,
      ...(command ? { entities: [{ offset: 0, length: command.length, type: "bot_command" }] } : {}),
    },
  };
}

export class FakeTelegram {
  readonly requests: TelegramRequest[] = [];
  /** The longest a getUpdates is held open, whatever its timeout. */
  longPollCapMs = 1000;
  /** The most getUpdates requests that were open at the same moment (Telegram answers a second one 409). */
  mostLongPollsAtOnce = 0;
  private openLongPolls = 0;
  private replies: FakeReply[] = [];
  private getMeReplies: FakeReply[] = [];
  private getUpdatesReplies: FakeReply[] = [];
  private updates: QueuedUpdate[] = [];
  private nextUpdateId = 700_000_001;
  private readonly longPolls = new Set<() => void>();
  private nextMessageId = 1;
  private server!: ScriptedHttpServer;

  static async start(): Promise<FakeTelegram> {
    const fake = new FakeTelegram();
    fake.server = await ScriptedHttpServer.start((req, body) => fake.handle(req, body));
    return fake;
  }

  get url(): string {
    return this.server.url;
  }

  /** Queues replies for the next sendMessage requests, in order; once they run out, requests succeed. */
  replyNext(...replies: FakeReply[]): void {
    this.replies.push(...replies);
  }

  /** Queues replies for the next getMe requests; once they run out, getMe names `loopback_bot`. */
  replyToGetMeNext(...replies: FakeReply[]): void {
    this.getMeReplies.push(...replies);
  }

  /** Queues replies for the next getUpdates requests; once they run out, the queued updates go. */
  replyToGetUpdatesNext(...replies: FakeReply[]): void {
    this.getUpdatesReplies.push(...replies);
  }

  /** A person writes `text` to the bot in the chat `chatId` (private by default); returns the update's id. */
  receive(chatId: number, text: string, chatType = "private"): number {
    const update = textUpdate(this.nextUpdateId++, chatId, text, chatType);
    this.updates.push(update);
    for (const wake of this.longPolls) wake();
    return update.update_id;
  }

  /** Updates not yet confirmed by a getUpdates with a later offset. */
  unconfirmedUpdates(): QueuedUpdate[] {
    return [...this.updates];
  }

  /** The requests of one Bot API method, in the order they arrived. */
  requestsOf(method: string): TelegramRequest[] {
    return this.requests.filter((request) => request.method === method);
  }

  /** The texts of the sendMessage requests, in the order they arrived. */
  sentTexts(): string[] {
    return this.requestsOf("sendMessage").map((request) => String(request.body.text));
  }

  reset(): void {
    this.requests.length = 0;
    this.replies = [];
    this.getMeReplies = [];
    this.getUpdatesReplies = [];
    this.updates = [];
    this.mostLongPollsAtOnce = 0;
    this.nextMessageId = 1;
  }

  close(): Promise<void> {
    for (const wake of this.longPolls) wake();
    return this.server.close();
  }

  private getMe(): FakeReply {
    const result = {
      id: 42,
      is_bot: true,
      first_name: "Loopback",
      username: FAKE_BOT_USERNAME,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
    };
    return this.getMeReplies.shift() ?? { status: 200, body: { ok: true, result } };
  }

  private async getUpdates(body: Record<string, unknown>): Promise<FakeReply> {
    const scripted = this.getUpdatesReplies.shift();
    if (scripted) return scripted;
    const offset = typeof body.offset === "number" ? body.offset : null;
    // An offset confirms every update before it: Telegram forgets them.
    if (offset !== null) this.updates = this.updates.filter((update) => update.update_id >= offset);
    const timeoutMs = Math.min(this.longPollCapMs, Number(body.timeout ?? 0) * 1000);
    this.openLongPolls += 1;
    this.mostLongPollsAtOnce = Math.max(this.mostLongPollsAtOnce, this.openLongPolls);
    if (this.updates.length === 0 && timeoutMs > 0) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.longPolls.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, timeoutMs);
        this.longPolls.add(wake);
      });
    }
    this.openLongPolls -= 1;
    const limit = typeof body.limit === "number" ? body.limit : 100;
    return { status: 200, body: { ok: true, result: this.updates.slice(0, limit) } };
  }

  private handle(req: IncomingMessage, raw: string) {
    const match = /^\/bot([^/]+)\/([^/?]+)/.exec(req.url ?? "");
    if (!match) return { reply: telegramReplies.notFound(), fallback: telegramReplies.notFound };
    const body = parseObject(raw);
    this.requests.push({
      token: decodeURIComponent(match[1] ?? ""),
      method: match[2] ?? "",
      contentType: req.headers["content-type"],
      body,
      receivedAt: Date.now(),
    });
    const fallback = () =>
      telegramReplies.sent(this.nextMessageId++, String(body.chat_id ?? 0), String(body.text ?? ""));
    if (match[2] === "getMe") return { reply: this.getMe(), fallback };
    if (match[2] === "getUpdates") return { reply: this.getUpdates(body), fallback };
    return { reply: this.replies.shift() ?? fallback(), fallback };
  }
}

function parseObject(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
