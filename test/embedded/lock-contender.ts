/**
 * A process that takes and releases data folders with the embedded database's lock, for
 * data-directory-lock.test.ts. It reads one JSON command a line on stdin and answers each with one
 * JSON line on stdout carrying its pid:
 *   {"take": dir}    -> {"dir", "won": true} | {"dir", "refused": message} | {"dir", "failed": message}
 *   {"release": dir} -> {"released": dir}
 * It says {"ready": true} first, so that commands sent to several at once reach processes that
 * are all waiting for them.
 */
import { createInterface } from "node:readline";
import { DataDirectoryInUseError, lockDataDirectory } from "../../src/db/data-directory-lock.js";

const held = new Map<string, () => void>();
const answer = (reply: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ pid: process.pid, ...reply })}\n`);

answer({ ready: true });
for await (const line of createInterface({ input: process.stdin })) {
  const command = JSON.parse(line) as { take?: string; release?: string };
  if (command.take !== undefined) {
    const dir = command.take;
    try {
      held.set(dir, lockDataDirectory(dir));
      answer({ dir, won: true });
    } catch (error) {
      const outcome = error instanceof DataDirectoryInUseError ? "refused" : "failed";
      answer({ dir, [outcome]: error instanceof Error ? error.message : String(error) });
    }
  } else if (command.release !== undefined) {
    held.get(command.release)?.();
    held.delete(command.release);
    answer({ released: command.release });
  }
}
