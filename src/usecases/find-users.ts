import { isEmailAddress, isTelegramChatId, normalizePhoneNumber } from "../core/contacts.js";
import { ValidationError } from "../core/errors.js";
import type { ListedPage, PageWindow, UserFilter, UserProfile } from "../core/model.js";
import type { UserStore } from "./ports.js";

export interface FindUsersDeps {
  users: Pick<UserStore, "list">;
  phoneDefaultRegion: string;
}

/** A list's contact filters as a client sends them: written any way the create request accepts. */
export interface UserQuery {
  email?: string;
  phone_number?: string;
  telegram_id?: string;
}

/**
 * Recipients, newest first, optionally only those with a given contact: how a backend finds the
 * id of a user it created before (the email is unique, whatever its case). A contact is read as
 * POST /api/users/ reads it, so "8 (999) 000-11-22" finds "+79990001122"; a value that could never
 * be stored is a 400 naming it, not an empty page.
 */
export async function findUsers(
  deps: FindUsersDeps,
  query: UserQuery,
  page: PageWindow,
): Promise<ListedPage<UserProfile>> {
  return deps.users.list(userFilterOf(query, deps.phoneDefaultRegion), page);
}

export function userFilterOf(query: UserQuery, phoneDefaultRegion: string): UserFilter {
  const problems: Record<string, string[]> = {};
  const filter: UserFilter = {};
  const email = query.email?.trim();
  if (email) {
    if (isEmailAddress(email)) filter.email = email;
    else problems.email = ["Enter a valid email address."];
  }
  const phone = query.phone_number?.trim();
  if (phone) {
    const normalized = normalizePhoneNumber(phone, phoneDefaultRegion);
    if (normalized) filter.phoneNumber = normalized;
    else problems.phone_number = ["Enter a valid phone number, e.g. +79990001122."];
  }
  const telegramId = query.telegram_id?.trim();
  if (telegramId) {
    if (isTelegramChatId(telegramId)) filter.telegramId = telegramId;
    else problems.telegram_id = ["Enter a numeric Telegram chat id (digits, a leading minus for groups)."];
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return filter;
}
