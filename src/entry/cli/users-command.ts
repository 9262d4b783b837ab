import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { tooLong, ValidationError } from "../../core/errors.js";
import { USER_FIELD_MAX_LENGTHS } from "../../core/user-field-limits.js";
import { createTelegramLink } from "../../telegram-links/create-telegram-link.js";
import { createUser, PASSWORD_MIN_LENGTH } from "../../usecases/create-user.js";
import { eraseUser } from "../../usecases/erase-user.js";
import { findUsers } from "../../usecases/find-users.js";
import {
  type ImportUserInput,
  importUsers,
  MAX_IMPORTED_PASSWORDS,
  MAX_IMPORTED_USERS,
} from "../../usecases/import-users.js";
import { serializeUser } from "../public-json.js";
import { parseId } from "./arguments.js";
import { CliFailure, type Io, orDash, printJson, table } from "./output.js";
import { withAnnouncingCore, withCore } from "./with-core.js";

const LIST_LIMIT = 200;

export function addUsersCommands(program: Command, io: Io): void {
  const users = program.command("users").description("manage recipients");
  users
    .command("create")
    .description("create a recipient, as POST /api/users/ does")
    .requiredOption("--email <address>", "email address, unique regardless of case")
    .option(
      "--password <password>",
      `from ${PASSWORD_MIN_LENGTH} to ${USER_FIELD_MAX_LENGTHS.password} characters; stored only as a scrypt hash`,
    )
    .option(
      "--password-stdin",
      "read the password from a pipe instead (not a terminal), keeping it out of shell history",
    )
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .option("--phone <number>", "phone number in any common notation, e.g. +79990001122")
    .option("--telegram-id <id>", "Telegram chat id: digits, a leading minus for groups")
    .option("--locale <tag>", 'BCP 47 language tag templates render in, e.g. "pt-BR"')
    .option("--timezone <name>", 'IANA time zone name for quiet hours, e.g. "Europe/Berlin"')
    .option(
      "--quiet-hours <start-end>",
      'no non-critical delivery then, in the user\'s time zone, e.g. "22:00-07:30"',
    )
    .option("--json", "print the user as JSON")
    .action(async (options, command: Command) => {
      if ((options.password === undefined) === (options.passwordStdin === undefined)) {
        command.error("error: give exactly one of --password <password> and --password-stdin");
      }
      if (options.passwordStdin && process.stdin.isTTY) {
        // Nothing piped in: it would wait, silently, for a password typed and ended with Ctrl-D.
        command.error(
          "error: --password-stdin reads the password from a pipe, not a terminal, e.g. printf '%s\\n' \"$PASSWORD\" | notification-service users create --email ... --password-stdin",
        );
      }
      const password: string = options.passwordStdin ? await readPassword(process.stdin) : options.password;
      const user = await withAnnouncingCore((core) =>
        createUser(core, {
          email: options.email,
          password,
          first_name: options.firstName,
          last_name: options.lastName,
          phone_number: options.phone,
          telegram_id: options.telegramId,
          locale: options.locale,
          timezone: options.timezone,
          quiet_hours: options.quietHours === undefined ? undefined : quietHoursOf(options.quietHours),
        }),
      );
      if (options.json) return printJson(io, serializeUser(user));
      io.out(`Created user ${user.id}.`);
      io.out(
        table([
          ["  email", user.email],
          ["  name", orDash(`${user.firstName} ${user.lastName}`.trim())],
          ["  phone", orDash(user.phoneNumber)],
          ["  telegram", orDash(user.telegramId)],
        ]),
      );
    });

  users
    .command("import")
    .description(
      `create or update many recipients from a JSON file (a list, or one object per line), ${MAX_IMPORTED_USERS} per transaction (${MAX_IMPORTED_PASSWORDS} with a password), as POST /api/users/bulk/ does`,
    )
    .argument("<file>", "the file, or - for standard input")
    .option("--update-existing", "change the given fields of users whose email is taken, instead of failing")
    .option("--json", "print the imported users as JSON")
    .action(async (file: string, options: { updateExisting?: boolean; json?: boolean }) => {
      const items = readUsers(file);
      const imported = await withAnnouncingCore(async (core) => {
        const done = { users: [] as ReturnType<typeof serializeUser>[], created: 0, updated: 0 };
        for (let start = 0, end = 0; start < items.length; start = end) {
          end = chunkEnd(items, start);
          try {
            const chunk = await importUsers(core, items.slice(start, end), {
              updateExisting: options.updateExisting ?? false,
            });
            done.users.push(...chunk.results.map(serializeUser));
            done.created += chunk.created;
            done.updated += chunk.updated;
          } catch (error) {
            if (start > 0) {
              io.err(
                `The first ${start} users were imported (${done.created} created, ${done.updated} updated); none from users.${start} on.`,
              );
            }
            throw error instanceof ValidationError ? renumbered(error, start) : error;
          }
        }
        return done;
      });
      if (options.json) return printJson(io, imported.users);
      io.out(
        `Imported ${imported.users.length} users: ${imported.created} created, ${imported.updated} updated.`,
      );
    });

  users
    .command("list")
    .description(`list or find recipients, newest first (at most ${LIST_LIMIT}), as GET /api/users/ does`)
    .option("--email <address>", "only the user with this email, whatever its case")
    .option("--phone <number>", "only users with this number, in any common notation")
    .option("--telegram-id <id>", "only users with this chat id")
    .option("--json", "print them as JSON")
    .action(async (options) => {
      const found = await withCore((core) =>
        findUsers(
          core,
          { email: options.email, phone_number: options.phone, telegram_id: options.telegramId },
          { limit: LIST_LIMIT, offset: 0 },
        ),
      );
      if (options.json) return printJson(io, found.results.map(serializeUser));
      if (found.count === 0) return io.out("No users.");
      io.out(
        table([
          ["ID", "EMAIL", "NAME", "PHONE", "TELEGRAM"],
          ...found.results.map((user) => [
            String(user.id),
            user.email,
            orDash(`${user.firstName} ${user.lastName}`.trim()),
            orDash(user.phoneNumber),
            orDash(user.telegramId),
          ]),
        ]),
      );
      if (found.count > found.results.length) io.err(`(${found.results.length} of ${found.count} shown)`);
    });

  users
    .command("delete")
    .description(
      "erase a recipient with their notifications, attempts and webhook events, as DELETE /api/users/{id}/ does",
    )
    .argument("<id>", "the user's id", parseId)
    .action(async (id: number) => {
      const erased = await withAnnouncingCore((core) => eraseUser(core, id));
      io.out(`Erased user ${erased.id} and ${erased.notifications} notification(s).`);
    });

  users
    .command("telegram-link")
    .description(
      "make a link that connects the user's Telegram chat, as POST /api/users/{id}/telegram-link/ does (needs TELEGRAM_LINKS=true)",
    )
    .argument("<id>", "the user's id", parseId)
    .option("--json", "print the link as the API answers it")
    .action(async (id: number, options: { json?: boolean }) => {
      const link = await withCore((core) => createTelegramLink(core, id));
      if (options.json) {
        return printJson(io, { url: link.url, code: link.code, expires_at: link.expiresAt.toISOString() });
      }
      io.out(link.url);
      io.err(`(single use, until ${link.expiresAt.toISOString()})`);
    });
}

