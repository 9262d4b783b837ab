import { text } from "node:stream/consumers";
import type { Command } from "commander";
import { createTelegramLink } from "../../telegram-links/create-telegram-link.js";
import { createUser } from "../../usecases/create-user.js";
import { eraseUser } from "../../usecases/erase-user.js";
import { findUsers } from "../../usecases/find-users.js";
import { serializeUser } from "../public-json.js";
import { parseId } from "./arguments.js";
import { type Io, orDash, printJson, table } from "./output.js";
import { withCore } from "./with-core.js";

const LIST_LIMIT = 200;

export function addUsersCommands(program: Command, io: Io): void {
  const users = program.command("users").description("manage recipients");
  users
    .command("create")
    .description("create a recipient, as POST /api/users/ does")
    .requiredOption("--email <address>", "email address, unique regardless of case")
    .option("--password <password>", "at least 8 characters; stored only as a scrypt hash")
    .option(
      "--password-stdin",
      "read the password from standard input instead, keeping it out of shell history",
    )
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .option("--phone <number>", "phone number in any common notation, e.g. +79990001122")
    .option("--telegram-id <id>", "Telegram chat id: digits, a leading minus for groups")
    .option("--json", "print the user as JSON")
    .action(async (options, command: Command) => {
      if ((options.password === undefined) === (options.passwordStdin === undefined)) {
        command.error("error: give exactly one of --password <password> and --password-stdin");
      }
      const password: string = options.passwordStdin
        ? (await text(process.stdin)).replace(/\r?\n$/, "")
        : options.password;
      const user = await withCore((core) =>
        createUser(core, {
          email: options.email,
          password,
          first_name: options.firstName,
          last_name: options.lastName,
          phone_number: options.phone,
          telegram_id: options.telegramId,
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
      const erased = await withCore((core) => eraseUser(core, id));
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
