/**
 * Long-polls the Bot API's getUpdates for connect links, in one worker of the deployment at a
 * time: each round takes or renews a lease (a row of maintenance_schedule, as the receipt checker
 * does) and reads the stored offset in one statement; a worker that does not hold the lease looks
 * again on its poll interval, and takes over once the holder's lease lapses. Updates are handled
 * before the offset after them is stored, so a restart never loses one; handling one again
 * changes nothing. When Telegram refuses (409: the bot has a webhook, or another program polls
 * it; 401: a wrong token) the poller says so once, backs off and keeps trying: delivery never
 * depends on it. Stopping aborts the long poll under way.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { BotApiResult, BotUpdate } from "../channels/telegram/telegram-bot-api.js";
import type { Logger } from "../core/logger.js";
import type { TelegramLinksRepository } from "./telegram-links-repository.js";

/** How long Telegram holds a getUpdates open when there is nothing to answer. */
export const LONG_POLL_SECONDS = 25;
/** The lease outlasts a round's calls (the long poll, then the replies) by this much. */
const LEASE_MARGIN_SECONDS = 30;
const MAX_BACKOFF_SECONDS = 60;

export interface TelegramUpdatesPollerDeps {
  telegramLinks: Pick<TelegramLinksRepository, "claimPolling" | "saveOffset" | "releasePolling">;
  bot: {
    getUpdates(
      offset: number | null,
      timeoutSeconds: number,
      signal: AbortSignal,
    ): Promise<BotApiResult<BotUpdate[]>>;
  };
  /** Handles one batch of updates (handle-telegram-updates.ts). */
  handle(updates: readonly BotUpdate[]): Promise<void>;
  /** Whose updates these are: the offset is kept per bot. */
  botId: string;
  /** This worker's name in the lease. */
  holder: string;
  /** On top of the long poll: how long the HTTP call may take, and each reply in a batch. */
  requestTimeoutSeconds: number;
  /** How often a worker without the lease asks for it. */
  standbySeconds: number;
  /** Tests poll briefly; LONG_POLL_SECONDS otherwise. */
  longPollSeconds?: number;
  logger: Logger;
}

/** The wait after the `failures`-th failure in a row: 1, 2, 4... s up to a minute, or longer if Telegram asks. */
export function backoffSeconds(failures: number, retryAfterSeconds: number | null): number {
  const doubled = Math.min(MAX_BACKOFF_SECONDS, 2 ** Math.max(0, failures - 1));
  return Math.max(doubled, retryAfterSeconds ?? 0);
}

export class TelegramUpdatesPoller {
  private readonly stopping = new AbortController();
  private running: Promise<void> | null = null;
  private failures = 0;
  /** What the last warning said, so a failure that lasts is logged once, not every round. */
  private warned: string | null = null;

  constructor(private readonly deps: TelegramUpdatesPollerDeps) {}

  start(): void {
    this.running ??= this.loop();
  }

  /** Aborts the long poll under way, lets a batch being handled finish, and gives the lease up. */
  async stop(): Promise<void> {
    this.stopping.abort(new Error("the worker is stopping"));
    await this.running;
    await this.deps.telegramLinks.releasePolling(this.deps.holder).catch(() => {});
  }

  private async loop(): Promise<void> {
    const { deps } = this;
    const longPoll = deps.longPollSeconds ?? LONG_POLL_SECONDS;
    const leaseSeconds = longPoll + 2 * deps.requestTimeoutSeconds + LEASE_MARGIN_SECONDS;
    while (!this.stopping.signal.aborted) {
      try {
        const claim = await deps.telegramLinks.claimPolling(deps.holder, leaseSeconds, deps.botId);
        if (!claim.held) {
          await this.pause(deps.standbySeconds);
          continue;
        }
        const answer = await this.whileRunning((longPoll + deps.requestTimeoutSeconds) * 1000, (signal) =>
          deps.bot.getUpdates(claim.nextOffset, longPoll, signal),
        );
        if (this.stopping.signal.aborted) break;
        if (!answer.ok) {
          this.failed(answer.errorCode, answer.description, hintFor(answer.errorCode));
          await this.pause(backoffSeconds(this.failures, answer.retryAfterSeconds));
          continue;
        }
        this.recovered();
        const updates = answer.result;
        if (updates.length === 0) continue;
        await deps.handle(updates);
        await deps.telegramLinks.saveOffset(
          deps.botId,
          Math.max(...updates.map((update) => update.updateId)) + 1,
        );
      } catch (error) {
        // PostgreSQL away, most likely: the same updates are asked for again once it is back.
        this.failed(
          null,
          error instanceof Error ? error.message : String(error),
          "PostgreSQL did not answer the poller",
        );
        await this.pause(backoffSeconds(this.failures, null));
      }
    }
  }

  /**
   * Runs `call` with a signal that aborts after `timeoutMs` or when the poller stops. Made by hand
   * rather than with AbortSignal.any, so that no listener stays on the long-lived stop signal.
   */
  private async whileRunning<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const round = new AbortController();
    const onStop = () => round.abort(this.stopping.signal.reason);
    this.stopping.signal.addEventListener("abort", onStop, { once: true });
    const timer = setTimeout(() => round.abort(new DOMException("timed out", "TimeoutError")), timeoutMs);
    try {
      return await call(round.signal);
    } finally {
      clearTimeout(timer);
      this.stopping.signal.removeEventListener("abort", onStop);
    }
  }

  private failed(errorCode: number | null, description: string, hint: string): void {
    this.failures += 1;
    const said = `${errorCode ?? ""} ${description}`;
    if (said === this.warned) return;
    this.warned = said;
    this.deps.logger.warn(
      { errorCode, reason: description },
      `Telegram connect links get no updates: ${hint}; trying again with backoff`,
    );
  }

  private recovered(): void {
    if (this.warned !== null) this.deps.logger.info({}, "Telegram connect links get updates again");
    this.failures = 0;
    this.warned = null;
  }

  private async pause(seconds: number): Promise<void> {
    await sleep(seconds * 1000, undefined, { signal: this.stopping.signal }).catch(() => {});
  }
}

function hintFor(errorCode: number | null): string {
  if (errorCode === 409) {
    return "another program takes this bot's updates (a webhook is set: deleteWebhook removes it; or a second deployment polls the same bot)";
  }
  if (errorCode === 401 || errorCode === 404)
    return "Telegram refuses the bot token (check TELEGRAM_BOT_TOKEN)";
  if (errorCode === null) return "getUpdates did not answer";
  return `getUpdates answered ${errorCode}`;
}
