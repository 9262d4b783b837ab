/** Runs the CLI as a real child process (from source, through tsx) on a test's own database and Redis prefix. */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = ["--import", "tsx", "src/entry/cli.ts"];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment a CLI child runs with: the test's own settings over a clean base (no provider credentials). */
export function cliEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: "test", ...env };
}

/**
 * `input`, when given, is written to the command's standard input; either way it is closed, so a
 * command that reads it sees its end instead of waiting for the timeout.
 */
export function runCli(args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [...CLI, ...args],
      { cwd: REPO_ROOT, env: cliEnv(env), timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({ code: typeof code === "number" ? code : null, stdout, stderr });
      },
    );
    // A command may stop reading before the input ends (a password past its limit): the pipe's
    // EPIPE is then expected, and the command's exit code and output say what happened.
    child.stdin?.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE") throw error;
    });
    child.stdin?.end(input ?? "");
  });
}

/**
 * A long-running command (serve, worker); its output is collected as it comes. With `stdin: "pipe"`
 * the test writes its standard input through `child.stdin` and decides when (or whether) it ends.
 */
export function spawnCli(
  args: string[],
  env: Record<string, string>,
  options: { stdin?: "ignore" | "pipe" } = {},
) {
  const child: ChildProcess = spawn(process.execPath, [...CLI, ...args], {
    cwd: REPO_ROOT,
    env: cliEnv(env),
    stdio: [options.stdin ?? "ignore", "pipe", "pipe"],
  });
  const output = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk) => {
    output.stdout += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output.stderr += String(chunk);
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    /** SIGTERM, and the exit code once it has stopped. */
    async stop(): Promise<number | null> {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}
