/**
 * A channel whose provider says our account or settings are wrong is paused for every
 * notification until a cool-down has passed; the first attempt after it is the probe.
 */
export interface ChannelCircuit {
  /** Why the channel is paused, or null when it may be used. */
  openReason(channel: string): Promise<string | null>;
  open(channel: string, reason: string): Promise<void>;
  close(channel: string): Promise<void>;
}
