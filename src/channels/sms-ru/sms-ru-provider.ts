/**
 * SMS through SMS.ru's HTTP API: POST /sms/send, form-encoded so the api_id travels in the body
 * and never in a URL (URLs end up in proxy and access logs).
 *
 * Messages sent in the same event-loop tick share one call: SMS.ru takes up to 100 different texts
 * for different numbers as `multi[number]=text` and answers for each number on its own. A worker
 * starts the attempts of a claimed batch together, so under load one call carries a few dozen
 * messages instead of one each (one HTTP round trip and one reply to read, on both sides). A
 * message alone goes as `to` and `msg`, as before.
 */

import { type DeliveryOutcome, permanent, transient } from "../../core/outcome.js";
import { abortReason } from "../abort.js";
import type { ChannelProvider, OutgoingMessage } from "../channel.js";
import { postToApi } from "../post-to-api.js";
import { redact } from "../redact.js";
import type { SmsRuConfig } from "./sms-ru-channel.js";
import { SmsRuReceipts } from "./sms-ru-receipts.js";
import { outcomeOfReply } from "./sms-ru-reply.js";

/** SMS.ru refuses a call with more numbers than this (status_code 213). */
const SMS_RU_MAX_NUMBERS_PER_CALL = 100;

interface QueuedMessage {
  /** Digits only, as SMS.ru keys its reply. */
  number: string;
  text: string;
  signal: AbortSignal;
  resolve: (outcome: DeliveryOutcome) => void;
}

export class SmsRuProvider implements ChannelProvider {
  readonly channel = "sms" as const;
  readonly vendor = "SMS.ru";
  /** Absent with SMS_RECEIPTS=false: an accepted SMS then stays `accepted`, like an email. */
  readonly receipts: SmsRuReceipts | undefined;
  /**
   * The messages of this tick, sent on the next one (a flush is scheduled when the first joins).
   * Not a TickBatcher: that resolves a batch together, and here each call's messages must have
   * their outcome as soon as their own call answers, not when a slower call of the tick does.
   */
  private queued: QueuedMessage[] = [];

  constructor(private readonly config: SmsRuConfig) {
    this.receipts = config.receipts ? new SmsRuReceipts(config) : undefined;
  }

  send(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryOutcome> {
    // SMS.ru wants the number as digits only: E.164 without the plus.
    const number = message.to.replace(/\D/g, "");
    if (number === "") return Promise.resolve(permanent("the phone number has no digits"));
    return new Promise((resolve) => {
      this.queued.push({ number, text: message.text, signal, resolve });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queued;
    this.queued = [];
    const live: QueuedMessage[] = [];
    for (const message of queued) {
      // Timed out before its call went: nothing was sent, and it must not cut the others' call short.
      if (message.signal.aborted) message.resolve(transient(abortReason(message.signal)));
      else live.push(message);
    }
    for (const call of callsOf(live)) {
      this.post(call).catch((error: unknown) => {
        const reason = `SMS.ru call failed: ${error instanceof Error ? error.name : "unknown error"}`;
        for (const message of call) message.resolve(transient(reason));
      });
    }
  }

  /** One /sms/send call; every message in it gets the outcome SMS.ru gave its number. */
  private async post(call: QueuedMessage[]): Promise<void> {
    const form = new URLSearchParams({ api_id: this.config.apiId });
    const alone = call.length === 1;
    if (alone) {
      form.set("to", call[0]!.number);
      form.set("msg", call[0]!.text);
    } else {
      for (const message of call) form.set(`multi[${message.number}]`, message.text);
    }
    form.set("json", "1");
    if (this.config.senderName) form.set("from", this.config.senderName);

    // The messages of one call were queued in the same tick by callers that give each the same
    // timeout, so the first queued is the first to time out, and its signal ends the call for all
    // of them. Not AbortSignal.any: on Node 20 combining 20 signals costs about 250 µs (weak
    // references and their finalisation), some 12 µs per SMS; a caller whose own signal aborts
    // sooner still has its own timeout answer it (deliver-notification's sendWithTimeout).
    const signal = call[0]!.signal;
    const secrets = [this.config.apiId];
    const result = await postToApi(
      `${this.config.apiUrl}/sms/send`,
      { headers: { "content-type": "application/x-www-form-urlencoded" }, body: form.toString() },
      signal,
      secrets,
    );
    for (const message of call) {
      if ("failure" in result) {
        message.resolve(result.failure);
        continue;
      }
      const outcome = outcomeOfReply(result.reply, message.number, { alone });
      message.resolve(
        outcome.kind === "sent" ? outcome : { ...outcome, reason: redact(outcome.reason, secrets) },
      );
    }
  }
}

/**
 * Splits the messages of a tick into calls of at most 100, each number at most once per call
 * (SMS.ru's reply has one entry per number): a second message to a number goes in the next call.
 */
function callsOf(queued: readonly QueuedMessage[]): QueuedMessage[][] {
  const calls: { messages: QueuedMessage[]; numbers: Set<string> }[] = [];
  for (const message of queued) {
    let call = calls.find(
      (candidate) =>
        candidate.messages.length < SMS_RU_MAX_NUMBERS_PER_CALL && !candidate.numbers.has(message.number),
    );
    if (!call) {
      call = { messages: [], numbers: new Set() };
      calls.push(call);
    }
    call.messages.push(message);
    call.numbers.add(message.number);
  }
  return calls.map((call) => call.messages);
}
