/**
 * Everything the bench started is registered here as it starts and stopped in reverse order
 * exactly once: after a normal run, after a failure, and on Ctrl-C or SIGTERM.
 */
export class Cleanup {
  private readonly steps: Array<{ name: string; run: () => Promise<unknown> }> = [];
  private running: Promise<string[]> | null = null;

  add(name: string, run: () => Promise<unknown>): void {
    this.steps.push({ name, run });
  }

  /** Runs every step even when some fail; returns what failed. */
  runAll(): Promise<string[]> {
    this.running ??= (async () => {
      const failures: string[] = [];
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          failures.push(`${step.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return failures;
    })();
    return this.running;
  }
}

/** On SIGINT or SIGTERM: `interrupted` first (e.g. stop the load), then the cleanup, then exit 130. */
export function onInterrupt(cleanup: Cleanup, interrupted: (signal: string) => void): void {
  let seen = false;
  const handle = (signal: NodeJS.Signals) => {
    if (seen) {
      process.stderr.write(`\n${signal} again: still cleaning up, please wait\n`);
      return;
    }
    seen = true;
    interrupted(signal);
    void cleanup.runAll().then((failures) => {
      for (const failure of failures) process.stderr.write(`cleanup failed: ${failure}\n`);
      process.exit(130);
    });
  };
  process.on("SIGINT", handle);
  process.on("SIGTERM", handle);
}
