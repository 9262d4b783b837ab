/**
 * Samples RSS and PSS of the service's processes (the start.js parent and every descendant, such
 * as the forked worker) every 250 ms for the whole run, keeping each process's peak and the peak of
 * their sum. PSS divides shared pages among the processes sharing them, so the sum of PSS is what
 * the service really costs; the sum of RSS counts shared pages (node's own code) twice.
 */
import { descendantsOf, memoryOf } from "./process-tree.js";

export interface ProcessMemoryPeak {
  pid: number;
  role: string;
  peakRssMiB: number;
  peakPssMiB: number;
  /** At rest: a second after the service became ready, before any load. */
  readyRssMiB: number | null;
  readyPssMiB: number | null;
  samples: number;
}

export interface MemoryReport {
  intervalMs: number;
  samples: number;
  processes: ProcessMemoryPeak[];
  peakSumPssMiB: number;
  peakSumRssMiB: number;
}

const MiB = 1024;

export class MemorySampler {
  private readonly peaks = new Map<number, ProcessMemoryPeak>();
  private readonly latest = new Map<number, { rssKiB: number; pssKiB: number }>();
  private peakSumPssKiB = 0;
  private peakSumRssKiB = 0;
  private ticks = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(
    private readonly rootPid: number,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    const tick = () => {
      this.inFlight = this.sample().catch(() => {});
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
  }

  /** Takes a sample now and keeps it as each process's memory at rest. */
  async markReady(): Promise<void> {
    await this.inFlight;
    await this.sample();
    for (const peak of this.peaks.values()) {
      const use = this.latest.get(peak.pid);
      peak.readyRssMiB = use?.rssKiB ?? null;
      peak.readyPssMiB = use?.pssKiB ?? null;
    }
  }

  /** The pids seen so far with their roles, for CPU accounting. */
  roles(): Map<number, string> {
    return new Map([...this.peaks.values()].map((peak) => [peak.pid, peak.role]));
  }

  async stop(): Promise<MemoryReport> {
    clearInterval(this.timer);
    await this.inFlight;
    const toMiB = (kib: number) => Math.round((kib / MiB) * 10) / 10;
    const maybeMiB = (kib: number | null) => (kib === null ? null : toMiB(kib));
    return {
      intervalMs: this.intervalMs,
      samples: this.ticks,
      processes: [...this.peaks.values()].map((peak) => ({
        ...peak,
        peakRssMiB: toMiB(peak.peakRssMiB),
        peakPssMiB: toMiB(peak.peakPssMiB),
        readyRssMiB: maybeMiB(peak.readyRssMiB),
        readyPssMiB: maybeMiB(peak.readyPssMiB),
      })),
      peakSumPssMiB: toMiB(this.peakSumPssKiB),
      peakSumRssMiB: toMiB(this.peakSumRssKiB),
    };
  }

  private roleOf(parent: number | null): string {
    if (parent === null) return "api (start.js parent)";
    const workers = [...this.peaks.values()].filter((peak) => peak.role.startsWith("worker")).length;
    if (parent === this.rootPid)
      return workers === 0 ? "worker (child)" : `worker (child, restart ${workers})`;
    return `descendant of ${parent}`;
  }

  private async sample(): Promise<void> {
    const pids = [
      { pid: this.rootPid, parent: null as number | null },
      ...(await descendantsOf(this.rootPid)),
    ];
    const uses = await Promise.all(pids.map(({ pid }) => memoryOf(pid)));
    let sumPss = 0;
    let sumRss = 0;
    pids.forEach(({ pid, parent }, index) => {
      const use = uses[index];
      if (!use || Number.isNaN(use.pssKiB)) return;
      let peak = this.peaks.get(pid);
      if (!peak) {
        // Kept in KiB until stop() converts.
        peak = {
          pid,
          role: this.roleOf(parent),
          peakRssMiB: 0,
          peakPssMiB: 0,
          readyRssMiB: null,
          readyPssMiB: null,
          samples: 0,
        };
        this.peaks.set(pid, peak);
      }
      peak.peakRssMiB = Math.max(peak.peakRssMiB, use.rssKiB);
      peak.peakPssMiB = Math.max(peak.peakPssMiB, use.pssKiB);
      peak.samples += 1;
      this.latest.set(pid, use);
      sumPss += use.pssKiB;
      sumRss += use.rssKiB;
    });
    this.ticks += 1;
    this.peakSumPssKiB = Math.max(this.peakSumPssKiB, sumPss);
    this.peakSumRssKiB = Math.max(this.peakSumRssKiB, sumRss);
  }
}
