import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    expect(sent.data).toEqual({ type: "updated", id, status: "sent", retry_count: 0 });
    // In the order they were committed.
    const kinds = reader.events.filter((e) => e.data.id === id).map((e) => `${e.event}:${e.data.status}`);
    expect(kinds).toEqual(["created:pending", "attempt:in_progress", "attempt:sent", "updated:sent"]);
  });

  it("hears changes made by any process, since PostgreSQL itself announces them", async () => {
    const reader = await open();
    const other = await open();
    const { id } = await service.createNotification({ user: userId, message: "x", channels: ["sms"] });
    await service.waitForStatus(id, "sent");
    // Another process (the CLI, another API) writes straight to the database.
    const client = new pg.Client({ connectionString: service.env.DATABASE_URL });
    await client.connect();
    try {
      await client.query("UPDATE notifications SET status = 'failed', failure_reason = 'x' WHERE id = $1", [
        id,
      ]);
    } finally {
      await client.end();
    }
    for (const watcher of [reader, other]) {
      await watcher.waitFor("the outside change", (e) => e.data.id === id && e.data.status === "failed");
    }
  });

  it("reconnects to PostgreSQL after losing it and tells watchers to reload", async () => {
    const reader = await open();
    const client = new pg.Client({ connectionString: service.env.DATABASE_URL });
    await client.connect();
    try {
      const { rowCount } = await client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'notification-service-events'`,
      );
      expect(rowCount).toBe(1);
    } finally {
      await client.end();
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
