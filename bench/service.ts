/**
 * The service as `npm start` runs it: built once, then `node dist/entry/start.js`, which serves
 * the API and forks the delivery worker. Started in a process group of its own, so a Ctrl-C on the
 * bench reaches the bench (which stops the service cleanly) rather than the service directly.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sleep } from "./stats.js";

const OUTPUT_LINES_KEPT = 60;

export async function buildService(cwd: string): Promise<void> {
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const child = spawn(npm, ["run", "build", "--silent"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output.join("").trim()}`);
}

export class ServiceProcess {
  private readonly output: string[] = [];
  private exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n")) if (line.trim()) this.output.push(line);
      if (this.output.length > OUTPUT_LINES_KEPT)
        this.output.splice(0, this.output.length - OUTPUT_LINES_KEPT);
    };
    child.stdout?.on("data", keep);
    child.stderr?.on("data", keep);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  /**
   * `nodeOptions` go on the command line (node refuses --cpu-prof in NODE_OPTIONS); start.js
   * forks the worker with the parent's execArgv, so the worker gets them too.
   */
  static start(cwd: string, env: NodeJS.ProcessEnv, nodeOptions: string[] = []): ServiceProcess {
    const child = spawn(process.execPath, [...startFlags(cwd), ...nodeOptions, "dist/entry/start.js"], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    return new ServiceProcess(child);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error("the service did not start");
    return this.child.pid;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the service wrote (warnings and errors: it runs with LOG_LEVEL=warn). */
  recentOutput(): string[] {
    return [...this.output];
  }

  /** Polls an HTTP endpoint until it answers 200. */
  async waitReady(url: string, timeoutSeconds: number): Promise<number> {
    const startedAt = performance.now();
    const deadline = startedAt + timeoutSeconds * 1000;
    while (performance.now() < deadline) {
      if (!this.running) throw new Error(`the service exited during start-up:\n${this.output.join("\n")}`);
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
        await response.arrayBuffer();
        if (response.ok) return performance.now() - startedAt;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`the service was not ready within ${timeoutSeconds} s:\n${this.output.join("\n")}`);
  }

  /**
   * SIGTERM, as a deploy would, then the grace period; past it the whole group is killed, so the
   * worker child cannot outlive the bench.
   */
  async stop(graceSeconds: number): Promise<"clean" | "killed"> {
    const pid = this.child.pid;
    if (pid === undefined) return "clean";
    if (this.running) this.child.kill("SIGTERM");
    const stopped = await Promise.race([
      this.exited.then(() => true),
      sleep(graceSeconds * 1000).then(() => false),
    ]);
    // The worker child may still be alive if the parent died abruptly; its group is ours.
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group is gone already
    }
    await this.exited;
    return stopped ? "clean" : "killed";
  }
}

/** The node flags `npm start` passes, read from package.json so the bench runs what users run. */
function startFlags(cwd: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(cwd, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  const flags = /\bnode((?:\s+--\S+)*)\s+dist\/entry\/start\.js/.exec(scripts.start ?? "")?.[1] ?? "";
  return flags.split(/\s+/).filter(Boolean);
}
