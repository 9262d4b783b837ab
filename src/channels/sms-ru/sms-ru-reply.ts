/**
 * Reads SMS.ru's reply to /sms/send?json=1 for one of its numbers. HTTP 200 is not success: the request
 * has a top-level status/status_code (auth, money, sender...) and each number its own entry in
 * the `sms` map. Only an entry with status_code 100 counts as sent.
 *
 *   {"status":"OK","status_code":100,"sms":{"79990001122":{"status":"OK","status_code":100,
 *    "sms_id":"000000-10000000"}},"balance":4122.56}
 *   {"status":"ERROR","status_code":200,"status_text":"Неправильный api_id"}
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
import { meaningOf, SMS_RU_ACCEPTED } from "./sms-ru-status-codes.js";

interface StatusPart {
  status?: unknown;
  status_code?: unknown;
  status_text?: unknown;
}

interface SendReply extends StatusPart {
  sms?: unknown;
  balance?: unknown;
}

interface NumberEntry extends StatusPart {
  sms_id?: unknown;
}

/**
 * `alone`: the call carried this number only, so a single entry in the reply is ours whatever
 * SMS.ru keyed it by; in a call for several numbers only the number's own entry counts.
 */
export function outcomeOfReply(reply: ApiReply, number: string, { alone = true } = {}): DeliveryOutcome {
  const httpFailure = outcomeOfHttpStatus(reply);
  if (httpFailure) return httpFailure;
  if (!isJsonObject(reply.json)) return transient(`unreadable reply from SMS.ru: ${excerpt(reply.text)}`);

  const body = reply.json as SendReply;
  if (!isAccepted(body)) return failureOf(body);

  const entry = entryFor(body.sms, number, alone);
  if (!entry) return transient("SMS.ru accepted the request but its reply has no entry for the number");
  if (!isAccepted(entry)) return failureOf(entry);

  const smsId =
    typeof entry.sms_id === "string" || typeof entry.sms_id === "number" ? String(entry.sms_id) : null;
  return sent(smsId, body.balance === undefined ? undefined : { balance: body.balance });
}

function outcomeOfHttpStatus({ status, text }: ApiReply): FailureOutcome | null {
  if (status >= 200 && status < 300) return null;
  const reason = `HTTP ${status} from SMS.ru: ${excerpt(text)}`;
  if (status >= 500) return transient(reason);
  if (status === 429) return rateLimited(reason, 60);
  // SMS.ru answers every API call with 200; a redirect or a 4xx comes from a wrong SMS_RU_API_URL.
  return misconfigured(`${reason} (check SMS_RU_API_URL)`);
}

function isAccepted(part: StatusPart): boolean {
  return part.status === "OK" && Number(part.status_code) === SMS_RU_ACCEPTED;
}

function failureOf(part: StatusPart): FailureOutcome {
  const code = Number(part.status_code);
  const known = Number.isInteger(code);
  const codeText = known ? String(code) : null;
  const reason =
    typeof part.status_text === "string" && part.status_text !== ""
      ? part.status_text
      : `SMS.ru status ${String(part.status)} with status_code ${String(part.status_code)}`;
  if (!known) return transient(reason, codeText);
  const meaning = meaningOf(code);
  switch (meaning.kind) {
    case "misconfigured":
      return misconfigured(reason, codeText);
    case "permanent":
      return permanent(reason, codeText, meaning.deadNumber ? "invalid_number" : undefined);
    case "rate_limited":
      return rateLimited(reason, meaning.retryAfterSeconds ?? 60, codeText);
    case "transient":
      return transient(reason, codeText);
  }
}

/**
 * The entry for our number. SMS.ru keys the map by the number as it normalised it, which may
 * differ from what we sent; when the call carried our number alone, a single entry is ours either way.
 */
function entryFor(map: unknown, number: string, alone: boolean): NumberEntry | null {
  if (!isJsonObject(map)) return null;
  const own = (map as Record<string, unknown>)[number];
  if (isJsonObject(own)) return own as NumberEntry;
  if (!alone) return null;
  const entries = Object.values(map);
  return entries.length === 1 && isJsonObject(entries[0]) ? (entries[0] as NumberEntry) : null;
}
