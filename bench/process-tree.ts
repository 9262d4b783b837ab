/** Reading Linux /proc: a process's descendants, its memory and its CPU time. */
import { readdir, readFile } from "node:fs/promises";

/** Direct children, from /proc/<pid>/task/<tid>/children (every thread may have forked). */
export async function childrenOf(pid: number): Promise<number[]> {
  let tasks: string[];
  try {
    tasks = await readdir(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const lists = await Promise.all(
    tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, "utf8").catch(() => "")),
  );
  return [...new Set(lists.flatMap((list) => list.split(/\s+/).filter(Boolean).map(Number)))];
}

export async function descendantsOf(pid: number): Promise<Array<{ pid: number; parent: number }>> {
  const found: Array<{ pid: number; parent: number }> = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const child of await childrenOf(parent)) {
      found.push({ pid: child, parent });
      queue.push(child);
    }
  }
  return found;
}

export interface MemoryUse {
  rssKiB: number;
  pssKiB: number;
}

/** RSS and PSS from /proc/<pid>/smaps_rollup; null once the process is gone. */
export async function memoryOf(pid: number): Promise<MemoryUse | null> {
  try {
    const text = await readFile(`/proc/${pid}/smaps_rollup`, "utf8");
    const field = (name: string) =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? Number.NaN);
    return { rssKiB: field("Rss"), pssKiB: field("Pss") };
  } catch {
    return null;
  }
}

export interface ProcessCpu {
  pid: number;
  command: string;
  /** The parent's pid. */
  ppid: number;
  /** utime + stime in clock ticks. */
  ticks: number;
}

/** Every process's command name and CPU time so far. */
export async function cpuOfAllProcesses(): Promise<ProcessCpu[]> {
  const pids = (await readdir("/proc")).filter((name) => /^\d+$/.test(name));
  const stats = await Promise.all(
    pids.map(async (pid): Promise<ProcessCpu | null> => {
      try {
        const text = await readFile(`/proc/${pid}/stat`, "utf8");
        const open = text.indexOf("(");
        const close = text.lastIndexOf(")");
        const rest = text.slice(close + 2).split(" ");
        // After the command: state is field 3, the parent field 4, utime field 14, stime field 15.
        return {
          pid: Number(pid),
          command: text.slice(open + 1, close),
          ppid: Number(rest[1]),
          ticks: Number(rest[11]) + Number(rest[12]),
        };
      } catch {
        return null;
      }
    }),
  );
  return stats.filter((stat): stat is ProcessCpu => stat !== null);
}

/** A short, readable name for a process: its program and first arguments, without flags or paths. */
export async function shortCommandLine(pid: number, fallback: string): Promise<string> {
  let args: string[];
  try {
    args = (await readFile(`/proc/${pid}/cmdline`, "utf8")).split("\0").filter(Boolean);
  } catch {
    return fallback;
  }
  if (args.length === 0) return fallback;
  const where = /^\/work\/([^/]+)\//.exec(args.find((arg) => arg.startsWith("/work/")) ?? "")?.[1];
  const names = args
    .filter((arg, index) => index === 0 || !arg.startsWith("-"))
    .map((arg) => arg.replace(/^.*\/node_modules\/(?:\.bin\/)?/, "").replace(/^.*\//, ""))
    .slice(0, 3)
    .join(" ");
  const label = names.length > 50 ? `${names.slice(0, 49)}…` : names;
  return where ? `${label} [${where}]` : label;
}
