/**
 * One process per embedded data folder, with real processes contending for it: after a crash
 * several processes starting at the same instant find the same stale lock, and exactly one of
 * them may take the folder over.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DataDirectoryInUseError, lockDataDirectory } from "../../src/db/data-directory-lock.js";

const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const CONTENDER = fileURLToPath(new URL("./lock-contender.ts", import.meta.url));

interface Answer {
  pid: number;
  dir?: string;
  won?: boolean;
  refused?: string;
  failed?: string;
  released?: string;
}

/** A lock-contender.ts process; its answers come back in the order of the commands. */
class Contender {
  private readonly waiting: ((answer: Answer) => void)[] = [];
  readonly ready: Promise<Answer>;
  readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    this.ready = new Promise((resolve) => this.waiting.push(resolve));
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    let rest = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines) this.waiting.shift()?.(JSON.parse(line) as Answer);
    });
  }

  static start(): Contender {
    return new Contender(
      spawn(process.execPath, ["--import", TSX_LOADER, CONTENDER], { stdio: ["pipe", "pipe", "inherit"] }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  take(dir: string): Promise<Answer> {
    return this.send({ take: dir });
  }

  release(dir: string): Promise<Answer> {
    return this.send({ release: dir });
  }

  kill(): void {
    this.child.kill("SIGKILL");
  }

  private send(command: Record<string, string>): Promise<Answer> {
    const answer = new Promise<Answer>((resolve) => this.waiting.push(resolve));
    this.child.stdin?.write(`${JSON.stringify(command)}\n`);
    return answer;
  }
}

/** The pid of a process that has ended. */
const deadPid = (): number => spawnSync(process.execPath, ["-e", ""]).pid!;

describe("the embedded data folder's lock", () => {
  let root: string;
  const contenders: Contender[] = [];

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "ns-lock-"));
  });
  afterAll(async () => {
    for (const contender of contenders) contender.kill();
    await Promise.all(contenders.map((contender) => contender.exited));
    rmSync(root, { recursive: true, force: true });
  });

  const folder = (name: string) => {
    const dir = join(root, name);
    mkdirSync(dir);
    return dir;
  };
  const startContenders = async (count: number) => {
    const started = Array.from({ length: count }, () => Contender.start());
    contenders.push(...started);
    await Promise.all(started.map((contender) => contender.ready));
    return started;
  };

  /** Sends "take" to every process back to back, so they all reach the lock at the same moment. */
  const expectOneWinner = async (racing: Contender[], dir: string) => {
    const answers = await Promise.all(racing.map((contender) => contender.take(dir)));
    const winners = answers.filter((answer) => answer.won);
    expect(winners, JSON.stringify(answers)).toHaveLength(1);
    for (const answer of answers.filter((a) => !a.won)) {
      expect(answer.refused, JSON.stringify(answers)).toContain(
        `the embedded database in ${dir} is in use by process ${winners[0]!.pid}; one process at a time may open it.`,
      );
    }
  };

  it("lets exactly one of several processes take over a stale lock they all found at the same instant", {
    timeout: 60_000,
  }, async () => {
    const rounds = Array.from({ length: 40 }, (_, round) => folder(`race-${round}`));
    // A holder killed with SIGKILL leaves every folder a stale lock, in whatever form the lock has.
    const [crashed] = await startContenders(1);
    for (const dir of rounds) expect(await crashed!.take(dir)).toMatchObject({ won: true });
    crashed!.kill();
    await crashed!.exited;

    const racing = await startContenders(4);
    for (const dir of rounds) await expectOneWinner(racing, dir);

    // Released, a folder is free at once: another process takes it, and it leaves nothing behind.
    const [dir] = rounds;
    const answers = await Promise.all(racing.map((contender) => contender.release(dir!)));
    expect(answers.map((answer) => answer.released)).toEqual(racing.map(() => dir));
    expect(readdirSync(dir!)).toEqual([]);
    expect(await racing[0]!.take(dir!)).toMatchObject({ won: true });
    expect(await racing[1]!.take(dir!)).toMatchObject({
      refused: expect.stringContaining(`in use by process ${racing[0]!.pid};`),
    });
  });

  // A lock must never be seen half made, as a PID file is, empty, between its `wx` and its write.
  it("lets exactly one of several processes take a fresh folder they all start on together", {
    timeout: 60_000,
  }, async () => {
    const racing = await startContenders(4);
    for (let round = 0; round < 100; round++) await expectOneWinner(racing, folder(`fresh-${round}`));
  });

  describe("in this process", () => {
    let releases: (() => void)[] = [];
    afterEach(() => {
      for (const release of releases) release();
      releases = [];
    });

    it("refuses a live holder in the lock file of an earlier version, and takes over a dead one's", async () => {
      const [holder] = await startContenders(1);
      const live = folder("file-lock-live");
      writeFileSync(join(live, "lock"), `${holder!.pid}\n`);
      expect(() => lockDataDirectory(live)).toThrow(DataDirectoryInUseError);
      expect(() => lockDataDirectory(live)).toThrow(`in use by process ${holder!.pid};`);
      expect(readdirSync(live)).toEqual(["lock"]);

      // A dead pid, or this process's own (an earlier life of its pid, as PID 1 in a container).
      for (const [name, pid] of [
        ["file-lock-stale", deadPid()],
        ["file-lock-own-pid", process.pid],
      ] as const) {
        const stale = folder(name);
        writeFileSync(join(stale, "lock"), `${pid}\n`);
        const release = lockDataDirectory(stale);
        expect(readdirSync(join(stale, "lock"))).toEqual([
          expect.stringMatching(new RegExp(`^${process.pid}\\.`)),
        ]);
        release();
        expect(readdirSync(stale)).toEqual([]);
      }
    });

    it("clears what a process killed while taking the lock left, and nothing of a live one's", async () => {
      const [alive] = await startContenders(1);
      const dir = folder("left-behind");
      mkdirSync(join(dir, `lock.${deadPid()}.0a1b`));
      mkdirSync(join(dir, `lock.${alive!.pid}.2c3d`));
      releases.push(lockDataDirectory(dir));
      expect(readdirSync(dir).sort()).toEqual(["lock", `lock.${alive!.pid}.2c3d`]);
      releases.pop()?.();
      expect(existsSync(join(dir, "lock"))).toBe(false);
    });
  });
});
