/**
 * A loopback stand-in for the Telegram Bot API (POST /bot<token>/<method> with a JSON body). It
 * records the token from the path, the method and the parsed body of each request, and answers
 * with scripted replies shaped like the Bot API's, or by default with a sent message.
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
};

export class FakeTelegram {
  readonly requests: TelegramRequest[] = [];
  private replies: FakeReply[] = [];
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

  /** Queues replies for the next requests, in order; once they run out, requests succeed. */
  replyNext(...replies: FakeReply[]): void {
    this.replies.push(...replies);
  }

  /** The texts of the sendMessage requests, in the order they arrived. */
  sentTexts(): string[] {
    return this.requests.map((request) => String(request.body.text));
  }

  reset(): void {
    this.requests.length = 0;
    this.replies = [];
    this.nextMessageId = 1;
  }

  close(): Promise<void> {
    return this.server.close();
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