/** "22:00-07:30" as the API's {"start", "end"}; the use case checks the times and says what is wrong. */
function quietHoursOf(value: string): { start: string; end: string } {
  const [start = "", end = ""] = value.split("-", 2);
  return { start: start.trim(), end: end.trim() };
}

/**
 * The password piped in, without its line ending. Reading stops once more bytes came than the
 * longest password allowed could take, so that piping a large file in is refused at once rather
 * than held in memory; the length in characters is checked with the other fields.
 */
async function readPassword(input: NodeJS.ReadableStream): Promise<string> {
  const limit = USER_FIELD_MAX_LENGTHS.password;
  // At most 4 bytes a character in UTF-8, and 2 for a line ending.
  const maxBytes = limit * 4 + 2;
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of input) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    bytes += buffer.length;
    if (bytes > maxBytes) throw ValidationError.of("password", tooLong(limit));
    chunks.push(buffer);
  }
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

/** A JSON list of users, or one user object per line (JSON Lines); blank lines are skipped. */
function readUsers(path: string): ImportUserInput[] {
  let source: string;
  try {
    source = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new CliFailure(`cannot read ${path}: ${(error as Error).message}`);
  }
  const parse = (json: string, where: string) => {
    try {
      return JSON.parse(json) as unknown;
    } catch (error) {
      throw new CliFailure(`${where} is not JSON: ${(error as Error).message}`);
    }
  };
  const trimmed = source.trim();
  const items = trimmed.startsWith("[")
    ? parse(trimmed, path)
    : source
        .split("\n")
        .flatMap((line, index) => (line.trim() ? [parse(line, `${path} line ${index + 1}`)] : []));
  if (!Array.isArray(items) || items.length === 0) {
    throw ValidationError.of("file", "Give a list of users, or one user object per line.");
  }
  return items as ImportUserInput[];
}

/** Where the import request starting at `start` ends: at most so many users, and so many passwords. */
export function chunkEnd(items: ImportUserInput[], start: number): number {
  let end = start;
  let passwords = 0;
  while (end < items.length && end - start < MAX_IMPORTED_USERS) {
    const hasPassword = (items[end] as { password?: unknown } | null)?.password !== undefined;
    if (hasPassword && passwords === MAX_IMPORTED_PASSWORDS) break;
    if (hasPassword) passwords++;
    end++;
  }
  return end;
}

/** A chunk's problems named by the item's place in the whole file, not in its chunk. */
function renumbered(error: ValidationError, start: number): ValidationError {
  return new ValidationError(
    Object.fromEntries(
      Object.entries(error.fields).map(([field, problems]) => [
        field.replace(/^users\.(\d+)/, (_, index: string) => `users.${Number(index) + start}`),
        problems,
      ]),
    ),
  );
}
