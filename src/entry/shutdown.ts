/**
 * How a long-running process stops: once, whatever asks it to. SIGTERM or SIGINT, the parent that
 * forked it going away, or an error nothing caught all run the same graceful stop.
 */
import type { Logger } from "pino";

/** Uncaught errors logged while a stop is under way, after the one that may have started it. */
const MAX_LOGGED_LATER_ERRORS = 10;

type Reason = NodeJS.Signals | "parent exited" | "uncaught exception" | "unhandled rejection";

export interface Shutdown {
  /**
   * From now on a signal, the parent going away or an uncaught error runs `stop` once, and the
   * process exits when it finishes: 0 after a signal or the parent going away, 1 after an uncaught
   * error (also one that came during a stop a signal began), when `stop` throws, or when it takes
   * longer than the grace period plus a margin (a stuck close must not keep a deploy waiting).
   */
  whenStopping(stop: () => Promise<void>): void;
}

/**
 * Installs the handlers for errors nothing caught at once, so that one thrown while the process
 * starts is logged through `logger` too (redacted like every other line) rather than printed raw
 * by Node, secrets and all; until `whenStopping` is called such an error ends the process (exit 1),
 * as there is nothing to drain yet.
 *
 * An uncaught exception or unhandled rejection is logged once, at level fatal, and then stops the
 * process as SIGTERM does: the API stops accepting and finishes the requests it has, the worker
 * lets its provider calls in flight finish and records them within `graceSeconds`. Dying on the
 * spot, Node's default, would leave those attempts `in_progress` until their lease lapsed and send
 * them again. The exit code is 1 whatever the stop achieved, so a supervisor (systemd, a container
 * runtime, or `npm start` for its worker) restarts the process: its state after such an error is
 * not to be trusted. Errors that come while stopping are logged (at most MAX_LOGGED_LATER_ERRORS)
 * and start no second stop.
 *
 * Signals that come while stopping are ignored, and the handlers stay installed until the process
 * exits. One stop often brings several: systemd, a container runtime and Ctrl-C signal the whole
 * process group, so under `npm start` the worker hears it from the kernel and again from its
 * parent, and the API's process from the kernel and again from npm. A `once` handler would leave
 * the second signal to Node's default action, which kills the process on the spot, with its
 * provider calls in flight and their attempts left `in_progress`. To stop at once, use SIGKILL.
 */
export function handleShutdown(logger: Logger, graceSeconds: number): Shutdown {
  let stop: (() => Promise<void>) | null = null;
  let stopping = false;
  let crashed = false;
  let laterErrors = 0;

  const begin = (reason: Reason, stopProcess: () => Promise<void>) => {
    stopping = true;
    const deadline = setTimeout(
      () => {
        logger.error({ graceSeconds }, "shutdown took too long; exiting");
        process.exit(1);
      },
      (graceSeconds + 5) * 1000,
    );
    deadline.unref();
    stopProcess().then(
      () => process.exit(crashed ? 1 : 0),
      (error: unknown) => {
        logger.error(
          { reason, err: error instanceof Error ? error.message : String(error) },
          "shutdown failed",
        );
        process.exit(1);
      },
    );
  };

  // Logging must not throw out of the handler: Node would then print the error raw and exit 7.
  const log = (level: "fatal" | "error", fields: Record<string, unknown>, message: string) => {
    try {
      logger[level](fields, message);
    } catch {
      logger[level]({ reason: fields.reason }, `${message} (the error itself could not be logged)`);
    }
  };

  const onSignal = (reason: NodeJS.Signals | "parent exited") => {
    if (stopping) {
      logger.info({ reason }, "already shutting down; letting the deliveries in flight finish");
      return;
    }
    logger.info({ reason }, "shutting down");
    if (stop) begin(reason, stop);
  };

  const onUncaught = (reason: "uncaught exception" | "unhandled rejection", error: unknown) => {
    const first = !crashed;
    crashed = true;
    if (first) {
      log("fatal", { reason, err: error }, `${reason}; shutting down`);
      if (!stop) {
        // Still starting: nothing is in flight to finish.
        process.exit(1);
      }
      if (!stopping) begin(reason, stop);
      return;
    }
    laterErrors += 1;
    if (laterErrors <= MAX_LOGGED_LATER_ERRORS) {
      log("error", { reason, err: error }, `${reason} while shutting down; the stop under way goes on`);
    }
    if (laterErrors === MAX_LOGGED_LATER_ERRORS) {
      logger.error({}, "further uncaught errors while shutting down are not logged");
    }
  };

  process.on("uncaughtException", (error) => onUncaught("uncaught exception", error));
  process.on("unhandledRejection", (reason) => onUncaught("unhandled rejection", reason));

  return {
    whenStopping(stopProcess) {
      stop = stopProcess;
      process.on("SIGTERM", onSignal);
      process.on("SIGINT", onSignal);
      // The worker `npm start` forks stops with its parent even when the parent was killed
      // outright (SIGKILL, the OOM killer): its IPC channel closes. An orphan would otherwise run
      // on beside the worker of the next start.
      if (process.connected) process.once("disconnect", () => onSignal("parent exited"));
    },
  };
}
