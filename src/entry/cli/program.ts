import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT_OK, EXIT_USAGE } from "./exit-codes.js";
import { addKeysCommands } from "./keys-commands.js";
import { addNotificationCommands } from "./notifications-commands.js";
import { type Io, processIo, reportError } from "./output.js";
import { addServiceCommands, type LongRunning } from "./service-commands.js";
import { addSuppressionsCommands } from "./suppressions-commands.js";
import { addTemplatesCommands } from "./templates-commands.js";
import { addUsersCommands } from "./users-command.js";
import { addWebhooksCommands } from "./webhooks-commands.js";

const EXIT_CODES_HELP = `
Exit codes: 0 success; 1 the command failed (invalid input, not found, PostgreSQL or Redis
unreachable, bad configuration); 2 the command line is wrong (unknown command or option,
missing or malformed argument).

Configuration comes from the environment and .env, as for the service (DATABASE_URL, REDIS_URL, ...).`;

/**
 * Turns argv into a call of the same use cases the API calls. Resolves to the exit code, or to
 * null when a long-running command (serve, worker) started and the process must keep running.
 */
export async function runCli(argv: string[], io: Io = processIo): Promise<number | null> {
  const longRunning: LongRunning = { started: false };
  const program = new Command()
    .name("notification-service")
    .description(
      "Run and operate the notification service: SMS, email and Telegram with fallback and retries.",
    )
    .version(packageVersion(), "-V, --version", "print the version")
    .helpCommand("help [command]", "show help for a command")
    .showHelpAfterError("(add --help for usage)")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });

  addServiceCommands(program, io, longRunning);
  addUsersCommands(program, io);
  addNotificationCommands(program, io);
  addKeysCommands(program, io);
  addTemplatesCommands(program, io);
  addWebhooksCommands(program, io);
  addSuppressionsCommands(program, io);

  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help, --version and `help`: asked for, so success; any other complaint is a usage error.
      const asked = ["commander.helpDisplayed", "commander.version", "commander.help"].includes(error.code);
      return asked && error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    return reportError(io, error);
  }
  return longRunning.started ? null : EXIT_OK;
}

function packageVersion(): string {
  try {
    // src/entry/cli and dist/entry/cli are both three levels below the package root.
    const path = new URL("../../../package.json", import.meta.url);
    return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
  } catch {
    return "unknown";
  }
}
