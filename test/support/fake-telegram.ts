/**
 * A loopback stand-in for the Telegram Bot API (POST /bot<token>/<method> with a JSON body). It
 * records the token from the path, the method and the parsed body of each request, and answers
 * with scripted replies shaped like the Bot API's, or by default with a sent message.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FakeReply =
  | { status: number; body: unknown }
  | { status: number; raw: string; contentType?: string }
  /** Says nothing for `hangMs`, then sends `then` (or the default reply) if the client still waits. */
  | { hangMs: number; then?: FakeReply }
  /** Closes the connection without a reply. */
  | { drop: true };

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
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeTelegram> {
    const server = createServer();
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    const fake = new FakeTelegram(server, `http://127.0.0.1:${port}`);
    // A client that gives up mid-request is not the fake's problem.
    server.on("request", (req, res) => fake.handle(req, res).catch(() => res.destroy()));
    return fake;
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

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const match = /^\/bot([^/]+)\/([^/?]+)/.exec(req.url ?? "");
    if (!match) return this.answer(res, telegramReplies.notFound(), {});
    const body = parseObject(raw);
    this.requests.push({
      token: decodeURIComponent(match[1] ?? ""),
      method: match[2] ?? "",
      contentType: req.headers["content-type"],
      body,
      receivedAt: Date.now(),
    });
    this.answer(res, this.replies.shift() ?? this.defaultReply(body), body);
  }

  private defaultReply(body: Record<string, unknown>): FakeReply {
    return telegramReplies.sent(this.nextMessageId++, String(body.chat_id ?? 0), String(body.text ?? ""));
  }

  private answer(res: ServerResponse, reply: FakeReply, body: Record<string, unknown>): void {
    if ("drop" in reply) {
      res.socket?.destroy();
    } else if ("hangMs" in reply) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (!res.destroyed) this.answer(res, reply.then ?? this.defaultReply(body), body);
      }, reply.hangMs);
      this.timers.add(timer);
    } else if ("raw" in reply) {
      res.writeHead(reply.status, { "content-type": reply.contentType ?? "text/html" }).end(reply.raw);
    } else {
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
    }
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
