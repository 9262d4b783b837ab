import type { Command } from "commander";
import { createUser } from "../../usecases/create-user.js";
import { type Io, orDash, printJson, table } from "./output.js";
import { withCore } from "./with-core.js";

export function addUsersCommands(program: Command, io: Io): void {
  const users = program.command("users").description("manage recipients");
  users
    .command("create")
    .description("create a recipient, as POST /api/users/ does")
    .requiredOption("--email <address>", "email address, unique regardless of case")
    .requiredOption("--password <password>", "at least 8 characters; stored only as a scrypt hash")
    .option("--first-name <name>", "first name")
    .option("--last-name <name>", "last name")
    .option("--phone <number>", "phone number in any common notation, e.g. +79990001122")
    .option("--telegram-id <id>", "Telegram chat id: digits, a leading minus for groups")
    .option("--json", "print the user as JSON")
    .action(async (options) => {
      const user = await withCore((core) =>
        createUser(core, {
          email: options.email,
          password: options.password,
          first_name: options.firstName,
          last_name: options.lastName,
          phone_number: options.phone,
          telegram_id: options.telegramId,
        }),
      );
      const json = {
        id: user.id,
        email: user.email,
        first_name: user.firstName,
        last_name: user.lastName,
        phone_number: user.phoneNumber,
        telegram_id: user.telegramId,
      };
      if (options.json) return printJson(io, json);
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
}
