/**
 * Turns a nodemailer error into an outcome. Nodemailer sets `responseCode` and `response` when
 * the server answered, and `code` (ECONNECTION, ETIMEDOUT, EAUTH, ETLS...) for what went wrong
 * (https://nodemailer.com/errors). The reason is the server's reply when there is one.
 */
import { type FailureOutcome, misconfigured, permanent, transient } from "../../core/outcome.js";

export interface SmtpError {
  code?: string | undefined;
  originalCode?: string | undefined;
  command?: string | undefined;
  response?: string | undefined;
  responseCode?: number | undefined;
  message?: string | undefined;
}

/** RCPT TO replies that say the mailbox is dead: 550 unavailable, 551 not local, 553 name not allowed. */
const MAILBOX_DEAD_CODES = new Set([550, 551, 553]);

/** Credentials missing or refused: 530 auth required, 534 mechanism too weak, 535 bad login. */
const AUTH_REPLY_CODES = new Set([530, 534, 535]);
const AUTH_ERROR_CODES = new Set(["EAUTH", "ENOAUTH"]);
/** STARTTLS refused or TLS failed: with useTls/useSsl set, the settings don't match the server. */
const TLS_ERROR_CODES = new Set(["ETLS", "EREQUIRETLS"]);
const CONNECTION_ERROR_CODES = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "EPROXY",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

export function outcomeOfSmtpError(error: SmtpError): FailureOutcome {
  const reply = error.responseCode;
  const code = reply !== undefined ? String(reply) : (error.code ?? null);
  const reason = (error.response ?? error.message ?? "SMTP error").trim();

  if (reply !== undefined && reply >= 400 && reply < 500) return transient(reason, code);
  if ((reply !== undefined && AUTH_REPLY_CODES.has(reply)) || AUTH_ERROR_CODES.has(error.code ?? "")) {
    return misconfigured(reason, code);
  }
  if (TLS_ERROR_CODES.has(error.code ?? "") || isTlsFailure(error)) {
    return misconfigured(`TLS failed, check EMAIL_USE_TLS / EMAIL_USE_SSL and the port: ${reason}`, code);
  }
  if (reply !== undefined && reply >= 500) return outcomeOf5xx(error, reason, code);
  if (CONNECTION_ERROR_CODES.has(error.code ?? "")) return transient(reason, code);
  // Nodemailer refused the envelope itself (an address it can't use): sending again won't help.
  if (error.code === "EENVELOPE") return permanent(reason, code);
  return transient(reason, code);
}

function outcomeOf5xx(error: SmtpError, reason: string, code: string | null): FailureOutcome {
  // 503 "bad sequence of commands" is about the session, not the message: a new one may work.
  if (error.responseCode === 503) return transient(reason, code);
  // Refusing our MAIL FROM means EMAIL_FROM isn't ours to send from (or relaying is denied).
  if (error.command?.toUpperCase().startsWith("MAIL FROM")) return misconfigured(reason, code);
  // The server refused the recipient's mailbox itself (no such user, mailbox not allowed): a hard bounce.
  const recipientRefused = error.command?.toUpperCase().startsWith("RCPT TO") ?? false;
  if (recipientRefused && MAILBOX_DEAD_CODES.has(error.responseCode ?? 0)) {
    return permanent(reason, code, "hard_bounce");
  }
  return permanent(reason, code);
}

/**
 * Node's TLS failures surface as ESOCKET: certificate checks (self-signed, expired, wrong host
 * name) and ERR_SSL_* such as "wrong version number", i.e. implicit TLS against a plain port.
 */
function isTlsFailure(error: SmtpError): boolean {
  return /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/.test(error.originalCode ?? "");
}
