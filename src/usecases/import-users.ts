import { EMAIL_TAKEN_MESSAGE, ValidationError } from "../core/errors.js";
import type { ImportedUser, UserProfile } from "../core/model.js";
import { hashPassword } from "../core/passwords.js";
import { addUserTextProblems } from "../core/user-field-limits.js";
import { PASSWORD_MIN_LENGTH, type UserProfileInput, validateProfile } from "./create-user.js";
import type { NotificationEventPublisher, RememberedRecipients, UserStore } from "./ports.js";

/** Users per import request: one transaction of this many rows stays short beside live traffic. */
export const MAX_IMPORTED_USERS = 1000;
/**
 * Passwords per import: each is a scrypt hash of tens of milliseconds of CPU (and 32 MiB), so a
 * thousand would hold the request for a minute or more.
 */
export const MAX_IMPORTED_PASSWORDS = 100;
/** Hashes at a time: Node's thread pool has four threads, and the rest of the process needs some. */
const HASHES_AT_ONCE = 2;

export interface ImportUserInput extends UserProfileInput {
  email: string;
  /** Optional here: a user imported without one has no password that could ever match. */
  password?: string;
}

export interface ImportUsersDeps {
  users: UserStore;
  /** This process's copies of updated recipients are dropped, as an update drops them. */
  templates: RememberedRecipients;
  phoneDefaultRegion: string;
  /** Told `user` `created` or `updated` for each: open dashboards follow. */
  notificationEvents: NotificationEventPublisher;
}

export interface ImportedUsersResult {
  /** Every user of the request, in its order, as stored now. */
  results: UserProfile[];
  created: number;
  updated: number;
}

/**
 * Creates many users, each as POST /api/users/ would (the password optional), in one transaction:
 * all or none. An email already taken fails the whole import, unless `updateExisting`: then that
 * user's given profile fields are changed as PATCH /api/users/{id}/ would (their password stays).
 * Problems are named `users.<index>.<field>`; nothing is hashed or stored until every item is valid.
 */
export async function importUsers(
  deps: ImportUsersDeps,
  inputs: ImportUserInput[],
  options: { updateExisting: boolean },
): Promise<ImportedUsersResult> {
  if (inputs.length === 0 || inputs.length > MAX_IMPORTED_USERS) {
    throw ValidationError.of("users", `Give from 1 to ${MAX_IMPORTED_USERS} users.`);
  }
  const problems: Record<string, string[]> = {};
  const firstWithEmail = new Map<string, number>();
  const items = inputs.map((input, index): ImportedUser => {
    const own = wrongTypes(input);
    if (Object.keys(own).length > 0) {
      for (const [field, messages] of Object.entries(own)) problems[itemField(index, field)] = messages;
      return { email: "", passwordHash: null, changes: {} };
    }
    const { email, ...changes } = validateProfile(input, deps.phoneDefaultRegion, own);
    if (input.password !== undefined && input.password.length < PASSWORD_MIN_LENGTH) {
      own.password = [`Ensure this field has at least ${PASSWORD_MIN_LENGTH} characters.`];
    }
    const key = email!.toLowerCase();
    const earlier = firstWithEmail.get(key);
    if (earlier !== undefined && !own.email) own.email = [`The same email as users.${earlier}.email.`];
    firstWithEmail.set(key, earlier ?? index);
    for (const [field, messages] of Object.entries(own)) problems[itemField(index, field)] = messages;
    return { email: email!, passwordHash: null, changes };
  });
  const withPassword = inputs.filter((input) => input.password !== undefined).length;
  if (withPassword > MAX_IMPORTED_PASSWORDS) {
    problems.users = [
      `At most ${MAX_IMPORTED_PASSWORDS} users of an import may have a password (${withPassword} do here): each costs a scrypt hash. Import the others without, or in further requests.`,
    ];
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);

  // Looked up first so that an import that would be refused hashes nothing, and one that updates
  // hashes only the passwords of the users it creates (tens of milliseconds each).
  const taken = await deps.users.emailsTaken(items.map((item) => item.email));
  if (!options.updateExisting && taken.some(Boolean)) {
    const named = taken.flatMap((isTaken, index) =>
      isTaken ? [[`users.${index}.email`, [EMAIL_TAKEN_MESSAGE]]] : [],
    );
    throw new ValidationError(Object.fromEntries(named));
  }
  const givenPassword = items.flatMap((_, index) => (inputs[index]!.password === undefined ? [] : [index]));
  for (const index of givenPassword) items[index]!.passwordUnhashed = taken[index]!;
  await hashPasswords(
    items,
    inputs,
    givenPassword.filter((index) => !taken[index]),
  );
  let imported = await deps.users.importMany(items, options.updateExisting);
  // A user found above but erased before the import reached them is created instead, with the
  // password given: it is hashed now and the import runs again. Each round hashes passwords not
  // hashed before, so there are at most as many rounds, and hashes, as passwords.
  while ("passwordsToHash" in imported) {
    await hashPasswords(items, inputs, imported.passwordsToHash);
    imported = await deps.users.importMany(items, options.updateExisting);
  }
  const stored = imported;
  let created = 0;
  stored.users.forEach((user, index) => {
    const isNew = stored.created[index]!;
    if (isNew) created++;
    else deps.templates.forgetRecipient(user.id);
    deps.notificationEvents.publish({ type: "user", id: user.id, change: isNew ? "created" : "updated" });
  });
  return { results: stored.users, created, updated: stored.users.length - created };
}

