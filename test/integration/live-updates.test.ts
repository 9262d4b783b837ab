import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { connect, type Socket } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCore } from "../../src/app.js";
import { fanOutBroadcast } from "../../src/broadcasts/fan-out-broadcast.js";
import { parseConfig } from "../../src/config.js";
import { silentLogger } from "../../src/core/logger.js";
import { RedisNotificationEvents } from "../../src/redis/notification-events.js";
import { createNotification } from "../../src/usecases/create-notification.js";
import { deleteOldNotifications } from "../../src/usecases/delete-old-notifications.js";
import { cancelNotification } from "../../src/usecases/notification-actions.js";
import { TEST_REDIS_URL } from "../support/databases.js";
import { type EventStreamReader, readEventStream, type StreamEvent } from "../support/event-stream.js";
import { FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

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

  const open = async (url = baseUrl, apiKey = service.apiKey) => {
    const reader = await readEventStream(`${url}/api/notifications/events/`, apiKey);
    readers.push(reader);
    await reader.waitFor("the stream to be live", (event) => event.event === "ready");
    return reader;
  };
  /** An event about notification `id` (a `user` event's id is a user's, which may be the same number). */
  const about = (id: number) => (e: StreamEvent) => e.event !== "user" && e.data.id === id;
  /** The ids among `ids` that `reader` heard `type` with `status` for, in id order. */
  const heard = (reader: EventStreamReader, type: string, status: string, ids: number[]) =>
    reader.events
      .filter((e) => e.event === type && e.data.status === status && ids.includes(e.data.id as number))
      .map((e) => e.data.id as number)
      .sort((a, b) => a - b);

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
    const kinds = reader.events.filter(about(id)).map((e) => `${e.event}:${e.data.status}`);
    expect(kinds).toEqual(["created:pending", "attempt:in_progress", "attempt:sent", "updated:sent"]);
    expect(reader.events.find((e) => e.event === "attempt")?.data).toEqual({
      type: "attempt",
      id,
      channel: "sms",
      status: "in_progress",
    });
  });

  it("announces a receipt check that brings a new in-transit code or a final receipt, not one that brings nothing new", async () => {
    // Receipts asked about every 0.1-0.2 s (the shared service asks after 15 s).
    const checking = await startTestService({
      env: {
        SMS_RU_API_URL: smsRu.url,
        SMS_RU_API_ID: "api-id-secret",
        SMS_RECEIPT_POLL_SECONDS: "0.1",
        SMS_RECEIPT_POLL_MAX_SECONDS: "0.2",
      },
    });
    try {
      const reader = await open(await checking.app.listen({ host: "127.0.0.1", port: 0 }), checking.apiKey);
      const { id: user } = await checking.createUser({
        email: "live-receipts@example.com",
        password: "long enough",
        phone_number: "+79990001122",
      });
      smsRu.setReceipt("live-receipt", 101);
      smsRu.replyNext(smsRuReplies.sent("79990001122", "live-receipt"));
      const { id } = await checking.createNotification({
        user,
        message: "watch its receipts",
        channels: ["sms"],
      });
      const checks = () =>
        smsRu.statusRequests.filter((request) => request.fields.sms_id?.split(",").includes("live-receipt"))
          .length;
      const kinds = () => reader.events.filter(about(id)).map((e) => `${e.event}:${e.data.status}`);
      const inTransitEvents = () => kinds().filter((kind) => kind === "attempt:accepted").length;

      await waitFor("the first in-transit code", () => (inTransitEvents() >= 1 ? true : undefined));
      // Checks that hear the same code again are recorded, and announce nothing (checked below:
      // the events come in the order they were committed).
      const asked = checks();
      await waitFor("two more checks", () => (checks() >= asked + 2 ? true : undefined));
      smsRu.setReceipt("live-receipt", 102);
      await waitFor("the second in-transit code", () => (inTransitEvents() >= 2 ? true : undefined));
      smsRu.setReceipt("live-receipt", 103);
      await reader.waitFor(
        "the final receipt",
        (e) => e.event === "attempt" && e.data.id === id && e.data.status === "delivered",
      );
      expect(kinds()).toEqual([
        "created:pending",
        "attempt:in_progress",
        "attempt:sent",
        "updated:sent",
        "attempt:accepted",
        "attempt:accepted",
        "attempt:delivered",
      ]);
      expect(reader.events.filter((e) => about(id)(e) && e.data.status === "accepted")[0]?.data).toEqual({
        type: "attempt",
        id,
        channel: "sms",
        status: "accepted",
      });
      const attempts = (await checking.getNotification(id)).attempts as unknown as {
        receipts: { state: string; code: string }[];
      }[];
      expect(attempts[0]?.receipts.map((entry) => [entry.state, entry.code])).toEqual([
        ["in_transit", "101"],
        ["in_transit", "102"],
        ["delivered", "103"],
      ]);
    } finally {
      await checking.close();
    }
  });

  it("announces the attempt a dead worker left in progress when another worker takes it over", async () => {
    const reader = await open();
    // What a worker killed mid-call leaves: its lease (lapsing in a second) and an attempt in progress.
    const { rows } = await service.core.pool.query<{ id: number }>(
      `INSERT INTO notifications (user_id, message, next_attempt_at, lease_owner, lease_expires_at)
       VALUES ($1, 'taken over', now(), 'dead-worker', now() + interval '1 second') RETURNING id`,
      [userId],
    );
    const id = rows[0]!.id;
    await service.core.pool.query(
      "INSERT INTO attempts (notification_id, round, channel, status) VALUES ($1, 1, 'sms', 'in_progress')",
      [id],
    );
    await reader.waitFor(
      "the takeover's sent",
      (e) => e.event === "updated" && e.data.id === id && e.data.status === "sent",
      20_000,
    );
    const kinds = reader.events.filter(about(id)).map((e) => `${e.event}:${e.data.status}`);
    expect(kinds).toEqual(["attempt:interrupted", "attempt:in_progress", "attempt:sent", "updated:sent"]);
    expect(reader.events.find(about(id))?.data).toEqual({
      type: "attempt",
      id,
      channel: "sms",
      status: "interrupted",
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

  it("announces each notification a worker's broadcast fan-out creates", async () => {
    const reader = await open();
    const created = await service.inject({
      method: "POST",
      url: "/api/broadcasts/",
      payload: { users: [userId], message: "to everyone here", channels: ["sms"] },
    });
    expect(created.statusCode, created.body).toBe(202);
    const notification = await waitFor("the broadcast's notification", async () => {
      const { rows } = await service.core.pool.query<{ id: number }>(
        "SELECT id FROM notifications WHERE broadcast_id = $1",
        [created.json().id],
      );
      return rows[0]?.id;
    });
    const creation = await reader.waitFor(
      "its creation",
      (e) => e.event === "created" && e.data.id === notification,
    );
    expect(creation.data).toEqual({ type: "created", id: notification, status: "pending" });
    await reader.waitFor(
      "it sent",
      (e) => e.event === "updated" && e.data.id === notification && e.data.status === "sent",
    );
  });

  it("announces every notification a broadcast's cancellation cancels, and a retention run once", async () => {
    // No worker: the test runs the fan-out's batches itself, so its notifications stay pending.
    const idle = await startTestService({
      worker: false,
      env: { DELIVERY_SANDBOX: "true", CHANNEL_ORDER: "sms", BROADCAST_BATCH_SIZE: "10" },
    });
    try {
      const reader = await open(await idle.app.listen({ host: "127.0.0.1", port: 0 }), idle.apiKey);
      const { rows: made } = await idle.core.pool.query<{ id: number }>(
        `INSERT INTO users (email, password_hash)
         SELECT 'live' || g || '@example.com', 'not-a-login' FROM generate_series(1, 30) g RETURNING id`,
      );
      const created = await idle.inject({
        method: "POST",
        url: "/api/broadcasts/",
        payload: { users: made.map((row) => row.id), message: "Cancel me" },
      });
      expect(created.statusCode, created.body).toBe(202);
      const { id } = created.json();
      let batches = 0;
      const fanOut = {
        store: idle.core.broadcasts,
        templateCatalog: idle.core.templateCatalog,
        channelOrder: idle.core.channelOrder,
        wakeUps: idle.core.wakeUps,
        workerId: "test-worker",
        leaseSeconds: 30,
        batchSize: 10,
        maxBacklog: 0,
        backlogWaitSeconds: 1,
        logger: silentLogger,
        events: idle.core.notificationEvents,
        // Two batches of 10, then the broadcast is handed back, as by a worker shutting down.
        stopping: () => batches++ >= 2,
      };
      const claimed = await idle.core.broadcasts.claimDue("test-worker", 30, 1);
      expect(await fanOutBroadcast(fanOut, claimed.items[0]!)).toBe("stopped");
      const { rows } = await idle.core.pool.query<{ id: number }>(
        "SELECT id FROM notifications WHERE broadcast_id = $1 ORDER BY id",
        [id],
      );
      const fannedOut = rows.map((row) => row.id);
      expect(fannedOut).toHaveLength(20);
      await waitFor("each creation", () =>
        heard(reader, "created", "pending", fannedOut).length === 20 ? true : undefined,
      );
      expect(heard(reader, "created", "pending", fannedOut)).toEqual(fannedOut);

      const cancelled = await idle.inject({ method: "POST", url: `/api/broadcasts/${id}/cancel/` });
      expect(cancelled.json()).toMatchObject({ status: "cancelled", counts: { pending: 0, cancelled: 20 } });
      await waitFor("each cancellation", () =>
        heard(reader, "updated", "cancelled", fannedOut).length === 20 ? true : undefined,
      );
      // Once each, in the shape a single cancel has.
      expect(heard(reader, "updated", "cancelled", fannedOut)).toEqual(fannedOut);
      expect(reader.events.find((e) => e.event === "updated" && e.data.id === fannedOut[0])?.data).toEqual({
        type: "updated",
        id: fannedOut[0],
        status: "cancelled",
      });

      // Retention deletes them all in one run, told as one resync rather than one event each.
      expect(reader.events.some((e) => e.event === "resync")).toBe(false);
      await idle.core.pool.query(
        "UPDATE notifications SET created_at = now() - interval '40 days' WHERE broadcast_id = $1",
        [id],
      );
      expect(await deleteOldNotifications(idle.core, 30, 7)).toBe(20);
      await reader.waitFor("resync", (e) => e.event === "resync");
      expect(await deleteOldNotifications(idle.core, 30)).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(reader.events.filter((e) => e.event === "resync")).toHaveLength(1);
    } finally {
      await idle.close();
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

  it("lets go of a watcher whose client hung up before its stream began", async () => {
    // The client leaves while its request is still on the way to the stream (authentication, the
    // rate limit, the subscription): the response has emitted "close" before the route listens.
    const events = service.core.notificationEvents;
    const subscribe = events.subscribe.bind(events);
    let watching = 0;
    let reachedSubscribe = () => {};
    const reached = new Promise<void>((resolve) => {
      reachedSubscribe = resolve;
    });
    let clientGone = () => {};
    const gone = new Promise<void>((resolve) => {
      clientGone = resolve;
    });
    let subscribedLate = () => {};
    const subscribed = new Promise<void>((resolve) => {
      subscribedLate = resolve;
    });
    events.subscribe = async (listener) => {
      reachedSubscribe();
      await gone;
      const unsubscribe = await subscribe(listener);
      watching += 1;
      subscribedLate();
      return () => {
        watching -= 1;
        unsubscribe();
      };
    };
    try {
      const serverSide = once(service.app.server, "connection") as Promise<[Socket]>;
      const { hostname, port } = new URL(baseUrl);
      const client = connect(Number(port), hostname);
      client.on("error", () => {});
      client.write(
        `GET /api/notifications/events/ HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${service.apiKey}\r\n\r\n`,
      );
      const [socket] = await serverSide;
      await reached;
      client.destroy();
      await once(socket, "close");
      clientGone();
      await subscribed;
      await waitFor("the watcher to be let go", () => (watching === 0 ? true : undefined), 2_000);
    } finally {
      events.subscribe = subscribe;
    }
  });

  it("drops a watcher that stopped reading, and lets it go, once it is far behind", async () => {
    // A client that stays connected but reads nothing (a suspended laptop, a stuck proxy): once
    // its backlog passes the limit the stream must be cut and its subscription released, rather
    // than ended (which waits for a read that never comes, while every later event is written
    // after the end: an error event that nothing listens to any more).
    const events = service.core.notificationEvents;
    const subscribe = events.subscribe.bind(events);
    let watching = 0;
    events.subscribe = async (listener) => {
      const unsubscribe = await subscribe(listener);
      watching += 1;
      return () => {
        watching -= 1;
        unsubscribe();
      };
    };
    // What the response reports as failed: a write after its end, say.
    const responseErrors: string[] = [];
    service.app.server.once("request", (_request: IncomingMessage, response: ServerResponse) => {
      response.on("error", (error: NodeJS.ErrnoException) =>
        responseErrors.push(error.code ?? error.message),
      );
    });
    const { hostname, port } = new URL(baseUrl);
    const client = connect(Number(port), hostname);
    try {
      client.on("error", () => {});
      client.write(
        `GET /api/notifications/events/ HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${service.apiKey}\r\n\r\n`,
      );
      client.pause();
      await waitFor("the stream to be open", () => (watching === 1 ? true : undefined));
      // About 1 MB of events a round, until the sockets' buffers and the 1 MB backlog are full.
      for (let round = 0; round < 40 && watching > 0; round++) {
        for (let id = 0; id < 20_000; id++) events.publish({ type: "updated", id, status: "pending" });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await waitFor("the watcher to be let go", () => (watching === 0 ? true : undefined), 2_000);
      expect(responseErrors).toEqual([]);
    } finally {
      client.destroy();
      events.subscribe = subscribe;
    }
  });

  it("ends open streams when the server closes, so a shutdown is not held up", async () => {
    const reader = await open();
    const started = Date.now();
    await service.app.close();
    await reader.ended;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
