import type { Command } from "commander";
import { prepareDatabase } from "../../app.js";
import type { Io } from "./output.js";
import { withDatabase } from "./with-core.js";

/** `serve` and `worker` keep running after their action returns; the CLI must not exit then. */
export interface LongRunning {
  started: boolean;
}

export function addServiceCommands(program: Command, io: Io, longRunning: LongRunning): void {
  program
    .command("serve")
    .description(
      "run the HTTP API and a delivery worker, as npm start does: the worker in a child process, or in this same one without DATABASE_URL or REDIS_URL (docs/embedded.md)",
    )
    .action(async () => {
      // Imported when needed: the HTTP stack is heavy, and one-shot commands do not need it.
      const { runApiWithWorker, siblingEntry } = await import("../launcher.js");
      // The worker child is this same command line tool, running `worker`.
      await runApiWithWorker({ entry: siblingEntry(import.meta.url, "../cli"), args: ["worker"] });
      longRunning.started = true;
    });

  program
    .command("worker")
    .description(
      "run a delivery worker alone; any number may run at once with DATABASE_URL and REDIS_URL set (without them, serve runs the one worker)",
    )
    .action(async () => {
      const { runWorker } = await import("../launcher.js");
      await runWorker("notification-service worker");
      longRunning.started = true;
    });

  program
    .command("migrate")
    .description("create the database when missing and apply the migrations it lacks")
    .action(async () => {
      const applied = await withDatabase(prepareDatabase);
      if (applied.length === 0) io.out("The database schema is up to date.");
      else io.out(`Applied ${applied.length} migration(s): ${applied.join(", ")}.`);
    });
}
