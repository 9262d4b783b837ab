import type { Redis } from "ioredis";
import type { Logger } from "../core/logger.js";
import type { ChannelCircuit } from "../usecases/channel-circuit.js";

/**
 * The circuit lives in Redis so every worker pauses the channel together. The key expires after
 * the cool-down; the next attempt after that is the probe, and its outcome opens or keeps closed.
 */
export class RedisChannelCircuit implements ChannelCircuit {
  private readonly cache = new Map<string, { reason: string | null; until: number }>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly cooldownSeconds: number,
    private readonly logger: Logger,
    /** How long a read is trusted: a worker reads on every attempt, an overview wants it fresh. */
    private readonly cacheMs = 0,
  ) {}

  private key(channel: string): string {
    return `${this.prefix}:circuit:${channel}`;
  }

  async openReason(channel: string): Promise<string | null> {
    if (this.cooldownSeconds <= 0) return null;
    const now = Date.now();
    const cached = this.cache.get(channel);
    if (cached && cached.until > now) return cached.reason;
    // Redis unreachable: deliver rather than skip; the provider will say if it is still wrong.
    const reason = await this.redis.get(this.key(channel)).catch(() => null);
    if (this.cacheMs > 0) this.cache.set(channel, { reason, until: now + this.cacheMs });
    return reason;
  }

  async open(channel: string, reason: string): Promise<void> {
    if (this.cooldownSeconds <= 0) return;
    const opened = await this.redis
      .set(this.key(channel), reason, "EX", Math.ceil(this.cooldownSeconds), "NX")
      .catch(() => null);
    // Only the worker that opened it logs, so an outage is one loud line, not one per message.
    if (this.cacheMs > 0) this.cache.set(channel, { reason, until: Date.now() + this.cacheMs });
    if (opened === "OK") {
      this.logger.error(
        { channel, reason, cooldownSeconds: this.cooldownSeconds },
        "channel paused: its provider says our account or settings are wrong; fix the configuration",
      );
    }
  }

  async close(channel: string): Promise<void> {
    this.cache.delete(channel);
    await this.redis.del(this.key(channel)).catch(() => {});
  }
}
