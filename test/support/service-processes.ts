/**
 * The service's entry points as real child processes (TypeScript run through tsx), for tests that
 * kill, stop and signal them. Every process is started in a group of its own, so killing it also
 * kills what it forked, and a ServiceProcesses set kills whatever is left at the end of a file.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { waitFor } from "./wait-for.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;

export type Entry = "api" | "worker" | "start" | "cli";

export interface LogLine {
  level?: number;
  msg?: string;
  pid?: number;
  [key: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServiceProcess {
  readonly lines: LogLine[] = [];
  /** Everything written that was not a JSON log line (start-up failures, stack traces). */
  readonly text: string[] = [];
  exit: Exit | null = null;
  readonly exited: Promise<Exit>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream?.setEncoding("utf8");
      stream?.on("data", (chunk: string) => {
        const parts = (rest + chunk).split("\n");
        rest = parts.pop() ?? "";
        for (const part of parts) this.take(part);
      });
    }
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Waits for a log line whose msg matches, from the start of the process. */
  async waitForLog(pattern: RegExp, timeoutMs = 30_000): Promise<LogLine> {
    let exited: Exit | null = null;
    const line = await waitFor(
      `${this.name} to log ${pattern}`,
      () => {
        exited = this.exit;
        return (
          this.lines.find((l) => typeof l.msg === "string" && pattern.test(l.msg)) ??
          (exited ? null : undefined)
        );
      },
      timeoutMs,
      50,
    );
    if (!line)
      throw new Error(
        `${this.name} exited (${JSON.stringify(exited)}) before logging ${pattern}: ${this.tail()}`,
      );
    return line;
  }

  /** Sends a signal to this process only (not to what it forked). */
  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  /**
   * A signal to the whole process group, as systemd's default stop, a container runtime and Ctrl-C
   * in a terminal send it: every process started under this one gets it at the same moment.
   */
  signalGroup(signal: NodeJS.Signals): void {
    process.kill(-this.pid, signal);
  }

  /** Whether any process of its group is still alive (the group outlives its leader). */
  get groupAlive(): boolean {
    try {
      process.kill(-this.pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  /** SIGKILL to the whole process group: this process and everything it forked. */
  killTree(): void {
    try {
      process.kill(-this.pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  /** The last lines it wrote, for failure messages. */
  tail(count = 15): string {
    const logged = this.lines.map((line) => JSON.stringify(line)).slice(-count);
    return [...logged, ...this.text.slice(-count)].join("\n");
  }

  private take(raw: string): void {
    if (!raw.trim()) return;
    try {
      this.lines.push(JSON.parse(raw) as LogLine);
    } catch {
      this.text.push(raw);
    }
  }
}

/** The processes of one test file; `stopAll` leaves none behind, whatever happened. */
export class ServiceProcesses {
  private readonly all: ServiceProcess[] = [];
  // No .env may leak in from the developer's checkout: the children run in an empty directory.
  private readonly cwd = mkdtempSync(join(tmpdir(), "ns-fault-"));

  constructor(private readonly baseEnv: Record<string, string>) {}

  /**
   * `args` go to the entry script (the CLI's command, e.g. ["worker"]). `preload` are modules node
   * imports before it (`--import`, after tsx's loader): a test's fault injection, never a hook in
   * the service. A worker that `npm start` forks inherits them.
   */
  start(
    entry: Entry,
    env: Record<string, string> = {},
    name: string = entry,
    args: string[] = [],
    preload: string[] = [],
  ): ServiceProcess {
    return this.launch(
      name,
      process.execPath,
      [
        "--import",
        TSX_LOADER,
        ...preload.flatMap((file) => ["--import", pathToFileURL(file).href]),
        join(REPO_ROOT, `src/entry/${entry}.ts`),
        ...args,
      ],
      env,
    );
  }

  /**
   * `npm start` as a user runs it, so its process group holds what theirs does: npm, the shell
   * running the script, the API's node and the worker it forks. The script is the repository's
   * own start script with two changes that keep its shape: the build step becomes `true` (tests
   * run the source; a build takes 20 s) and `dist/entry/start.js` its source, run through tsx.
   */
  startNpmStart(env: Record<string, string> = {}, name = "npm start"): ServiceProcess {
    const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const script = scripts.start ?? "";
    const build = "npm run build --silent && ";
    if (!script.startsWith(build) || !/\bnode\b.*dist\/entry\/start\.js/.test(script)) {
      throw new Error(`package.json's start script changed shape; update startNpmStart: ${script}`);
    }
    const fromSource = script
      .replace(build, "true && ")
      .replace(/\bnode\b/, `node --import ${TSX_LOADER}`)
      .replace("dist/entry/start.js", join(REPO_ROOT, "src/entry/start.ts"));
    writeFileSync(
      join(this.cwd, "package.json"),
      JSON.stringify({ name: "fault-test-start", private: true, scripts: { start: fromSource } }),
    );
    return this.launch(name, "npm", ["start"], env);
  }

  private launch(name: string, file: string, args: string[], env: Record<string, string>): ServiceProcess {
    const child = spawn(file, args, {
      cwd: this.cwd,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        HOST: "127.0.0.1",
        PORT: "0",
        ...this.baseEnv,
        ...env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const service = new ServiceProcess(name, child);
    this.all.push(service);
    return service;
  }

  /** An API process, once it listens; resolves with its base URL. */
  async startApi(
    env: Record<string, string> = {},
    name = "api",
  ): Promise<{ process: ServiceProcess; url: string }> {
    const api = this.start("api", env, name);
    const line = await api.waitForLog(/^Server listening at http:\/\/127\.0\.0\.1:/);
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(String(line.msg))![0];
    return { process: api, url };
  }

  async startWorker(
    env: Record<string, string> = {},
    name = "worker",
    preload: string[] = [],
  ): Promise<ServiceProcess> {
    const worker = this.start("worker", env, name, [], preload);
    await worker.waitForLog(/^delivery worker started$/);
    return worker;
  }

  /** Kills every process still running, with everything it forked, and waits for them. */
  async stopAll(): Promise<void> {
    for (const service of this.all) service.killTree();
    await Promise.all(
      this.all.map((service) =>
        service.running ? Promise.race([service.exited, new Promise((r) => setTimeout(r, 5_000))]) : null,
      ),
    );
    rmSync(this.cwd, { recursive: true, force: true });
  }

  /** The output of every process, for a failing test's message. */
  describe(): string {
    return this.all.map((service) => `--- ${service.name} (${service.pid})\n${service.tail(30)}`).join("\n");
  }
}

/** fetch with a deadline, for an API that must answer quickly even when its dependencies are down. */
export async function request(
  url: string,
  options: { method?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: {
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body, headers: response.headers, ms: performance.now() - started };
}
