/** Messages between the bench and its providers process. */
import type { ReceiptSnapshot } from "./receipts.js";

export interface ProviderPorts {
  sms: number;
  telegram: number;
  smtp: number;
}

export type ProvidersRequest =
  | { type: "snapshot"; id: number; phase: string; withTimes: boolean }
  | { type: "stop" };

export interface ProvidersSnapshot {
  snapshot: ReceiptSnapshot;
  /** Every request the providers received, whatever its phase. */
  total: number;
  unmarked: number;
  byChannel: Record<string, number>;
  /** SMS.ru sms/status calls and the sms_ids they asked about, since the start. */
  statusChecks: { calls: number; ids: number };
  /** SMS.ru sms/send calls and the messages they carried, since the start. */
  sendCalls: { calls: number; messages: number };
}

export type ProvidersReply =
  | { type: "ready"; ports: ProviderPorts }
  | ({ type: "snapshot"; id: number } & ProvidersSnapshot);
