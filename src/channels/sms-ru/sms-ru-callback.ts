/**
 * SMS.ru's status callback, as its callback documentation and its own client libraries describe
 * it: a form POST with fields data[0], data[1], ..., each a few lines joined by "\n": the event
 * type (`sms_status` for a delivery status; other types are not ours), the sms_id, the status code
 * (the codes of /sms/status) and, when present, the Unix time of the change. Pure: the route hands
 * in the form's fields.
 */
import type { ReceiptReport } from "../channel.js";
import { receiptStateOf, SMS_RU_RECEIPT_TEXTS } from "./sms-ru-receipt-codes.js";

/** More entries than this in one callback is not SMS.ru: the whole body is refused. */
export const MAX_CALLBACK_ENTRIES = 1000;

/** What a body without a single data[N] field (an empty POST included) is told. */
export const NOT_A_CALLBACK =
  "Not an SMS.ru callback: the body must be a form (application/x-www-form-urlencoded) of fields data[0], data[1], ..., each the lines of one event: its type (sms_status), the sms_id and the status code.";

const ENTRY_FIELD = /^data\[(\d{1,6})\]$/;
const SMS_ID = /^[A-Za-z0-9_.:-]{1,100}$/;
const STATUS_CODE = /^-?\d{1,6}$/;

export type ParsedSmsRuCallback =
  | {
      /** One report per sms_status entry that made sense, in the order SMS.ru sent them. */
      reports: ReceiptReport[];
      /** Entries of other event types: not delivery statuses. */
      otherEvents: number;
      /** sms_status entries without a usable sms_id or status code. */
      malformed: number;
    }
  | { invalid: string };

export function parseSmsRuCallback(fields: Iterable<[string, string]>): ParsedSmsRuCallback {
  const entries: { index: number; value: string }[] = [];
  for (const [name, value] of fields) {
    const match = ENTRY_FIELD.exec(name);
    if (!match) continue;
    if (entries.length === MAX_CALLBACK_ENTRIES) {
      return { invalid: `An SMS.ru callback has at most ${MAX_CALLBACK_ENTRIES} data[] entries.` };
    }
    entries.push({ index: Number(match[1]), value });
  }
  if (entries.length === 0) {
    return { invalid: NOT_A_CALLBACK };
  }
  entries.sort((a, b) => a.index - b.index);
  const reports: ReceiptReport[] = [];
  let otherEvents = 0;
  let malformed = 0;
  for (const { value } of entries) {
    const [type, smsId, code] = value.split("\n").map((line) => line.trim());
    if (type !== "sms_status") {
      otherEvents += 1;
      continue;
    }
    if (!smsId || !SMS_ID.test(smsId) || !code || !STATUS_CODE.test(code)) {
      malformed += 1;
      continue;
    }
    const statusCode = Number(code);
    reports.push({
      providerMessageId: smsId,
      state: receiptStateOf(statusCode),
      code: String(statusCode),
      text: SMS_RU_RECEIPT_TEXTS[statusCode] ?? null,
    });
  }
  return { reports, otherEvents, malformed };
}
