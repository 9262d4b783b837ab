import type { Suppression } from "../audiences/suppression.js";
import { suppressionAddressOf } from "../audiences/suppression-address.js";
import { CHANNELS, type Channel } from "../core/model.js";
import type { ChannelCircuit } from "./channel-circuit.js";
import type { ChannelActivityReader } from "./ports.js";

export interface ChannelOverviewDeps {
  channelActivity: ChannelActivityReader;
  /** Read only here: whether a channel is paused after a configuration error. */
  channelCircuit: ChannelCircuit;
  channelOrder: readonly Channel[];
  /** Why each unconfigured channel is unconfigured (config.missingChannels). */
  missingChannels: Partial<Record<Channel, string>>;
  /**
   * DELIVERY_SANDBOX: every channel then delivers into the outbox, configured or not, so a channel
   * without credentials is not idle, and its reason says where its messages go.
   */
  deliverySandbox: boolean;
  /** The address a channel falls back to for users without their own (TELEGRAM_CHAT_ID). */
  fallbackAddresses: Partial<Record<Channel, string>>;
  suppressions: { findByAddress(channel: Channel, address: string): Promise<Suppression | null> };
}

export const OVERVIEW_WINDOW_SECONDS = 3600;
/** The common failure reasons are counted over each channel's most recent failures. */
export const FAILURE_SAMPLE = 100;
const TOP_REASONS = 3;
const SANDBOX_NOTE = "takes its messages into the outbox instead (GET /api/outbox/)";

export interface ChannelSummary {
  channel: Channel;
  configured: boolean;
  /** Why the channel is not configured, or null. */
  notConfiguredReason: string | null;
  /** Why the channel is paused after its provider said our settings are wrong, or null. */
  pausedReason: string | null;
  /** Position in CHANNEL_ORDER (1-based), or null when the default order leaves it out. */
  orderPosition: number | null;
  lastHour: { sent: number; failed: number; skipped: number };
  lastSuccessAt: Date | null;
  /**
   * The configured fallback address (not a secret: a chat id) and its suppression, if any: while
   * it is suppressed, every user without an address of their own is skipped on this channel,
   * which nothing else on the overview would say.
   */
  fallback: { address: string; suppression: Suppression | null } | null;
  commonFailures: {
    reason: string;
    errorKind: string | null;
    providerCode: string | null;
    count: number;
    lastSeenAt: Date;
  }[];
}

/** Per channel, at a glance: can it send at all, is it sending, and if not, why not. */
export async function channelOverview(deps: ChannelOverviewDeps): Promise<ChannelSummary[]> {
  const [activity, reasons, paused, fallbacks] = await Promise.all([
    deps.channelActivity.activity(CHANNELS, OVERVIEW_WINDOW_SECONDS),
    deps.channelActivity.commonFailureReasons(CHANNELS, FAILURE_SAMPLE, TOP_REASONS),
    Promise.all(CHANNELS.map((channel) => deps.channelCircuit.openReason(channel))),
    Promise.all(CHANNELS.map((channel) => fallbackOf(deps, channel))),
  ]);
  // The configured order first, then the channels it leaves out.
  const channels = [
    ...deps.channelOrder,
    ...CHANNELS.filter((channel) => !deps.channelOrder.includes(channel)),
  ];
  return channels.map((channel) => {
    const counts = activity.find((row) => row.channel === channel);
    const missing = deps.missingChannels[channel] ?? null;
    const notConfiguredReason =
      missing !== null && deps.deliverySandbox ? `${missing}; the delivery sandbox ${SANDBOX_NOTE}` : missing;
    const position = deps.channelOrder.indexOf(channel);
    return {
      channel,
      configured: notConfiguredReason === null,
      notConfiguredReason,
      pausedReason: paused[CHANNELS.indexOf(channel)] ?? null,
      orderPosition: position >= 0 ? position + 1 : null,
      lastHour: { sent: counts?.sent ?? 0, failed: counts?.failed ?? 0, skipped: counts?.skipped ?? 0 },
      lastSuccessAt: counts?.lastSuccessAt ?? null,
      fallback: fallbacks[CHANNELS.indexOf(channel)] ?? null,
      commonFailures: reasons
        .filter((row) => row.channel === channel)
        .map(({ reason, errorKind, providerCode, count, lastSeenAt }) => ({
          reason,
          errorKind,
          providerCode,
          count,
          lastSeenAt,
        })),
    };
  });
}

async function fallbackOf(deps: ChannelOverviewDeps, channel: Channel): Promise<ChannelSummary["fallback"]> {
  const configured = deps.fallbackAddresses[channel];
  if (configured === undefined) return null;
  // Spelled as delivery suppresses it, so this finds what the claim finds.
  const address = suppressionAddressOf(channel, configured);
  return { address, suppression: await deps.suppressions.findByAddress(channel, address) };
}
