/**
 * What the loopback providers record: for every notification marker, the moment the provider had
 * the whole request. Markers look like `bm-i123` (phase letter, then a number), so the bench can
 * ask for one phase's receipts and compute end-to-end times without the service's own clocks.
 */
import { epochMs } from "../stats.js";

const MARKER = /bm-([a-z])(\d+)/;

export function marker(phase: string, n: number): string {
  return `bm-${phase}${n}`;
}

/**
 * The text of the bench's notification number `n` of a phase: the one-time code message the
 * template variant renders for the same `n` (bench/template-variant.ts), so that the two variants
 * store, send and answer the same text and differ only in how it was made.
 */
export function benchMessage(phase: string, n: number): string {
  return `bench ${marker(phase, n)} Hello Bench, your code is ${benchCode(n)}. It expires in 10 minutes.`;
}

/** The one-time code of notification number `n`. */
export function benchCode(n: number): string {
  return String(100_000 + (n % 900_000));
}

/** A LIKE pattern matching every bench message of a phase. */
export function benchMessagePattern(phase: string): string {
  return `bench bm-${phase}%`;
}

export interface ReceiptSnapshot {
  phase: string;
  /** Distinct notifications of the phase the providers received. */
  unique: number;
  /** Receipts of a notification already received (a delivery made twice). */
  duplicates: number;
  firstAt: number | null;
  lastAt: number | null;
  /** [marker number, receipt time] pairs, only when asked for. */
  times?: Array<[number, number]>;
}

interface PhaseReceipts {
  firstSeen: Map<number, number>;
  duplicates: number;
  firstAt: number | null;
  lastAt: number | null;
}

export class Receipts {
  private readonly phases = new Map<string, PhaseReceipts>();
  /** Requests whose text carried no marker (nothing the bench sent should end up here). */
  unmarked = 0;
  total = 0;
  readonly byChannel: Record<string, number> = { sms: 0, email: 0, telegram: 0 };
  /** SMS.ru sms/status calls, and the sms_ids they asked about. */
  readonly statusChecks = { calls: 0, ids: 0 };
  /** SMS.ru sms/send calls, and the messages they carried (several per call as multi[number]). */
  readonly sendCalls = { calls: 0, messages: 0 };

  recordSendCall(messages: number): void {
    this.sendCalls.calls += 1;
    this.sendCalls.messages += messages;
  }

  recordStatusCall(ids: number): void {
    this.statusChecks.calls += 1;
    this.statusChecks.ids += ids;
  }

  record(channel: string, text: string): void {
    const at = epochMs();
    this.total += 1;
    this.byChannel[channel] = (this.byChannel[channel] ?? 0) + 1;
    const match = MARKER.exec(text);
    if (!match) {
      this.unmarked += 1;
      return;
    }
    const phase = this.phase(match[1]!);
    const n = Number(match[2]);
    if (phase.firstSeen.has(n)) {
      phase.duplicates += 1;
    } else {
      phase.firstSeen.set(n, at);
    }
    phase.firstAt ??= at;
    phase.lastAt = at;
  }

  snapshot(phaseName: string, withTimes: boolean): ReceiptSnapshot {
    const phase = this.phase(phaseName);
    return {
      phase: phaseName,
      unique: phase.firstSeen.size,
      duplicates: phase.duplicates,
      firstAt: phase.firstAt,
      lastAt: phase.lastAt,
      ...(withTimes ? { times: [...phase.firstSeen.entries()] } : {}),
    };
  }

  private phase(name: string): PhaseReceipts {
    let phase = this.phases.get(name);
    if (!phase) {
      phase = { firstSeen: new Map(), duplicates: 0, firstAt: null, lastAt: null };
      this.phases.set(name, phase);
    }
    return phase;
  }
}
