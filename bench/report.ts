/** The table printed at the end of a run, and the results file. */

import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { CeilingResult } from "./ceiling.js";
import type { CpuByGroup } from "./cpu-accounting.js";
import type { DeliveryResult } from "./delivery.js";
import type { IngestResult } from "./ingest.js";
import type { LatencyBreakdown } from "./latency-breakdown.js";
import type { LightLoadResult } from "./light-load.js";
import type { MachineLoad } from "./machine-load.js";
import type { MemoryReport } from "./memory-sampler.js";
import type { PgWorkPerNotification } from "./pg-activity.js";
import type { ReceiptsResult } from "./receipt-checks.js";
import type { RedisWorkPerNotification } from "./redis-activity.js";
import type { Ratios, TargetCheck } from "./targets.js";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  totalMemoryMiB: number;
  os: string;
  node: string;
  postgres: string;
  redis: string;
}

/** The processes whose CPU is the service's cost: what a notification costs to accept and deliver. */
export const SERVICE_GROUPS = ["api", "worker", "service other", "postgres", "redis"];

export interface TemplateVariantResult {
  ingest: IngestResult;
  delivery: DeliveryResult;
  cpuPerNotification: CpuByGroup;
  /** The service's CPU per notification (SERVICE_GROUPS), µs of one core, with a template and plain. */
  serviceMicros: number;
  plainServiceMicros: number;
  ratioToPlain: number;
  target: TargetCheck;
}

export interface BenchResults {
  generatedAt: string;
  mode: string;
  cpuProfiled: boolean;
  machine: MachineInfo;
  /** CPU used by other processes just before the measurements began. */
  loadBefore: MachineLoad;
  config: Record<string, unknown>;
  ceiling: CeilingResult;
  nodePgLoop: CeilingResult | null;
  warmup: { sent: number; accepted: number };
  ingest: IngestResult;
  delivery: DeliveryResult;
  lightLoad: LightLoadResult & { breakdown: LatencyBreakdown | null };
  /** PostgreSQL's work per notification over ingest, drain and light load. */
  pgWork: PgWorkPerNotification;
  /** Redis commands per notification over the same span (server-wide count). */
  redisWork: RedisWorkPerNotification;
  /** CPU microseconds per notification and process group over ingest and drain. */
  cpuPerNotification: CpuByGroup;
  memory: MemoryReport;
  /** Cores used per process group during each phase. */
  cpu: Record<string, CpuByGroup>;
  /** The busiest processes outside the service, PostgreSQL, Redis and the bench, per phase. */
  otherCpu: Record<string, CpuByGroup>;
  ratios: Ratios;
  targets: TargetCheck[];
  /** Every notification of the run in PostgreSQL by status, at the end. */
  statusesAtEnd: Record<string, number>;
  /**
   * Waiting for the ingest's SMS receipts after the drain (its CPU counts in cpuPerNotification),
   * and SMS.ru sms/status calls over the whole run; absent in results of older runs.
   */
  receipts?: ReceiptsResult & {
    statusCalls: number;
    idsPerCall: number;
    sendCalls: number;
    messagesPerSendCall: number;
  };
  /** The same ingest and drain with template notifications; absent in results of older runs. */
  templateVariant?: TemplateVariantResult;
  serviceStop: string;
  runSeconds: number;
  table?: string;
}

const n = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : "–";
const yesNo = (met: boolean) => (met ? "yes" : "NO");

type Row = [label: string, result: string, ratio?: string, target?: string, met?: string];

