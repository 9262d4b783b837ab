/**
 * Notifications the API creates in one tick go to the queue as one batch job, which a worker
 * delivers within its concurrency; a worker that stops hands the deliveries it has not started
 * back to the queue, each under its own job id, for other workers.
 */
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "../../src/entry/worker/worker-process.js";
import { deliveryJobId } from "../../src/queue/delivery-queue.js";
import { TEST_REDIS_URL } from "../support/databases.js";
import { FakeSmsRu } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("batch delivery jobs", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;
  let queue: Queue;
  let user: number;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      worker: false,
      env: { SMS_RU_API_URL: smsRu.url, SMS_RU_API_ID: "test-api-id-123", WORKER_CONCURRENCY: "1" },
    });
    queue = new Queue("deliveries", {
      connection: { url: TEST_REDIS_URL },
      prefix: service.env.REDIS_PREFIX,
    });
    ({ id: user } = await service.createUser({
      email: "batches@example.com",
      password: "correct horse",
      phone_number: "+79990001122",
    }));
  });
  afterAll(async () => {
    await queue?.close();
    await service?.close();
    await smsRu?.close();
  });

  /** Stores notifications without queueing them, then asks for their deliveries in one tick. */
  const createInOneTick = async (messages: string[]) => {
    const ids: number[] = [];
    for (const message of messages) {
      ids.push(
        (await service.core.notifications.create({ userId: user, message, subject: null, channels: null }))
          .id,
      );
    }
    // Deterministic, unlike concurrent HTTP requests, which a loaded machine may spread over ticks.
    for (const notificationId of ids)
      service.core.scheduler.scheduleSoon({ notificationId, round: 1, delaySeconds: 0 });
    return ids;
  };
  const queuedJobs = () =>
    waitFor("the deliveries to be queued", async () => {
      const jobs = await queue.getJobs(["waiting"]);
      return jobs.length > 0 ? jobs : undefined;
    });

  it("queues one job for the notifications of a tick and delivers each of them", async () => {
    const ids = await createInOneTick(["one", "two", "three"]);
    const jobs = await queuedJobs();
    expect(jobs.map((job) => [job.name, job.data])).toEqual([
      ["deliver-batch", { deliveries: ids.map((notificationId) => ({ notificationId, round: 1 })) }],
    ]);

    const worker = startWorker(service.core);
    try {
      for (const id of ids) expect((await service.waitForStatus(id)).status).toBe("sent");
    } finally {
      await worker.stop();
    }
    expect(smsRu.requests.map((request) => request.fields.msg).sort()).toEqual(["one", "three", "two"]);
  });

  it("queues the API's concurrent creates in batch jobs that cover each notification once", async () => {
    smsRu.reset();
    const created = await Promise.all(
      ["a", "b", "c", "d"].map((message) => service.createNotification({ user, message })),
    );
    const ids = created.map((notification) => notification.id).sort((a, b) => a - b);
    const queued = await waitFor("all four to be queued", async () => {
      const jobs = await queue.getJobs(["waiting"]);
      const deliveries = jobs.flatMap((job) =>
        job.name === "deliver-batch"
          ? (job.data.deliveries as { notificationId: number }[]).map((delivery) => delivery.notificationId)
          : [job.data.notificationId as number],
      );
      return deliveries.length >= 4 ? deliveries : undefined;
    });
    expect(queued.sort((a, b) => a - b)).toEqual(ids);
    const worker = startWorker(service.core);
    try {
      for (const id of ids) expect((await service.waitForStatus(id)).status).toBe("sent");
    } finally {
      await worker.stop();
    }
  });

  it("hands the deliveries it has not started back to the queue when it stops", async () => {
    smsRu.reset();
    smsRu.replyNext({ hangMs: 2_000 });
    const ids = await createInOneTick(["first", "second", "third"]);
    await queuedJobs();
    const worker = startWorker(service.core);
    await waitFor("the first call to reach SMS.ru", () => (smsRu.requests.length === 1 ? true : undefined));
    await worker.stop();

    // With one slot, one delivery was in flight; it finished, the other two went back to the queue.
    const states = await Promise.all(ids.map((id) => service.getNotification(id)));
    expect(states.map((state) => state.status).sort()).toEqual(["pending", "pending", "sent"]);
    const waiting = states.filter((state) => state.status === "pending");
    const jobIds = (await queue.getJobs(["waiting"])).map((job) => job.id).sort();
    expect(jobIds).toEqual(waiting.map((state) => deliveryJobId(state.id, 1)).sort());
    expect(waiting.every((state) => state.attempts.length === 0)).toBe(true);
  });
});
