/**
 * Email through an SMTP server with a pooled nodemailer transport. TLS follows Django's two
 * switches: useSsl is TLS from the first byte, useTls requires STARTTLS, and neither means plain
 * SMTP without an opportunistic upgrade, so what runs is exactly what was configured.
 */
import type { ConnectionOptions } from "node:tls";
import nodemailer from "nodemailer";
import { type DeliveryOutcome, permanent, sent, transient } from "../../core/outcome.js";
import { abortReason, whenAborted } from "../abort.js";
import type { ChannelProvider, OutgoingMessage } from "../channel.js";
import { redact } from "../redact.js";
import { SendSlots } from "../send-slots.js";
import type { SmtpConfig } from "./smtp-channel.js";
import { outcomeOfSmtpError, type SmtpError } from "./smtp-error.js";

export interface SmtpProviderOptions {
  /** Extra TLS options, e.g. `{ rejectUnauthorized: false }` for a test server's self-signed certificate. */
  tls?: ConnectionOptions;
}

/** SMTP connections kept open to the server; as many emails are sent at once, per process. */
const POOL_CONNECTIONS = 5;

export class SmtpProvider implements ChannelProvider {
  readonly channel = "email" as const;
  readonly vendor = "SMTP";
  private readonly transport;
  private readonly slots = new SendSlots(POOL_CONNECTIONS);

  constructor(
    private readonly config: SmtpConfig,
    options: SmtpProviderOptions = {},
  ) {
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: POOL_CONNECTIONS,
      host: config.host,
      port: config.port,
      ...tlsMode(config),
      ...(options.tls ? { tls: options.tls } : {}),
      ...(config.user ? { auth: { user: config.user, pass: config.password ?? "" } } : {}),
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  /** A turn on one of the pool's connections: emails beyond the pool wait here, not in nodemailer's queue. */
  admit(): Promise<() => void> {
    return this.slots.take();
  }

  async send(message: OutgoingMessage, signal: AbortSignal): Promise<DeliveryOutcome> {
    if (signal.aborted) return transient(abortReason(signal));
    // Nodemailer honours the signal itself; the race is a backstop should a send ignore it.
    const abort = whenAborted(signal);
    try {
      const sending = this.transport.sendMail({
        from: this.config.from,
        to: message.to,
        subject: message.subject ?? "Notification",
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        ...(message.unsubscribeUrl ? { headers: oneClickUnsubscribeHeaders(message.unsubscribeUrl) } : {}),
        signal,
      });
      const info = await Promise.race([sending, abort.aborted.then(() => null)]);
      if (info === null) {
        sending.catch(() => {});
        return transient(abortReason(signal));
      }
      const accepted = (info.accepted ?? []).map(String);
      if ((info.rejected ?? []).length > 0 || !accepted.some((address) => sameAddress(address, message.to))) {
        return permanent(this.secretFree(`the server did not accept ${message.to}: ${info.response ?? ""}`));
      }
      return sent(info.messageId ?? null);
    } catch (error) {
      if (signal.aborted) return transient(abortReason(signal));
      const outcome = outcomeOfSmtpError(error as SmtpError);
      return { ...outcome, reason: this.secretFree(outcome.reason) };
    } finally {
      abort.stop();
    }
  }

  async close(): Promise<void> {
    this.transport.close();
  }

  private secretFree(text: string): string {
    const { user, password } = this.config;
    // AUTH PLAIN sends base64("\0user\0password"); a server echoing it must not leak the password.
    return password ? redact(text, [password, `\u0000${user ?? ""}\u0000${password}`]) : text;
  }
}

function tlsMode(config: SmtpConfig): { secure: boolean; requireTLS?: boolean; ignoreTLS?: boolean } {
  if (config.useSsl) return { secure: true };
  if (config.useTls) return { secure: false, requireTLS: true };
  return { secure: false, ignoreTLS: true };
}

/** RFC 8058: the link in List-Unsubscribe, and the POST body a mail provider must send to it. */
function oneClickUnsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

function sameAddress(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
