/** The targets of issue 6, checked against a run. The bench reports them; it never fails on them. */
import type { CeilingResult } from "./ceiling.js";
import type { DeliveryResult } from "./delivery.js";
import type { IngestResult } from "./ingest.js";
import type { LightLoadResult } from "./light-load.js";
import type { MemoryReport } from "./memory-sampler.js";

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  met: boolean;
}

export interface Ratios {
  /** Accepted notifications per second ÷ ceiling INSERTs per second. */
  ingest: number;
  /** Delivered notifications per second (end to end) ÷ ceiling. */
  delivery: number;
  /** The node-pg loop ÷ ceiling: how much of PostgreSQL one Node process can use. */
  nodePg: number | null;
}

export function ratiosOf(
  ceiling: CeilingResult,
  nodePg: CeilingResult | null,
  ingest: IngestResult,
  delivery: DeliveryResult,
): Ratios {
  const ratio = (value: number) => Math.round((value / ceiling.insertsPerSecond) * 1000) / 1000;
  return {
    ingest: ratio(ingest.acceptedPerSecond),
    delivery: ratio(delivery.deliveredPerSecond),
    nodePg: nodePg ? ratio(nodePg.insertsPerSecond) : null,
  };
}

export function checkTargets(
  ratios: Ratios,
  ingest: IngestResult,
  delivery: DeliveryResult,
  light: LightLoadResult,
  memory: MemoryReport,
): TargetCheck[] {
  const ingestFailures = ingest.non2xx + ingest.errors;
  return [
    {
      name: "ingest throughput",
      target: "≥ 0.5 × ceiling",
      actual: `${ratios.ingest.toFixed(3)} × ceiling`,
      met: ratios.ingest >= 0.5,
    },
    {
      name: "ingest p99",
      target: "< 50 ms",
      actual: `${ingest.latencyMs.p99} ms`,
      met: ingest.latencyMs.p99 < 50,
    },
    {
      name: "ingest errors",
      target: "0 non-2xx, 0 errors",
      actual: `${ingest.non2xx} non-2xx, ${ingest.errors} errors`,
      met: ingestFailures === 0,
    },
    {
      name: "delivery throughput",
      target: "≥ 0.25 × ceiling",
      actual: `${ratios.delivery.toFixed(3)} × ceiling`,
      met: ratios.delivery >= 0.25,
    },
    {
      name: "nothing lost",
      target: "lost = 0",
      actual: `lost ${delivery.lost}, stored not received ${delivery.storedNotReceived}`,
      met: delivery.lost === 0 && delivery.storedNotReceived === 0,
    },
    {
      name: "light load p50",
      target: "< 10 ms",
      actual: `${light.endToEndMs.p50} ms`,
      met: light.endToEndMs.p50 < 10 && light.missing === 0,
    },
    {
      name: "light load p99",
      target: "< 50 ms",
      actual: `${light.endToEndMs.p99} ms`,
      met: light.endToEndMs.p99 < 50 && light.missing === 0,
    },
    {
      name: "memory (sum of PSS)",
      target: "< 250 MiB",
      actual: `${memory.peakSumPssMiB} MiB`,
      met: memory.peakSumPssMiB < 250,
    },
  ];
}
