import { text } from "node:stream/consumers";
import type { Command } from "commander";
import { createUser } from "../../usecases/create-user.js";
import { serializeUser } from "../public-json.js";
import { type Io, orDash, printJson, table } from "./output.js";
import { withCore } from "./with-core.js";

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
}
