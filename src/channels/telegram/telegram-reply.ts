/**
 * Reads the Bot API's reply to sendMessage. Success is `{"ok":true,"result":{"message_id":...}}`;
 * errors are `{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user",
 * "parameters":{"retry_after":5}}` (https://core.telegram.org/bots/api#making-requests).
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

interface BotApiReply {
  ok?: unknown;
  result?: { message_id?: unknown };
  error_code?: unknown;
  description?: unknown;
  parameters?: { retry_after?: unknown; migrate_to_chat_id?: unknown };
}

/** 403s that say this user will never get a message from the bot until they act (unblock, come back). */
const DEAD_CHAT = /bot was blocked by the user|user is deactivated/i;

/** Used when a 429 comes without retry_after (a proxy's, not Telegram's). */
const DEFAULT_RETRY_AFTER_SECONDS = 5;

export function outcomeOfReply(reply: ApiReply): DeliveryOutcome {
  const body = isJsonObject(reply.json) ? (reply.json as BotApiReply) : null;
  if (body?.ok === true && reply.status >= 200 && reply.status < 300) {
    const id = body.result?.message_id;
    return sent(typeof id === "number" || typeof id === "string" ? String(id) : null);
  }
  return failureOf(reply, body);
}

function failureOf(reply: ApiReply, body: BotApiReply | null): FailureOutcome {
  if (body === null) return failureWithoutBody(reply);
  const errorCode = Number(body.error_code ?? reply.status);
  const code = String(errorCode);
  const description = typeof body.description === "string" ? body.description : `error_code ${code}`;

  if (errorCode === 429) return rateLimited(description, retryAfterSeconds(body), code);
  // A bad token: 401 for a well-formed but unknown one, 404 for a malformed one.
  if (errorCode === 401 || errorCode === 404) return misconfigured(description, code);
  // 403: blocked by the user, kicked from the group, user deactivated, can't initiate a chat.
  if (errorCode === 403) {
    return DEAD_CHAT.test(description)
      ? permanent(description, code, "bot_blocked")
      : permanent(description, code);
  }
  // 400: chat not found, user deactivated, and requests Telegram will refuse again as they are.
  if (errorCode === 400) return permanent(withMigration(description, body), code);
  // 5xx and anything new (409, 420...): worth another try later.
  return transient(description, code);
}

/** No JSON: a proxy or load balancer answered, or the connection broke inside the body. */
function failureWithoutBody({ status, text }: ApiReply): FailureOutcome {
  const reason = `HTTP ${status} from the Bot API: ${excerpt(text)}`;
  if (status === 429) return rateLimited(reason, DEFAULT_RETRY_AFTER_SECONDS, "429");
  if (status >= 300 && status < 400)
    return misconfigured(`${reason} (check TELEGRAM_API_URL)`, String(status));
  return transient(reason, status >= 300 ? String(status) : null);
}

function retryAfterSeconds(body: BotApiReply): number {
  const retryAfter = Number(body.parameters?.retry_after);
  return Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : DEFAULT_RETRY_AFTER_SECONDS;
}

/** A group upgraded to a supergroup has a new chat id; say which, so the user record can be fixed. */
function withMigration(description: string, body: BotApiReply | null): string {
  const target = body?.parameters?.migrate_to_chat_id;
  return target === undefined ? description : `${description} (new chat id ${String(target)})`;
}
