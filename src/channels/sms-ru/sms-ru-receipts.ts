/**
 * Delivery receipts from SMS.ru: one POST to /sms/status for many sms_ids (comma-separated, as
 * SMS.ru's documentation shows), api_id in the form body like /sms/send. The reply has a
 * top-level status (auth, method) and one entry per sms_id in its `sms` map:
 *
 *   {"status":"OK","status_code":100,"sms":{"000000-000001":{"status":"OK","status_code":103,
 *    "cost":0.5,"status_text":"Сообщение доставлено"}},"balance":4122.56}
 */
import type { ReceiptReport, ReceiptSource } from "../channel.js";
import { excerpt, postToApi } from "../post-to-api.js";
import { redact } from "../redact.js";
import type { SmsRuConfig } from "./sms-ru-channel.js";
import { receiptStateOf, SMS_RU_RECEIPT_TEXTS } from "./sms-ru-receipt-codes.js";

/** SMS.ru takes up to 100 numbers per send; its status calls are kept to the same size. */
const SMS_IDS_PER_CALL = 100;

interface StatusEntry {
  status?: unknown;
  status_code?: unknown;
  status_text?: unknown;
}

export class SmsRuReceipts implements ReceiptSource {
  readonly maxBatch = SMS_IDS_PER_CALL;

  constructor(private readonly config: SmsRuConfig) {}

  async check(
    smsIds: readonly string[],
    signal: AbortSignal,
  ): Promise<ReceiptReport[] | { failure: string }> {
    const secrets = [this.config.apiId];
    const form = new URLSearchParams({ api_id: this.config.apiId, sms_id: smsIds.join(","), json: "1" });
    const result = await postToApi(
      `${this.config.apiUrl}/sms/status`,
      { headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() },
      signal,
      secrets,
    );
    if ("failure" in result) return { failure: result.failure.reason };
    const { reply } = result;
    const body = reply.json as {
      status?: unknown;
      status_code?: unknown;
      status_text?: unknown;
      sms?: unknown;
    };
    if (reply.status < 200 || reply.status >= 300 || typeof body !== "object" || body === null) {
      return { failure: redact(`HTTP ${reply.status} from SMS.ru: ${excerpt(reply.text)}`, secrets) };
    }
    if (body.status !== "OK") {
      const text = typeof body.status_text === "string" ? body.status_text : excerpt(reply.text);
      return {
        failure: redact(`SMS.ru refused the status request (${String(body.status_code)}): ${text}`, secrets),
      };
    }
    const entries =
      typeof body.sms === "object" && body.sms !== null ? (body.sms as Record<string, unknown>) : {};
    const reports: ReceiptReport[] = [];
    for (const smsId of smsIds) {
      const entry = entries[smsId] as StatusEntry | undefined;
      if (typeof entry !== "object" || entry === null) continue;
      const code = Number(entry.status_code);
      if (!Number.isInteger(code)) continue;
      const text =
        typeof entry.status_text === "string" && entry.status_text !== ""
          ? entry.status_text
          : (SMS_RU_RECEIPT_TEXTS[code] ?? null);
      reports.push({ providerMessageId: smsId, state: receiptStateOf(code), code: String(code), text });
    }
    return reports;
  }
}