export function formatTable(results: BenchResults): string {
  const { machine, ceiling, nodePgLoop, ingest, delivery, lightLoad, memory, ratios, targets } = results;
  const target = (name: string) => targets.find((check) => check.name === name);
  const met = (...names: string[]) => names.map((name) => yesNo(target(name)?.met ?? false)).join(" / ");

  const rows: Row[] = [
    ["measurement", "result", "× ceiling", "target", "met"],
    [
      `PostgreSQL ceiling (${ceiling.tool}, ${ceiling.clients} clients)`,
      `${n(ceiling.insertsPerSecond)} INSERT tx/s`,
      "1.000",
    ],
  ];
  if (nodePgLoop) {
    rows.push([
      `  node-pg loop (${nodePgLoop.clients} clients, 1 process)`,
      `${n(nodePgLoop.insertsPerSecond)} INSERT tx/s`,
      (ratios.nodePg ?? 0).toFixed(3),
    ]);
  }
  rows.push(
    [
      `Ingest (${ingest.connections} connections, ${n(ingest.seconds)} s)`,
      `${n(ingest.acceptedPerSecond)} accepted/s`,
      ratios.ingest.toFixed(3),
      "≥ 0.5 × ceiling",
      met("ingest throughput"),
    ],
    [
      "  latency p50 / p90 / p99 / max",
      `${ingest.latencyMs.p50} / ${ingest.latencyMs.p90} / ${ingest.latencyMs.p99} / ${ingest.latencyMs.max} ms`,
      "",
      "p99 < 50 ms",
      met("ingest p99"),
    ],
    [
      "  non-2xx / errors / timeouts",
      `${n(ingest.non2xx)} / ${n(ingest.errors)} / ${n(ingest.timeouts)}`,
      "",
      "none",
      met("ingest errors"),
    ],
    [
      "Delivery, end to end",
      `${n(delivery.deliveredPerSecond)} delivered/s`,
      ratios.delivery.toFixed(3),
      "≥ 0.25 × ceiling",
      met("delivery throughput"),
    ],
    [
      "  accepted / stored / received / lost",
      `${n(delivery.accepted)} / ${n(delivery.stored)} / ${n(delivery.received)} / ${n(delivery.lost)}`,
      "",
      "lost = 0",
      met("nothing lost"),
    ],
    ["  delivered/s while ingesting", `${n(delivery.deliveredPerSecondDuringIngest)}/s`],
    [
      "  backlog at ingest end / drain time",
      `${n(delivery.backlogAtIngestEnd)} / ${delivery.drainSeconds === null ? "–" : `${n(delivery.drainSeconds, 1)} s`}${delivery.drained ? "" : " (not drained)"}`,
    ],
    [
      "  PostgreSQL status of these rows",
      Object.entries(delivery.statuses)
        .map(([status, count]) => `${status} ${n(count)}`)
        .join(", ") || "none",
    ],
    [
      `Light load (${lightLoad.ratePerSecond}/s, ${lightLoad.seconds} s): POST → provider`,
      `p50 ${n(lightLoad.endToEndMs.p50, 1)} · p99 ${n(lightLoad.endToEndMs.p99, 1)} ms`,
      "",
      "p50 < 10, p99 < 50 ms",
      met("light load p50", "light load p99"),
    ],
    [
      "  POST → 201 / received of sent",
      `p50 ${n(lightLoad.responseMs.p50, 1)} · p99 ${n(lightLoad.responseMs.p99, 1)} ms / ${lightLoad.received} of ${lightLoad.sent}`,
    ],
    ...(lightLoad.breakdown
      ? ([
          [
            "  p50 split: POST→row→attempt→provider→recorded",
            [
              lightLoad.breakdown.postToStored,
              lightLoad.breakdown.storedToAttemptStarted,
              lightLoad.breakdown.attemptStartedToProvider,
              lightLoad.breakdown.providerToAttemptFinished,
            ]
              .map((segment) => n(segment.p50, 1))
              .join(" / ")
              .concat(" ms"),
          ],
        ] as Row[])
      : []),
    ...(results.templateVariant
      ? ([
          [
            `Template variant (${results.templateVariant.ingest.connections} connections, ${n(results.templateVariant.ingest.seconds)} s)`,
            `${n(results.templateVariant.ingest.acceptedPerSecond)} accepted/s · p99 ${results.templateVariant.ingest.latencyMs.p99} ms · lost ${n(results.templateVariant.delivery.lost)}`,
          ],
          [
            "  service CPU per notification, template / plain",
            `${n(results.templateVariant.serviceMicros)} / ${n(results.templateVariant.plainServiceMicros)} µs = ${results.templateVariant.target.actual}`,
            "",
            results.templateVariant.target.target,
            met("template CPU"),
          ],
        ] as Row[])
      : []),
    [
      "PostgreSQL work per notification",
      `${n(results.pgWork.commitsPerNotification, 2)} transactions · rows: ${n(results.pgWork.rowsInsertedPerNotification, 2)} inserted, ${n(results.pgWork.rowsUpdatedPerNotification, 2)} updated, ${n(results.pgWork.rowsReadPerNotification, 1)} read`,
    ],
    [
      "  where (rows per notification)",
      Object.entries(results.pgWork.byRelation)
        .slice(0, 6)
        .map(([where, rows]) => `${where} ${n(rows, 1)}`)
        .join(" · "),
    ],
    [
      "Redis work per notification",
      `${n(results.redisWork.commandsPerNotification, 2)} commands (those inside Lua scripts included)`,
    ],
    ["Memory: peak PSS (RSS); idle after start", ""],
  );
  for (const proc of memory.processes) {
    const ready =
      proc.readyPssMiB === null
        ? ""
        : `; ${n(proc.readyPssMiB, 1)} (${n(proc.readyRssMiB ?? Number.NaN, 1)})`;
    rows.push([`  ${proc.role}`, `${n(proc.peakPssMiB, 1)} MiB (${n(proc.peakRssMiB, 1)})${ready}`]);
  }
  rows.push([
    "  all service processes (peak of the sum)",
    `${n(memory.peakSumPssMiB, 1)} MiB (${n(memory.peakSumRssMiB, 1)})`,
    "",
    "< 250 MiB PSS",
    met("memory (sum of PSS)"),
  ]);

  const widths = [0, 1, 2, 3, 4].map((column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: Row) =>
    row
      .map((cell, column) => {
        const text = cell ?? "";
        return column === 2 ? text.padStart(widths[column]!) : text.padEnd(widths[column]!);
      })
      .join("  ")
      .trimEnd();
  const rule = "─".repeat(widths.reduce((sum, width) => sum + width + 2, -2));
  const groupOrder = ["api", "worker", "service other", "postgres", "redis", "providers", "bench", "other"];
  const cpuLines = Object.entries(results.cpu).map(([phase, groups]) => {
    const parts = Object.entries(groups)
      .sort(([a], [b]) => groupOrder.indexOf(a) - groupOrder.indexOf(b))
      .map(([group, cores]) => `${group} ${cores.toFixed(2)}`);
    const others = Object.entries(results.otherCpu[phase] ?? {})
      .map(([command, cores]) => `${command} ${cores.toFixed(2)}`)
      .join(", ");
    const sum = Object.values(groups).reduce((total, cores) => total + cores, 0);
    return `  ${phase.padEnd(7)} ${parts.join(" · ")} = ${sum.toFixed(2)}${others ? ` (other: ${others})` : ""}`;
  });
  const perNotification = results.cpuPerNotification;
  const serviceGroups = SERVICE_GROUPS;
  const serviceMicros = serviceGroups.reduce((sum, group) => sum + (perNotification[group] ?? 0), 0);
  const harnessGroups = ["providers", "bench"];
  const cpuCostLines =
    serviceMicros > 0
      ? [
          "CPU per notification accepted and delivered (ingest + drain + receipts, µs of one core):",
          `  ${serviceGroups
            .filter((group) => perNotification[group] !== undefined)
            .map((group) => `${group} ${n(perNotification[group]!)}`)
            .join(" · ")} = ${n(serviceMicros)} µs; the bench's own ${harnessGroups
            .map((group) => `${group} ${n(perNotification[group] ?? 0)}`)
            .join(" · ")}`,
          ...(results.receipts
            ? [
                `  receipts: every SMS of the ingest checked in ${results.receipts.seconds} s after the drain (${n(
                  results.receipts.waiting,
                )} left); ${n(results.receipts.statusCalls)} sms/status calls in the run, ${n(
                  results.receipts.idsPerCall,
                )} sms_ids per call; ${n(results.receipts.sendCalls)} sms/send calls, ${n(
                  results.receipts.messagesPerSendCall,
                )} messages per call`,
              ]
            : []),
          `  at that cost ${machine.cores} cores could accept and deliver at most ${n(
            (machine.cores * 1e6) / serviceMicros,
          )}/s with nothing else running`,
        ]
      : [];
  const metCount = targets.filter((check) => check.met).length;
  const busiestOther = Math.max(0, ...Object.values(results.cpu).map((groups) => groups.other ?? 0));
  const disturbance =
    busiestOther >= 0.15
      ? `Other processes took up to ${busiestOther.toFixed(2)} cores during a phase: the service's numbers are pessimistic.`
      : "No other process took a noticeable share of the CPU during the phases.";
  return [
    `Notification service benchmark · ${results.mode}${results.cpuProfiled ? " · CPU-PROFILED (not comparable)" : ""} · ${results.generatedAt}`,
    `${machine.cpuModel} × ${machine.cores} cores · ${n(machine.totalMemoryMiB)} MiB · Node ${machine.node} · PostgreSQL ${machine.postgres} · Redis ${machine.redis}`,
    `Other processes before the run: ${results.loadBefore.cores.toFixed(2)} cores${
      results.loadBefore.cores >= 0.15
        ? ` (BUSY MACHINE: ${Object.entries(results.loadBefore.busiest)
            .map(([command, cores]) => `${command} ${cores.toFixed(2)}`)
            .join(", ")}; numbers are pessimistic)`
        : " (quiet)"
    }`,
    "",
    line(rows[0]!),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `CPU, cores used (of ${machine.cores}) per phase:`,
    ...cpuLines,
    disturbance,
    ...cpuCostLines,
    "",
    `Targets met: ${metCount} of ${targets.length}${
      metCount < targets.length
        ? ` (missed: ${targets
            .filter((check) => !check.met)
            .map((check) => check.name)
            .join(", ")})`
        : ""
    }`,
  ].join("\n");
}

export async function writeResults(path: string, results: BenchResults): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(results, null, 2)}\n`);
}
