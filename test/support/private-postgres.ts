/**
 * A PostgreSQL cluster of a test file's own, in a temporary directory on a free port, which the
 * test may stop and start at will: the machine's cluster is shared by every test file running in
 * parallel and must never be stopped. Run as the postgres OS user when the tests run as root.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);
const BIN = process.env.TEST_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

async function asPostgresUser(command: string, args: string[]): Promise<string> {
  const isRoot = process.getuid?.() === 0;
  const [file, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const { stdout } = await run(file, argv, { timeout: 60_000 });
  return stdout;
}

export class PrivatePostgres {
  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  static async create(): Promise<PrivatePostgres> {
    const dir = mkdtempSync(join(tmpdir(), "ns-pg-"));
    if (process.getuid?.() === 0) {
      const { stdout } = await run("id", ["-u", "postgres"]);
      const { stdout: gid } = await run("id", ["-g", "postgres"]);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    const postgres = new PrivatePostgres(dir, await freePort());
    await asPostgresUser(`${BIN}/initdb`, [
      "-D",
      postgres.dataDir,
      "-U",
      "postgres",
      "-A",
      "trust",
      "--no-sync",
      "-E",
      "UTF8",
    ]);
    await postgres.start();
    return postgres;
  }

  private get dataDir(): string {
    return join(this.dir, "data");
  }

  /** The URL of a database on this cluster (the service creates it when missing). */
  url(database: string): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      `-k ${this.dir}`,
      "-c listen_addresses=127.0.0.1",
      // No fsync: the machine does not crash under a test. Commits still wait for their WAL to
      // be written out of PostgreSQL's memory (synchronous_commit stays on), so a crash of the
      // server keeps every commit it acknowledged, as a production server's crash does.
      "-c fsync=off",
      "-c full_page_writes=off",
      "-c shared_buffers=16MB",
      "-c max_connections=60",
    ].join(" ");
    await asPostgresUser(`${BIN}/pg_ctl`, [
      "-D",
      this.dataDir,
      "-l",
      this.logFile,
      "-w",
      "-t",
      "60",
      "-o",
      options,
      "start",
    ]);
  }

  /** A clean shutdown as an operator's restart does it: sessions are ended, nothing is lost. */
  async stop(): Promise<void> {
    await asPostgresUser(`${BIN}/pg_ctl`, ["-D", this.dataDir, "-m", "fast", "-w", "-t", "60", "stop"]);
  }

  /**
   * A crash as the server sees it: `pg_ctl stop -m immediate` ends every session at once, with no
   * checkpoint, so the next start runs crash recovery from the WAL.
   */
  async crash(): Promise<void> {
    await asPostgresUser(`${BIN}/pg_ctl`, ["-D", this.dataDir, "-m", "immediate", "-w", "-t", "60", "stop"]);
  }

  /**
   * SIGKILL to the postmaster alone, as the OOM killer does it: its backends notice their parent
   * gone and end by themselves; the next start finds a stale postmaster.pid and recovers.
   * Resolves once every one of them is gone, since a new server refuses to start beside them.
   */
  async killPostmaster(): Promise<void> {
    const pids = await this.processIds();
    process.kill(pids[0]!, "SIGKILL");
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 30_000;
    while (pids.some(alive)) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL's processes outlived their postmaster: ${pids}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * SIGSTOP to the server and every backend: it accepts TCP connections but answers nothing, as
   * a hung host or a network partition looks to a client. `thaw` lets it go on.
   */
  async freeze(): Promise<void> {
    for (const pid of await this.processIds()) process.kill(pid, "SIGSTOP");
  }

  async thaw(): Promise<void> {
    for (const pid of await this.processIds()) process.kill(pid, "SIGCONT");
  }

  private async processIds(): Promise<number[]> {
    const postmaster = Number(readFileSync(join(this.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const { stdout } = await run("pgrep", ["-P", String(postmaster)]).catch(() => ({ stdout: "" }));
    return [postmaster, ...stdout.split(/\s+/).filter(Boolean).map(Number)];
  }

  /** Stops the cluster whatever state it is in and deletes it. */
  async destroy(): Promise<void> {
    await this.thaw().catch(() => {});
    if (existsSync(join(this.dataDir, "postmaster.pid"))) {
      await asPostgresUser(`${BIN}/pg_ctl`, ["-D", this.dataDir, "-m", "immediate", "-w", "stop"]).catch(
        () => {},
      );
    }
    rmSync(this.dir, { recursive: true, force: true });
  }

  log(): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8") : "";
  }

  private get logFile(): string {
    return join(this.dir, "postgres.log");
  }
}
