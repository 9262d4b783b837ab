import { isEmailAddress, isTelegramChatId, normalizePhoneNumber } from "../core/contacts.js";
import { ValidationError } from "../core/errors.js";
import type { Recipient } from "../core/model.js";
import { hashPassword } from "../core/passwords.js";
import type { UserStore } from "./ports.js";

export interface CreateUserInput {
  email: string;
  password: string;
  first_name?: string | null;
  last_name?: string | null;
  phone_number?: string | null;
  telegram_id?: string | number | null;
}

export interface CreateUserDeps {
  users: UserStore;
  phoneDefaultRegion: string;
}

export const PASSWORD_MIN_LENGTH = 8;

export async function createUser(deps: CreateUserDeps, input: CreateUserInput): Promise<Recipient> {
  const problems: Record<string, string[]> = {};
  const email = input.email.trim();
  if (!isEmailAddress(email)) problems.email = ["Enter a valid email address."];
  if (input.password.length < PASSWORD_MIN_LENGTH) {
    problems.password = [`Ensure this field has at least ${PASSWORD_MIN_LENGTH} characters.`];
  }
  let phoneNumber: string | null = null;
  if (input.phone_number != null && input.phone_number.trim() !== "") {
    phoneNumber = normalizePhoneNumber(input.phone_number, deps.phoneDefaultRegion);
    if (!phoneNumber) problems.phone_number = ["Enter a valid phone number, e.g. +79990001122."];
  }
  let telegramId: string | null = null;
  if (input.telegram_id != null && String(input.telegram_id).trim() !== "") {
    telegramId = String(input.telegram_id).trim();
    if (!isTelegramChatId(telegramId)) {
      problems.telegram_id = ["Enter a numeric Telegram chat id (digits, a leading minus for groups)."];
    }
  }
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);

  return deps.users.create({
    email,
    passwordHash: await hashPassword(input.password),
    firstName: input.first_name?.trim() ?? "",
    lastName: input.last_name?.trim() ?? "",
    phoneNumber,
    telegramId,
  });
}
