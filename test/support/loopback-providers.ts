/**
 * The three loopback providers together, for tests that deliver across channels: started and
 * closed as one, reset between tests, and described as the service's environment.
 */
import { FakeSmsRu } from "./fake-sms-ru.js";
import { FakeTelegram } from "./fake-telegram.js";
import { SmtpSink, type SmtpSinkOptions } from "./smtp-sink.js";

export class LoopbackProviders {
  private constructor(
    readonly smsRu: FakeSmsRu,
    readonly telegram: FakeTelegram,
    readonly smtp: SmtpSink,
  ) {}

  static async start(smtpOptions: SmtpSinkOptions = {}): Promise<LoopbackProviders> {
    const [smsRu, telegram, smtp] = await Promise.all([
      FakeSmsRu.start(),
      FakeTelegram.start(),
      SmtpSink.start(smtpOptions),
    ]);
    return new LoopbackProviders(smsRu, telegram, smtp);
  }

  /** Every channel configured against the fakes; `overrides` adds credentials and settings. */
  env(overrides: Record<string, string> = {}): Record<string, string> {
    return {
      SMS_RU_API_URL: this.smsRu.url,
      SMS_RU_API_ID: "loopback-api-id",
      TELEGRAM_API_URL: this.telegram.url,
      TELEGRAM_BOT_TOKEN: "42:loopback-token",
      EMAIL_HOST: this.smtp.host,
      EMAIL_PORT: String(this.smtp.port),
      EMAIL_FROM: "noreply@example.com",
      ...overrides,
    };
  }

  reset(): void {
    this.smsRu.reset();
    this.telegram.reset();
    this.smtp.reset();
  }

  async close(): Promise<void> {
    await Promise.all([this.smsRu.close(), this.telegram.close(), this.smtp.close()]);
  }
}
