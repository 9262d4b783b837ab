import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { RedisNotificationEvents } from "../../src/redis/notification-events.js";
import { createNotification } from "../../src/usecases/create-notification.js";
import { cancelNotification } from "../../src/usecases/notification-actions.js";
import { TEST_REDIS_URL } from "../support/databases.js";
import { type EventStreamReader, readEventStream } from "../support/event-stream.js";
import { FakeSmsRu } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("live updates over server-sent events", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;
  let baseUrl: string;
  let userId: number;
  const readers: EventStreamReader[] = [];

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      env: { SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "api-id-secret" },
    });
    baseUrl = await service.app.listen({ host: "127.0.0.1", port: 0 });
    userId = (
      await service.createUser({
        email: "live@example.com",
        password: "long enough",
        phone_number: "+79990001122",
      })
    ).id;
  });
  afterAll(async () => {
    for (const reader of readers) reader.close();
    await service?.close();
    await smsRu?.close();
  });

  const open = async () => {
    const reader = await readEventStream(`${baseUrl}/api/notifications/events/`, service.apiKey);
    readers.push(reader);
    await reader.waitFor("the stream to be live", (event) => event.event === "ready");
    return reader;
  };

  it("needs the API key like any other API request", async () => {
    const response = await fetch(`${baseUrl}/api/notifications/events/`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ detail: expect.any(String) });
  });

  it("streams a notification's creation, its attempts and its change to sent", async () => {
    const reader = await open();
    expect(reader.status).toBe(200);
    expect(reader.contentType).toMatch(/^text\/event-stream/);

    const { id } = await service.createNotification({ user: userId, message: "watch me" });
    await reader.waitFor("created", (e) => e.event === "created" && e.data.id === id);
    await reader.waitFor(
      "the attempt",
      (e) => e.event === "attempt" && e.data.id === id && e.data.status === "sent",
    );
    const sent = await reader.waitFor("sent", (e) => e.event === "updated" && e.data.id === id);
    expect(sent.data).toEqual({ type: "updated", id, status: "sent" });
    // In the order they were committed.
    const kinds = reader.events.filter((e) => e.data.id === id).map((e) => `${e.event}:${e.data.status}`);
    expect(kinds).toEqual(["created:pending", "attempt:in_progress", "attempt:sent", "updated:sent"]);
    expect(reader.events.find((e) => e.event === "attempt")?.data).toEqual({
      type: "attempt",
      id,
      channel: "sms",
      status: "in_progress",
    });
  });

  it("hears changes made by other processes, and tells every watcher", async () => {
    const reader = await open();
    const other = await open();
    // Another process (a CLI, another API) with connections of its own, on the same deployment.
    const elsewhere = createCore(parseConfig(service.env), silentLogger, 1);
    try {
      const created = await createNotification(elsewhere, {
        user: userId,
        message: "from elsewhere",
        channels: ["sms"],
      });
      await cancelNotification({ ...elsewhere, leaseSeconds: elsewhere.config.leaseSeconds }, created.id);
      for (const watcher of [reader, other]) {
        await watcher.waitFor("the creation", (e) => e.event === "created" && e.data.id === created.id);
        await watcher.waitFor("the cancel", (e) => e.data.id === created.id && e.data.status === "cancelled");
      }
    } finally {
      await elsewhere.close();
    }
  });

  it("resubscribes after losing Redis and tells watchers to reload", async () => {
    const reader = await open();
    // Only this service's subscriber: other test files share the Redis server.
    const admin = new Redis(TEST_REDIS_URL);
    try {
      const events = service.core.notificationEvents;
      if (!(events instanceof RedisNotificationEvents)) throw new Error("expected the Redis event feed");
      const name = `name=${events.channel}`;
      const line = String(await admin.client("LIST"))
        .split("\n")
        .find((client) => client.split(" ").includes(name));
      const id = /\bid=(\d+)/.exec(line ?? "")?.[1];
      expect(id).toBeDefined();
      await admin.client("KILL", "ID", id!);
    } finally {
      admin.disconnect();
    }
    await reader.waitFor("resync", (e) => e.event === "resync");
    const { id } = await service.createNotification({ user: userId, message: "after the reconnect" });
    await reader.waitFor("created after the reconnect", (e) => e.event === "created" && e.data.id === id);
  });

  it("ends open streams when the server closes, so a shutdown is not held up", async () => {
    const reader = await open();
    const started = Date.now();
    await service.app.close();
    await reader.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
