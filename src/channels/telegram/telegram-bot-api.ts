/**
 * The Bot API calls that connect links make besides sending notifications: getMe (the bot's
 * username, for t.me links), getUpdates (long polling for the messages people send the bot) and
 * a plain sendMessage (the bot's answer to /start). Each reply, read by telegram-reply.ts's
 * readBotApiReply as a notification's is, becomes a typed result, and every text that could quote
 * the URL (the token is in its path) is redacted.
 */
import { isJsonObject, postToApi } from "../post-to-api.js";
import { redact } from "../redact.js";
import { readBotApiReply } from "./telegram-reply.js";

export type BotApiResult<T> =
  | { ok: true; result: T }
  /** errorCode: Telegram's error_code, else the HTTP status; null when no reply came at all. */
  | { ok: false; errorCode: number | null; description: string; retryAfterSeconds: number | null };

/** A message a person sent the bot, as much of it as connect links read. */
export interface IncomingMessage {
  chatId: string;
  /** "private", "group", "supergroup" or "channel". */
  chatType: string;
  /** Null for a message without text (a photo, a sticker). */
  text: string | null;
}

export interface BotUpdate {
  updateId: number;
  /** Null for updates of other kinds (edited messages, callbacks...). */
  message: IncomingMessage | null;
}

export interface TelegramBotApiSettings {
  apiUrl: string;
  botToken: string;
}

export class TelegramBotApi {
  constructor(private readonly settings: TelegramBotApiSettings) {}

  /** The bot's own account: its username names it in t.me links. */
  async getMe(signal: AbortSignal): Promise<BotApiResult<{ username: string }>> {
    const reply = await this.call("getMe", {}, signal);
    if (!reply.ok) return reply;
    const username = (reply.result as { username?: unknown } | null)?.username;
    return typeof username === "string" && /^\w{1,64}$/.test(username)
      ? { ok: true, result: { username } }
      : this.failure(null, "getMe answered without the bot's username");
  }

  /**
   * The updates from `offset` on (null: every update Telegram still keeps), waiting up to
   * `timeoutSeconds` for one to come (long polling). Asking with an offset confirms every update
   * before it: Telegram forgets them.
   */
  async getUpdates(
    offset: number | null,
    timeoutSeconds: number,
    signal: AbortSignal,
  ): Promise<BotApiResult<BotUpdate[]>> {
    const body = {
      ...(offset === null ? {} : { offset }),
      timeout: timeoutSeconds,
      allowed_updates: ["message"],
    };
    const reply = await this.call("getUpdates", body, signal);
    if (!reply.ok) return reply;
    if (!Array.isArray(reply.result)) return this.failure(null, "getUpdates answered without a list");
    const updates: BotUpdate[] = [];
    for (const raw of reply.result as unknown[]) {
      const update = updateOf(raw);
      if (update) updates.push(update);
    }
    return { ok: true, result: updates };
  }

  async sendMessage(chatId: string, text: string, signal: AbortSignal): Promise<BotApiResult<null>> {
    const reply = await this.call("sendMessage", { chat_id: chatId, text }, signal);
    return reply.ok ? { ok: true, result: null } : reply;
  }

  private async call(method: string, body: object, signal: AbortSignal): Promise<BotApiResult<unknown>> {
    const { apiUrl, botToken } = this.settings;
    const posted = await postToApi(
      `${apiUrl}/bot${botToken}/${method}`,
      { headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      signal,
      [botToken],
    );
    if ("failure" in posted) return this.failure(null, posted.failure.reason);
    const reading = readBotApiReply(posted.reply);
    if (reading.kind === "result") return { ok: true, result: reading.result };
    if (reading.kind === "not_json") return this.failure(reading.status, reading.reason);
    return {
      ...this.failure(reading.errorCode, reading.description ?? `error_code ${reading.errorCode}`),
      retryAfterSeconds: reading.retryAfterSeconds,
    };
  }

  private failure(
    errorCode: number | null,
    description: string,
  ): { ok: false; errorCode: number | null; description: string; retryAfterSeconds: null } {
    return {
      ok: false,
      errorCode,
      description: redact(description, [this.settings.botToken]),
      retryAfterSeconds: null,
    };
  }
}

/** The bot's id: the digits before the colon of its token (public: it is the bot's user id). */
export function botIdOf(botToken: string): string {
  return botToken.slice(0, botToken.indexOf(":"));
}

function updateOf(raw: unknown): BotUpdate | null {
  if (!isJsonObject(raw) || typeof raw.update_id !== "number") return null;
  const message = isJsonObject(raw.message) ? raw.message : null;
  const chat = message && isJsonObject(message.chat) ? message.chat : null;
  const chatId = chat?.id;
  if (!message || !chat || (typeof chatId !== "number" && typeof chatId !== "string")) {
    return { updateId: raw.update_id, message: null };
  }
  return {
    updateId: raw.update_id,
    message: {
      chatId: String(chatId),
      chatType: typeof chat.type === "string" ? chat.type : "",
      text: typeof message.text === "string" ? message.text : null,
    },
  };
}
