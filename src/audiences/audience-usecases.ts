/**
 * What the API, the CLI and the unsubscribe page do with preferences and suppressions. The
 * worker never calls these: it reads both with its claim and suppresses in the attempt's statement.
 */
import {
  ConflictError,
  lengthProblem,
  NotFoundError,
  userNotFound,
  ValidationError,
} from "../core/errors.js";
import {
  CHANNELS,
  type Channel,
  isChannel,
  type ListedPage,
  type PageWindow,
  type Preferences,
  SUPPRESSION_REASONS,
  type SuppressionReason,
  type UserProfile,
} from "../core/model.js";
import type {
  NotificationEventPublisher,
  SuppressionWebhookEvents,
  UserWebhookEvents,
} from "../usecases/ports.js";
import {
  EMPTY_PREFERENCES,
  MAX_PREFERENCE_CATEGORIES,
  parsePreferences,
  type TurnOffResult,
} from "./preferences.js";
import {
  type NewSuppression,
  SUPPRESSION_LIMITS,
  type Suppression,
  type SuppressionFilter,
  type SuppressionSource,
} from "./suppression.js";
import { normalizeSuppressionAddress, suppressionAddressOf } from "./suppression-address.js";
import type { UnsubscribeTarget } from "./unsubscribe-token.js";

export interface PreferenceStore {
  find(userId: number): Promise<Preferences | null | undefined>;
  replace(userId: number, preferences: Preferences): Promise<boolean>;
  turnOff(userId: number, category: string, channel: Channel): Promise<TurnOffResult>;
}

export interface SuppressionStore {
  list(filter: SuppressionFilter, page: PageWindow): Promise<ListedPage<Suppression>>;
  add(suppression: NewSuppression): Promise<Suppression | null>;
  findByAddress(channel: Channel, address: string): Promise<Suppression | null>;
  remove(id: number): Promise<Suppression | null>;
}

export interface AudienceDeps {
  preferences: PreferenceStore;
  suppressions: SuppressionStore;
  users: { findById(id: number): Promise<UserProfile | null> };
  phoneDefaultRegion: string;
}

/** Webhook subscribers hear `suppression.created` and `suppression.deleted`; live views reload. */
export interface SuppressionChangeDeps {
  webhookEvents: SuppressionWebhookEvents;
  notificationEvents: NotificationEventPublisher;
}

/** Preferences show on the user's page: a change to them is told as the user `updated`. */
export interface PreferenceChangeDeps {
  notificationEvents: NotificationEventPublisher;
}

export async function getPreferences(deps: AudienceDeps, userId: number): Promise<Preferences> {
  const preferences = await deps.preferences.find(userId);
  if (preferences === undefined) throw userNotFound(userId);
  return preferences ?? EMPTY_PREFERENCES;
}

/** Replaces the user's preferences with the document given (anything left out is allowed again). */
export async function replacePreferences(
  deps: AudienceDeps & PreferenceChangeDeps,
  userId: number,
  input: unknown,
): Promise<Preferences> {
  const preferences = parsePreferences(input, await categoryLimitFor(deps, userId, input));
  if (!(await deps.preferences.replace(userId, preferences))) throw userNotFound(userId);
  deps.notificationEvents.publish({ type: "user", id: userId, change: "updated" });
  return preferences;
}

/**
 * How many categories a document may hold for this user: MAX_PREFERENCE_CATEGORIES, or as many as
 * they have already when one-click unsubscribes (which are never refused) took them past it, so a
 * document read with GET can always be written back. The stored one is read only for a document
 * over the limit.
 */
async function categoryLimitFor(deps: AudienceDeps, userId: number, input: unknown): Promise<number> {
  const categories = (input as { categories?: unknown } | null)?.categories;
  const count = categories !== null && typeof categories === "object" ? Object.keys(categories).length : 0;
  if (count <= MAX_PREFERENCE_CATEGORIES) return MAX_PREFERENCE_CATEGORIES;
  const stored = await deps.preferences.find(userId);
  return Math.max(MAX_PREFERENCE_CATEGORIES, Object.keys(stored?.categories ?? {}).length);
}

export interface SuppressionQuery {
  channel?: string;
  address?: string;
  user?: number;
}

