/** The Python the Python client's tests run with (TEST_PYTHON, default python3); 3.9 or later. */
import { spawnSync } from "node:child_process";

export const PYTHON = process.env.TEST_PYTHON ?? "python3";

/** Null when a usable Python is here, else why not. */
export function probePython(): string | null {
  const result = spawnSync(PYTHON, ["-c", "import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)"], {
    stdio: "ignore",
    timeout: 10_000,
  });
  if (result.error) return (result.error as NodeJS.ErrnoException).code ?? result.error.message;
  return result.status === 0 ? null : "older than 3.9";
}
