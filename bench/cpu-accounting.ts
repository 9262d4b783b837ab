/**
 * Where the machine's CPU went during a phase, in cores (1.0 = one core busy the whole phase):
 * the service's API and worker processes, PostgreSQL, Redis, and the bench itself. On a 2-core
 * machine this says at once which process is the bottleneck.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { cpuOfAllProcesses, type ProcessCpu } from "./process-tree.js";

export type CpuByGroup = Record<string, number>;

export interface CpuMark {
  at: number;
  processes: ProcessCpu[];
}

let clockTicks: number | undefined;

async function ticksPerSecond(): Promise<number> {
  if (clockTicks === undefined) {
    try {
      const { stdout } = await promisify(execFile)("getconf", ["CLK_TCK"]);
      clockTicks = Number(stdout.trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

export async function markCpu(): Promise<CpuMark> {
  await ticksPerSecond();
  return { at: performance.now(), processes: await cpuOfAllProcesses() };
}

/**
 * Cores used per group between two marks. `groupOf` names a process's group, or null to leave it
 * out; processes that started after `from` count from zero.
 */
export async function cpuBetween(
  from: CpuMark,
  to: CpuMark,
  groupOf: (proc: ProcessCpu) => string | null,
): Promise<CpuByGroup> {
  const hz = await ticksPerSecond();
  const before = new Map(from.processes.map((proc) => [proc.pid, proc.ticks]));
  const seconds = (to.at - from.at) / 1000;
  const cores: CpuByGroup = {};
  for (const proc of to.processes) {
    const group = groupOf(proc);
    if (group === null) continue;
    const ticks = proc.ticks - (before.get(proc.pid) ?? 0);
    cores[group] = (cores[group] ?? 0) + ticks / hz / seconds;
  }
  for (const group of Object.keys(cores)) cores[group] = Math.round(cores[group]! * 100) / 100;
  return cores;
}

/**
 * CPU time per notification, in microseconds per group, over phases that together handled
 * `notifications` (ingest and drain: every stored notification was accepted and delivered in
 * them). The service's cost per notification, independent of how fast the machine was that minute.
 */
export function cpuMicrosecondsPerNotification(
  phases: { cores: CpuByGroup; seconds: number }[],
  notifications: number,
): CpuByGroup {
  const micros: CpuByGroup = {};
  for (const { cores, seconds } of phases) {
    for (const [group, used] of Object.entries(cores))
      micros[group] = (micros[group] ?? 0) + used * seconds * 1e6;
  }
  for (const group of Object.keys(micros)) {
    micros[group] = notifications > 0 ? Math.round(micros[group]! / notifications) : 0;
  }
  return micros;
}
