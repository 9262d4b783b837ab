/**
 * What each SMS.ru status_code of /sms/send means for delivery, from the code list in the SMS.ru
 * API documentation (https://sms.ru/api/send and its error code table). Codes not listed here are
 * treated as transient: a new code is more likely a new temporary condition than a reason to
 * drop the notification.
 */
import type { FailureKind } from "../../core/outcome.js";

export const SMS_RU_ACCEPTED = 100;

/**
 * Waits for SMS.ru's own limits. SMS.ru does not say when a limit resets, so each wait follows
 * the window the limit's text names: per-minute limits are retried after a minute, "short
 * period" limits (anti-fraud, calls in 5 minutes) after five, and daily limits after an hour,
 * which is cheap to try and far shorter than waiting for a day boundary SMS.ru doesn't document.
 */
const PER_MINUTE = 60;
const SHORT_PERIOD = 5 * 60;
const DAILY = 60 * 60;

export interface SmsRuCodeMeaning {
  kind: FailureKind;
  /** Only for rate_limited. */
  retryAfterSeconds?: number;
  /** Only for permanent: the number itself can never be reached, so it is suppressed. */
  deadNumber?: boolean;
}

const MEANINGS: Record<number, SmsRuCodeMeaning> = {
  // Our account or settings: wrong api_id, no money, sender name not approved, bad login.
  200: { kind: "misconfigured" },
  201: { kind: "misconfigured" },
  204: { kind: "misconfigured" },
  300: { kind: "misconfigured" },
  301: { kind: "misconfigured" },
  302: { kind: "misconfigured" },
  // "GET used where POST is needed" / "method not found": only a wrong SMS_RU_API_URL gets these.
  210: { kind: "misconfigured" },
  211: { kind: "misconfigured" },

  // This recipient or this text can't be sent: wrong number, no route, stop lists, forbidden
  // words, text too long or not UTF-8. Retrying the same message to the same number won't help.
  // 202 "the recipient's number is wrong, or there is no route to it" and 207 "there is no route
  // to this number" are about the number itself: no message will ever reach it. The others are
  // about this text (203, 205, 212), our own settings (214) or stop lists kept at SMS.ru (209 ours,
  // 215 theirs), which are managed there.
  202: { kind: "permanent", deadNumber: true },
  203: { kind: "permanent" },
  205: { kind: "permanent" },
  207: { kind: "permanent", deadNumber: true },
  209: { kind: "permanent" },
  212: { kind: "permanent" },
  214: { kind: "permanent" },
  215: { kind: "permanent" },
  216: { kind: "permanent" },
  217: { kind: "permanent" },

  // SMS.ru asks to try later.
  220: { kind: "transient" },
  500: { kind: "transient" },

  // Limits: 206 account's daily limit, 230-232 per-number limits, 233 anti-fraud repeat-code
  // limit, 501-505 and 508 short-period limits, 506-507 blocked or invalid source IP.
  206: { kind: "rate_limited", retryAfterSeconds: DAILY },
  230: { kind: "rate_limited", retryAfterSeconds: DAILY },
  231: { kind: "rate_limited", retryAfterSeconds: PER_MINUTE },
  232: { kind: "rate_limited", retryAfterSeconds: DAILY },
  233: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
  501: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
  502: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
  503: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
  504: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
  505: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
  506: { kind: "rate_limited", retryAfterSeconds: DAILY },
  507: { kind: "rate_limited", retryAfterSeconds: DAILY },
  508: { kind: "rate_limited", retryAfterSeconds: SHORT_PERIOD },
};

const UNKNOWN: SmsRuCodeMeaning = { kind: "transient" };

export function meaningOf(statusCode: number): SmsRuCodeMeaning {
  return MEANINGS[statusCode] ?? UNKNOWN;
}
