/**
 * Reads the Bot API's replies. Success is `{"ok":true,"result":...}` (for sendMessage,
 * `{"message_id":...}`); errors are `{"ok":false,"error_code":403,"description":"Forbidden: bot was
 * blocked by the user","parameters":{"retry_after":5}}` (https://core.telegram.org/bots/api#making-requests).
 * `readBotApiReply` is the one reading of that shape; `outcomeOfReply` turns a sendMessage reply
 * into a delivery outcome, and the connect links' calls (telegram-bot-api.ts) into typed results.
 */
import {
  type DeliveryOutcome,
  type FailureOutcome,
  misconfigured,
  permanent,
  rateLimited,
  sent,
  transient,
} from "../../core/outcome.js";
import { type ApiReply, excerpt, isJsonObject } from "../post-to-api.js";

export type BotApiReading =
  | { kind: "result"; result: unknown }
  | {
      kind: "error";
      /** Telegram's error_code, or the HTTP status when the body has none. */
      errorCode: number;
      description: string | null;
      retryAfterSeconds: number | null;
      /** Set when a group became a supergroup: the chat's new id. */
      migrateToChatId: unknown;
    }
  /** Not JSON: a proxy or load balancer answered, or the connection broke inside the body. */
  | { kind: "not_json"; status: number; reason: string };

export function readBotApiReply({ status, text, json }: ApiReply): BotApiReading {
  if (!isJsonObject(json)) {
    return { kind: "not_json", status, reason: `HTTP ${status} from the Bot API: ${excerpt(text)}` };
  }
  if (json.ok === true && status >= 200 && status < 300) return { kind: "result", result: json.result };
  const errorCode = Number(json.error_code ?? status);
  const parameters = isJsonObject(json.parameters) ? json.parameters : {};
  const retryAfter = Number(parameters.retry_after);
  return {
    kind: "error",
    errorCode: Number.isFinite(errorCode) ? errorCode : status,
    description: typeof json.description === "string" ? json.description : null,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    migrateToChatId: parameters.migrate_to_chat_id,
  };
}

/** 403s that say this user will never get a message from the bot until they act (unblock, come back). */
const DEAD_CHAT = /bot was blocked by the user|user is deactivated/i;

/** Used when a 429 comes without retry_after (a proxy's, not Telegram's). */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

/** What a sendMessage reply means for the attempt. */
export function outcomeOfReply(reply: ApiReply): DeliveryOutcome {
  const reading = readBotApiReply(reply);
  if (reading.kind === "result") {
    const id = isJsonObject(reading.result) ? reading.result.message_id : undefined;
    return sent(typeof id === "number" || typeof id === "string" ? String(id) : null);
  }
  if (reading.kind === "not_json") return failureWithoutBody(reading.status, reading.reason);
  const { errorCode } = reading;
  const code = String(errorCode);
  const description = reading.description ?? `error_code ${code}`;

  if (errorCode === 429) {
    return rateLimited(
      description,
      Math.ceil(reading.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS),
      code,
    );
  }
  // A bad token: 401 for a well-formed but unknown one, 404 for a malformed one.
  if (errorCode === 401 || errorCode === 404) return misconfigured(description, code);
  // 403: blocked by the user, kicked from the group, user deactivated, can't initiate a chat.
  if (errorCode === 403) {
    return DEAD_CHAT.test(description)
      ? permanent(description, code, "bot_blocked")
      : permanent(description, code);
  }
  // 400: chat not found, user deactivated, and requests Telegram will refuse again as they are.
  // A group upgraded to a supergroup has a new chat id: say which, so the user record can be fixed.
  if (errorCode === 400) {
    const target = reading.migrateToChatId;
    return permanent(
      target === undefined ? description : `${description} (new chat id ${String(target)})`,
      code,
    );
  }
  // 5xx and anything new (409, 420...): worth another try later.
  return transient(description, code);
}

function failureWithoutBody(status: number, reason: string): FailureOutcome {
  if (status === 429) return rateLimited(reason, DEFAULT_RETRY_AFTER_SECONDS, "429");
  if (status >= 300 && status < 400)
    return misconfigured(`${reason} (check TELEGRAM_API_URL)`, String(status));
  return transient(reason, status >= 300 ? String(status) : null);
}
