/**
 * The service in-process with every channel configured against the loopback providers, shared by
 * the tests of one file that deliver across channels.
 */
import type { Logger } from "../../src/core/logger.js";
import { LoopbackProviders } from "./loopback-providers.js";
import type { SmtpSinkOptions } from "./smtp-sink.js";
import { startTestService, type TestService } from "./test-service.js";

export interface ServiceWithLoopbackProviders {
  providers: LoopbackProviders;
  service: TestService;
  /**
   * Between tests: the providers' scripts and requests cleared, and no address suppressed (the
   * tests share addresses, and a permanent failure of one may suppress it: docs/audiences.md).
   */
  startAfresh(): Promise<void>;
  close(): Promise<void>;
}

export interface ServiceWithLoopbackProvidersOptions {
  smtp?: SmtpSinkOptions;
  /** Settings over the providers' (see LoopbackProviders.env). */
  env?: Record<string, string>;
  logger?: Logger;
}

export async function startServiceWithLoopbackProviders(
  options: ServiceWithLoopbackProvidersOptions = {},
): Promise<ServiceWithLoopbackProviders> {
  const providers = await LoopbackProviders.start(options.smtp);
  const service = await startTestService({ logger: options.logger, env: providers.env(options.env) }).catch(
    async (error: unknown) => {
      await providers.close();
      throw error;
    },
  );
  return {
    providers,
    service,
    async startAfresh() {
      providers.reset();
      await service.core.pool.query("DELETE FROM suppressions");
    },
    async close() {
      await service.close();
      await providers.close();
    },
  };
}

/** A user every channel can reach: an email address, a phone number and a Telegram chat. */
export function reachableEverywhere(email: string, telegramId = "555000111") {
  return { email, password: "long enough password", phone_number: "+79990001122", telegram_id: telegramId };
}
