import { ValidationError } from "../core/errors.js";
import type { ListedPage, PageWindow, UserFilter, UserProfile } from "../core/model.js";
import { validateProfile } from "./create-user.js";
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

function userFilterOf(query: UserQuery, phoneDefaultRegion: string): UserFilter {
  // Only the contacts given: an empty one means no filter here, where a profile would clear it.
  const given = Object.fromEntries(
    (["email", "phone_number", "telegram_id"] as const)
      .map((field) => [field, query[field]?.trim()])
      .filter(([, value]) => value),
  );
  const problems: Record<string, string[]> = {};
  const contacts = validateProfile(given, phoneDefaultRegion, problems);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const filter: UserFilter = {};
  if (contacts.email) filter.email = contacts.email;
  if (contacts.phoneNumber) filter.phoneNumber = contacts.phoneNumber;
  if (contacts.telegramId) filter.telegramId = contacts.telegramId;
  return filter;
}
