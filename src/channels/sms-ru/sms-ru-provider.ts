/**
 * SMS through SMS.ru's HTTP API: one POST to /sms/send per message, form-encoded so the api_id
 * travels in the body and never in a URL (URLs end up in proxy and access logs).
 */

import { type DeliveryOutcome, permanent } from "../../core/outcome.js";
import type { ChannelProvider, OutgoingMessage } from "../channel.js";
import { postToApi } from "../post-to-api.js";
import { redact } from "../redact.js";
import type { SmsRuConfig } from "./sms-ru-channel.js";
import { SmsRuReceipts } from "./sms-ru-receipts.js";
import { outcomeOfReply } from "./sms-ru-reply.js";

export class SmsRuProvider implements ChannelProvider {
  readonly channel = "sms" as const;
  readonly vendor = "SMS.ru";
  /** Absent with SMS_RECEIPTS=false: an accepted SMS then stays `accepted`, like an email. */
  readonly receipts: SmsRuReceipts | undefined;

  constructor(private readonly config: SmsRuConfig) {
    this.receipts = config.receipts ? new SmsRuReceipts(config) : undefined;
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryOutcome> {
    // SMS.ru wants the number as digits only: E.164 without the plus.
    const number = message.to.replace(/\D/g, "");
    if (number === "") return permanent("the phone number has no digits");

    const form = new URLSearchParams({ api_id: this.config.apiId, to: number, msg: message.text, json: "1" });
    if (this.config.senderName) form.set("from", this.config.senderName);

    const secrets = [this.config.apiId];
    const result = await postToApi(
      `${this.config.apiUrl}/sms/send`,
      { headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() },
      signal,
      secrets,
    );
    if ("failure" in result) return result.failure;
    const outcome = outcomeOfReply(result.reply, number);
    return outcome.kind === "sent" ? outcome : { ...outcome, reason: redact(outcome.reason, secrets) };
  }
}
