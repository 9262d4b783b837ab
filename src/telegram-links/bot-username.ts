/**
 * The bot's username, asked of Telegram (getMe) the first time a link is made and remembered for
 * the life of the process. A failed call is not remembered: the next link asks again. Callers at
 * the same moment share one call.
 */
import type { BotApiResult } from "../channels/telegram/telegram-bot-api.js";

export interface BotIdentitySource {
  getMe(signal: AbortSignal): Promise<BotApiResult<{ username: string }>>;
}

export class BotUsername {
  private asked: Promise<BotApiResult<{ username: string }>> | null = null;

  constructor(
    private readonly bot: BotIdentitySource,
    private readonly timeoutSeconds: number,
  ) {}

  get(): Promise<BotApiResult<{ username: string }>> {
    this.asked ??= this.bot.getMe(AbortSignal.timeout(this.timeoutSeconds * 1000)).then((answer) => {
      if (!answer.ok) this.asked = null;
      return answer;
    });
    return this.asked;
  }
}
