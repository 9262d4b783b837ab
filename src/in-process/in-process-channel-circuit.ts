import type { Logger } from "../core/logger.js";
import type { ChannelCircuit } from "../usecases/channel-circuit.js";

/**
 * The channel circuit within one process, for a deployment without Redis: a paused channel and
 * when its cool-down ends. The first attempt after it is the probe, as with the Redis circuit.
 */
export class InProcessChannelCircuit implements ChannelCircuit {
  private readonly paused = new Map<string, { reason: string; until: number }>();

  constructor(
    private readonly cooldownSeconds: number,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async openReason(channel: string): Promise<string | null> {
    const entry = this.paused.get(channel);
    if (!entry) return null;
    if (entry.until > this.now()) return entry.reason;
    this.paused.delete(channel);
    return null;
  }

  async open(channel: string, reason: string): Promise<void> {
    if (this.cooldownSeconds <= 0 || (await this.openReason(channel)) !== null) return;
    this.paused.set(channel, { reason, until: this.now() + this.cooldownSeconds * 1000 });
    this.logger.error(
      { channel, reason, cooldownSeconds: this.cooldownSeconds },
      "channel paused: its provider says our account or settings are wrong; fix the configuration",
    );
  }

  async close(channel: string): Promise<void> {
    this.paused.delete(channel);
  }
}
