import { isEmailAddress, isTelegramChatId, normalizePhoneNumber } from "../core/contacts.js";
import { ValidationError } from "../core/errors.js";
import type { QuietHours, UserChanges, UserProfile } from "../core/model.js";
import { hashPassword } from "../core/passwords.js";
import { addUserTextProblems } from "../core/user-field-limits.js";
import { minutesOfClockTime } from "../scheduling/quiet-hours.js";
import { canonicalTimeZone } from "../scheduling/time-zones.js";
import { canonicalLocale } from "../templates/template.js";
import type { NotificationEventPublisher, UserStore } from "./ports.js";

export interface UserProfileInput {
  email?: string;
  first_name?: string | null;
  last_name?: string | null;
  phone_number?: string | null;
  telegram_id?: string | number | null;
  /** BCP 47, e.g. "pt-BR"; templates render in it. */
  locale?: string | null;
  /** IANA name, e.g. "Europe/Berlin"; without one, quiet hours do not apply. */
  timezone?: string | null;
  quiet_hours?: { start: string; end: string } | null;
}

export interface CreateUserInput extends UserProfileInput {
  email: string;
  password: string;
}

export interface CreateUserDeps {
  users: UserStore;
  phoneDefaultRegion: string;
  /** Told `user` `created`: open dashboards list the new user. */
  notificationEvents: NotificationEventPublisher;
}

export const PASSWORD_MIN_LENGTH = 8;

export async function createUser(deps: CreateUserDeps, input: CreateUserInput): Promise<UserProfile> {
  // Lengths and characters first, as the HTTP schema refuses them before this runs: input from the
  // command line gets the same answer.
  const refused: Record<string, string[]> = {};
  addUserTextProblems(input as unknown as Record<string, unknown>, refused);
  if (Object.keys(refused).length > 0) throw inClientOrder(refused);
  const problems: Record<string, string[]> = {};
  const fields = validateProfile(input, deps.phoneDefaultRegion, problems);
  if (input.password.length < PASSWORD_MIN_LENGTH) {
    problems.password = [`Ensure this field has at least ${PASSWORD_MIN_LENGTH} characters.`];
  }
  if (Object.keys(problems).length > 0) throw inClientOrder(problems);
  const user = await deps.users.create({
    email: fields.email!,
    passwordHash: await hashPassword(input.password),
    firstName: fields.firstName ?? "",
    lastName: fields.lastName ?? "",
    phoneNumber: fields.phoneNumber ?? null,
    telegramId: fields.telegramId ?? null,
    locale: fields.locale ?? null,
    timezone: fields.timezone ?? null,
    quietHours: fields.quietHours ?? null,
  });
  deps.notificationEvents.publish({ type: "user", id: user.id, change: "created" });
  return user;
}

/** The email first, then the password, then the rest: the order clients have always seen. */
function inClientOrder(problems: Record<string, string[]>): ValidationError {
  const { email, password, ...rest } = problems;
  return new ValidationError({ ...(email && { email }), ...(password && { password }), ...rest });
}

/**
 * Checks the profile fields present in `input` and returns them as changes: absent fields stay
 * absent (undefined), null or "" clears an optional one. Problems are added to `problems`.
 */
export function validateProfile(
  input: UserProfileInput,
  phoneDefaultRegion: string,
  problems: Record<string, string[]>,
): UserChanges {
  const changes: UserChanges = {};
  if (input.email !== undefined) {
    const email = input.email.trim();
    if (!isEmailAddress(email)) problems.email = ["Enter a valid email address."];
    changes.email = email;
  }
  if (input.first_name !== undefined) changes.firstName = input.first_name?.trim() ?? "";
  if (input.last_name !== undefined) changes.lastName = input.last_name?.trim() ?? "";
  if (input.phone_number !== undefined) {
    changes.phoneNumber = null;
    if (input.phone_number != null && input.phone_number.trim() !== "") {
      changes.phoneNumber = normalizePhoneNumber(input.phone_number, phoneDefaultRegion);
      if (!changes.phoneNumber) problems.phone_number = ["Enter a valid phone number, e.g. +79990001122."];
    }
  }
  if (input.telegram_id !== undefined) {
    changes.telegramId = null;
    if (input.telegram_id != null && String(input.telegram_id).trim() !== "") {
      changes.telegramId = String(input.telegram_id).trim();
      if (!isTelegramChatId(changes.telegramId)) {
        problems.telegram_id = ["Enter a numeric Telegram chat id (digits, a leading minus for groups)."];
      }
    }
  }
  if (input.locale !== undefined) {
    changes.locale = null;
    if (input.locale != null && input.locale.trim() !== "") {
      changes.locale = canonicalLocale(input.locale.trim());
      if (!changes.locale) problems.locale = ['Enter a BCP 47 language tag, e.g. "en" or "pt-BR".'];
    }
  }
  if (input.timezone !== undefined) {
    changes.timezone = null;
    if (input.timezone != null && input.timezone.trim() !== "") {
      changes.timezone = canonicalTimeZone(input.timezone.trim());
      if (!changes.timezone) problems.timezone = ['Enter an IANA time zone name, e.g. "Europe/Berlin".'];
    }
  }
  if (input.quiet_hours !== undefined) {
    changes.quietHours = input.quiet_hours === null ? null : validateQuietHours(input.quiet_hours, problems);
  }
  return changes;
}

function validateQuietHours(
  window: { start: string; end: string },
  problems: Record<string, string[]>,
): QuietHours | null {
  const start = minutesOfClockTime(window.start);
  const end = minutesOfClockTime(window.end);
  if (start === null || end === null) {
    problems.quiet_hours = [
      'Give start and end as "HH:MM" (24-hour), e.g. {"start": "22:00", "end": "08:00"}.',
    ];
    return null;
  }
  if (start === end) {
    problems.quiet_hours = ["start and end must differ; leave quiet_hours out (or null) for none."];
    return null;
  }
  return { start: window.start, end: window.end };
}
