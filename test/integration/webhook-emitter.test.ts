/**
 * The webhook emitter's subscription cache: events of types nobody subscribes to are dropped
 * without touching the database beyond one read of the subscribed types per refresh interval,
 * and an endpoint added meanwhile hears of events once that interval has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import {
  serializeAttempt,
  serializeNotification,
  serializeSuppression,
  serializeUser,
} from "../../src/entry/public-json.js";
import { WebhookEmitter } from "../../src/webhooks/webhook-emitter.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("the webhook emitter", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false, env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" } });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("drops unsubscribed events after one read, and hears of a new endpoint once its cache is stale", async () => {
    const { core } = service;
    const { id: user } = await service.createUser({
      email: "emitter@example.com",
      password: "correct horse",
    });
    const { id: notificationId } = await service.createNotification({ user, message: "emitted" });
    let reads = 0;
    let recorded = 0;
    const emitter = new WebhookEmitter({
      store: {
        subscribedEventTypes: () => {
          reads++;
          return core.webhooks.subscribedEventTypes();
        },
        recordEvent: (event) => {
          recorded++;
          return core.webhooks.recordEvent(event);
        },
      },
      notifications: core.notifications,
      users: core.users,
      suppressions: core.suppressions,
      attempts: core.attempts,
      shapes: {
        notification: serializeNotification,
        attempt: serializeAttempt,
        user: serializeUser,
        suppression: serializeSuppression,
      },
      wakeUps: core.webhookWakeUps,
      logger: silentLogger,
      // Long enough that the steps before the wait below fit in it on a loaded machine (0.3 s did not
      // in one CI run: the 50 emits read the types a second time).
      cacheSeconds: 2,
    });
    const storedEvents = async () =>
      (
        await core.pool.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM webhook_events WHERE notification_id = $1 AND type = 'notification.sent'",
          [notificationId],
        )
      ).rows[0]!.n;

    emitter.emit("notification.sent", notificationId);
    await emitter.flush();
    for (let i = 0; i < 50; i++) emitter.emit("notification.sent", notificationId);
    await emitter.flush();
    expect({ reads, recorded, stored: await storedEvents() }).toEqual({ reads: 1, recorded: 0, stored: 0 });

    const endpoint = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: "http://127.0.0.1:9/hook", events: ["notification.sent"] },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    // Within the refresh interval the emitter still trusts what it read.
    emitter.emit("notification.sent", notificationId);
    await emitter.flush();
    expect(await storedEvents()).toBe(0);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    emitter.emit("notification.sent", notificationId);
    await emitter.flush();
    expect({ reads, recorded, stored: await storedEvents() }).toEqual({ reads: 2, recorded: 1, stored: 1 });
  });
});
