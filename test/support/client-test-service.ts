/**
 * The service as an API client's tests meet it: listening on loopback with the delivery sandbox on
 * and webhooks to loopback allowed (and their subscriptions re-read at once), Telegram connect
 * links on against the loopback Bot API, and the breaking proxy in front of it.
 */
import type { AddressInfo } from "node:net";
import { FakeTelegram } from "./fake-telegram.js";
import { FlakyProxy } from "./flaky-proxy.js";
import { startTestService, type TestService } from "./test-service.js";

export interface ClientTestService {
  service: TestService;
  /** The service itself, e.g. http://127.0.0.1:41234 */
  url: string;
  /** In front of `url`, breaking the replies a test asks it to. */
  proxy: FlakyProxy;
  /** The Bot API connect links talk to (deliveries go to the sandbox). */
  telegram: FakeTelegram;
  close(): Promise<void>;
}

export async function startClientTestService(): Promise<ClientTestService> {
  const telegram = await FakeTelegram.start();
  const service = await startTestService({
    env: {
      DELIVERY_SANDBOX: "true",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      TELEGRAM_API_URL: telegram.url,
      TELEGRAM_BOT_TOKEN: "42:client-test-token",
      TELEGRAM_LINKS: "true",
    },
  }).catch(async (error: unknown) => {
    await telegram.close();
    throw error;
  });
  try {
    await service.app.listen({ port: 0, host: "127.0.0.1" });
    const url = `http://127.0.0.1:${(service.app.server.address() as AddressInfo).port}`;
    const proxy = await FlakyProxy.start(url);
    return {
      service,
      url,
      proxy,
      telegram,
      async close() {
        await proxy.close();
        await service.close();
        await telegram.close();
      },
    };
  } catch (error) {
    await service.close();
    await telegram.close();
    throw error;
  }
}
