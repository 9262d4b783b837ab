/**
 * Whether something else is using the machine. Other test runs or builds on a 2-core machine take
 * CPU from the service and PostgreSQL and make every number worse, so the load before the run is
 * measured and reported, and `--wait-quiet` waits for it to drop.
 */
import { cpuBetween, markCpu } from "./cpu-accounting.js";
import { sleep } from "./stats.js";

export interface MachineLoad {
  /** Cores used by processes other than the bench's own during the sample. */
  cores: number;
  busiest: Record<string, number>;
  /** How long the bench waited for this (with --wait-quiet). */
  waitedSeconds?: number;
}

export async function machineLoad(ownPids: ReadonlySet<number>, seconds = 1): Promise<MachineLoad> {
  const from = await markCpu();
  await sleep(seconds * 1000);
  const to = await markCpu();
  const byCommand = await cpuBetween(from, to, (proc) => (ownPids.has(proc.pid) ? null : proc.command));
  const busiest = Object.fromEntries(
    Object.entries(byCommand)
      .filter(([, cores]) => cores >= 0.02)
      .sort(([, a], [, b]) => b - a)
      .slice(0, 5),
  );
  const cores = Object.values(byCommand).reduce((sum, value) => sum + value, 0);
  return { cores: Math.round(cores * 100) / 100, busiest };
}

/** Waits until other processes use under `threshold` cores for 3 s running, at most `maxSeconds`. */
export async function waitForQuiet(
  ownPids: ReadonlySet<number>,
  maxSeconds: number,
  threshold: number,
  onWait: (load: MachineLoad) => void,
): Promise<MachineLoad> {
  const startedAt = Date.now();
  const deadline = startedAt + maxSeconds * 1000;
  let quietSeconds = 0;
  let load = await machineLoad(ownPids);
  while (Date.now() < deadline) {
    quietSeconds = load.cores < threshold ? quietSeconds + 1 : 0;
    if (quietSeconds >= 3) return { ...load, waitedSeconds: Math.round((Date.now() - startedAt) / 1000) };
    onWait(load);
    load = await machineLoad(ownPids);
  }
  return { ...load, waitedSeconds: Math.round((Date.now() - startedAt) / 1000) };
}