export async function listSuppressions(
  deps: AudienceDeps,
  query: SuppressionQuery,
  page: PageWindow,
): Promise<ListedPage<Suppression>> {
  const problems: Record<string, string[]> = {};
  let channel: Channel | undefined;
  if (query.channel !== undefined) {
    if (isChannel(query.channel)) channel = query.channel;
    else problems.channel = [`Select a valid choice: ${CHANNELS.join(", ")}.`];
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const filter: SuppressionFilter = {};
  if (channel) filter.channel = channel;
  if (query.address !== undefined) {
    // Any spelling of the address finds it: each channel reads it as that channel normalises it.
    const candidates = (channel ? [channel] : CHANNELS).flatMap((candidate) => {
      const address = normalizeSuppressionAddress(candidate, query.address!, deps.phoneDefaultRegion);
      return address === null ? [] : [{ channel: candidate, address }];
    });
    if (candidates.length === 0) return NOTHING_FOUND;
    filter.addresses = candidates;
  }
  if (query.user !== undefined) {
    const user = await deps.users.findById(query.user);
    if (!user) throw userNotFound(query.user);
    const own = addressesOf(user);
    filter.addresses = filter.addresses
      ? filter.addresses.filter((wanted) => own.some((mine) => sameEntry(mine, wanted)))
      : own;
    if (filter.addresses.length === 0) return NOTHING_FOUND;
  }
  return deps.suppressions.list(filter, page);
}

const NOTHING_FOUND: ListedPage<Suppression> = { count: 0, countExact: true, hasMore: false, results: [] };

/** A user's addresses as suppressions spell them. */
function addressesOf(user: UserProfile): { channel: Channel; address: string }[] {
  const contacts: [Channel, string | null][] = [
    ["email", user.email || null],
    ["sms", user.phoneNumber],
    ["telegram", user.telegramId],
  ];
  return contacts.flatMap(([channel, address]) =>
    address === null ? [] : [{ channel, address: suppressionAddressOf(channel, address) }],
  );
}

const sameEntry = (a: { channel: Channel; address: string }, b: { channel: Channel; address: string }) =>
  a.channel === b.channel && a.address === b.address;

export interface NewSuppressionInput {
  channel: string;
  address: string;
  reason?: string | null;
  /** Why, for people reading the list later. */
  note?: string | null;
}

/** Suppresses an address by hand; a ConflictError when it is suppressed already. */
export async function addSuppression(
  deps: AudienceDeps & SuppressionChangeDeps,
  input: NewSuppressionInput,
  source: Exclude<SuppressionSource, "delivery">,
): Promise<Suppression> {
  const problems: Record<string, string[]> = {};
  const channel = isChannel(input.channel) ? input.channel : null;
  if (!channel) problems.channel = [`Select a valid choice: ${CHANNELS.join(", ")}.`];
  const addressTooLong = lengthProblem(input.address, SUPPRESSION_LIMITS.address);
  const address =
    channel && addressTooLong === null
      ? normalizeSuppressionAddress(channel, input.address, deps.phoneDefaultRegion)
      : null;
  if (addressTooLong !== null) problems.address = [addressTooLong];
  else if (channel && address === null) problems.address = [invalidAddress(channel)];
  const reason = (input.reason ?? "manual") as SuppressionReason;
  if (!SUPPRESSION_REASONS.includes(reason)) {
    problems.reason = [`Select a valid choice: ${SUPPRESSION_REASONS.join(", ")}.`];
  }
  const note = input.note?.trim() || null;
  const noteTooLong = note === null ? null : lengthProblem(note, SUPPRESSION_LIMITS.note);
  if (noteTooLong !== null) problems.note = [noteTooLong];
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  const added = await deps.suppressions.add({
    channel: channel!,
    address: address!,
    reason,
    source,
    evidence: note === null ? null : { note },
  });
  if (added) {
    deps.webhookEvents.emitForSuppression("suppression.created", added);
    deps.notificationEvents.publish({ type: "suppression", id: added.id, change: "created" });
    return added;
  }
  const existing = await deps.suppressions.findByAddress(channel!, address!);
  throw new ConflictError(
    `This ${channel} address is already suppressed${existing ? ` (id ${existing.id}, ${existing.reason})` : ""}.`,
  );
}

function invalidAddress(channel: Channel): string {
  switch (channel) {
    case "sms":
      return "Enter a valid phone number.";
    case "email":
      return "Enter a valid email address.";
    case "telegram":
      return "Enter a Telegram chat id: digits, with a leading minus for groups.";
  }
}

/** Lifts a suppression (the user unblocked the bot, fixed the mailbox...); NotFoundError when there is none. */
export async function removeSuppression(
  deps: AudienceDeps & SuppressionChangeDeps,
  id: number,
): Promise<Suppression> {
  const removed = await deps.suppressions.remove(id);
  if (!removed) throw new NotFoundError(`There is no suppression with id ${id}.`);
  deps.webhookEvents.emitForSuppression("suppression.deleted", removed);
  deps.notificationEvents.publish({ type: "suppression", id: removed.id, change: "deleted" });
  return removed;
}

/**
 * Turns the token's category off for email, for its user (a preference, so the user can turn it
 * back on), and tells webhook subscribers `user.unsubscribed` when that changed something; false
 * when the user no longer exists. The token was verified by the caller.
 */
export async function unsubscribe(
  deps: Pick<AudienceDeps, "preferences"> & PreferenceChangeDeps & { webhooks: UserWebhookEvents },
  target: UnsubscribeTarget,
): Promise<boolean> {
  const result = await deps.preferences.turnOff(target.userId, target.category, "email");
  if (result === "turned_off") {
    deps.notificationEvents.publish({ type: "user", id: target.userId, change: "updated" });
    deps.webhooks.emitForUser("user.unsubscribed", target.userId, {
      category: target.category,
      channel: "email",
    });
  }
  return result !== "no_user";
}