/** Hashes the passwords of the items at `indexes`, HASHES_AT_ONCE at a time. */
async function hashPasswords(items: ImportedUser[], inputs: ImportUserInput[], indexes: number[]) {
  const queue = indexes.filter((index) => items[index]!.passwordHash === null);
  if (queue.length < indexes.length) throw new Error("asked to hash a password already hashed");
  await Promise.all(
    Array.from({ length: HASHES_AT_ONCE }, async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
        items[index]!.passwordHash = await hashPassword(inputs[index]!.password!);
        items[index]!.passwordUnhashed = false;
      }
    }),
  );
}

/** `users.<index>.<field>`, or `users.<index>` for the item itself. */
const itemField = (index: number, field: string) => (field ? `users.${index}.${field}` : `users.${index}`);

const TEXT_FIELDS = ["first_name", "last_name", "phone_number", "locale", "timezone"] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "email",
  "password",
  "telegram_id",
  "quiet_hours",
  ...TEXT_FIELDS,
]);

/**
 * The HTTP schema checks these types and lengths (and the HTTP layer the characters) before the
 * use case runs; a file given to the command line does not pass through them, so the use case
 * checks them too, with the same limits and words.
 */
function wrongTypes(input: ImportUserInput): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const item = input as unknown as Record<string, unknown>;
  if (typeof item !== "object" || item === null || Array.isArray(item)) {
    return { "": ["Must be a JSON object."] };
  }
  if (typeof item.email !== "string") problems.email = ["This field is required, as a string."];
  if (item.password !== undefined && typeof item.password !== "string")
    problems.password = ["Must be a string."];
  for (const field of TEXT_FIELDS) {
    if (item[field] !== undefined && item[field] !== null && typeof item[field] !== "string") {
      problems[field] = ["Must be a string or null."];
    }
  }
  const telegramId = item.telegram_id;
  if (telegramId != null && typeof telegramId !== "string" && typeof telegramId !== "number") {
    problems.telegram_id = ["Must be a string, a number or null."];
  }
  const quietHours = item.quiet_hours as Record<string, unknown> | null | undefined;
  if (
    quietHours != null &&
    (typeof quietHours !== "object" ||
      typeof quietHours.start !== "string" ||
      typeof quietHours.end !== "string")
  ) {
    problems.quiet_hours = [
      'Give start and end as "HH:MM" (24-hour), e.g. {"start": "22:00", "end": "08:00"}.',
    ];
  }
  if (quietHours != null && typeof quietHours === "object" && !Array.isArray(quietHours)) {
    for (const key of Object.keys(quietHours)) {
      if (key !== "start" && key !== "end") problems[`quiet_hours.${key}`] = ["Unknown field."];
    }
  }
  addUserTextProblems(item, problems);
  for (const field of Object.keys(item)) if (!KNOWN_FIELDS.has(field)) problems[field] = ["Unknown field."];
  return problems;
}
