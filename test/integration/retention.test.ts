/**
 * Retention: finished notifications older than RETENTION_DAYS are deleted with everything recorded
 * about them, by every worker on its own and by `prune`; pending ones stay whatever their age.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker } from "../../src/entry/worker/worker-process.js";
import { deleteOldNotifications } from "../../src/usecases/delete-old-notifications.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("retention", () => {
  let service: TestService;
  let user: number;

  beforeAll(async () => {
    service = await startTestService({ worker: false, env: { RETENTION_DAYS: "30" } });
    ({ id: user } = await service.createUser({ email: "old@example.com", password: "correct horse" }));
  });
  afterAll(async () => {
    await service?.close();
  });

  /** A notification in `status`, created `daysAgo` days ago, with one attempt and an idempotency key. */
  const notification = async (status: string, daysAgo: number): Promise<number> => {
    const response = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      headers: { "idempotency-key": `key-${status}-${daysAgo}-${Math.random()}` },
      payload: { user, message: `${status}, ${daysAgo} days old` },
    });
    expect(response.statusCode).toBe(201);
    const { id } = response.json<{ id: number }>();
    const { pool } = service.core;
    await pool.query(
      `UPDATE notifications SET status = $2, created_at = now() - make_interval(days => $3),
         next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + interval '1 hour' END
       WHERE id = $1`,
      [id, status, daysAgo],
    );
    await pool.query(
      `INSERT INTO attempts (notification_id, round, channel, status, finished_at)
       VALUES ($1, 1, 'sms', 'failed', now())`,
      [id],
    );
    return id;
  };
  const exists = async (table: string, column: string, id: number) =>
    (await service.core.pool.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [id])).rowCount === 1;

  it("deletes finished notifications past the age with their attempts and keys, and nothing else", async () => {
    const oldSent = await notification("sent", 40);
    const oldFailed = await notification("failed", 31);
    const oldCancelled = await notification("cancelled", 400);
    const oldPending = await notification("pending", 90);
    const recentSent = await notification("sent", 29);

    // Batches of 2: the use case goes on until a batch comes back short.
    expect(await deleteOldNotifications(service.core, 30, 2)).toBe(3);

    for (const id of [oldSent, oldFailed, oldCancelled]) {
      expect(await exists("notifications", "id", id)).toBe(false);
      expect(await exists("attempts", "notification_id", id)).toBe(false);
      expect(await exists("idempotency_keys", "notification_id", id)).toBe(false);
      expect((await service.inject({ method: "GET", url: `/api/notifications/${id}/` })).statusCode).toBe(
        404,
      );
    }
    for (const id of [oldPending, recentSent]) {
      expect(await exists("notifications", "id", id)).toBe(true);
      expect(await exists("attempts", "notification_id", id)).toBe(true);
      expect(await exists("idempotency_keys", "notification_id", id)).toBe(true);
    }
    expect(await deleteOldNotifications(service.core, 30)).toBe(0);
    await expect(deleteOldNotifications(service.core, 0)).rejects.toThrow(RangeError);
  });

  it("is done by a worker on its own when RETENTION_DAYS is set", async () => {
    const oldSent = await notification("sent", 45);
    const recentFailed = await notification("failed", 1);
    const worker = startWorker(service.core);
    try {
      // Housekeeping runs when a worker starts, if it is the deployment's turn (it is: none ran yet).
      await waitFor("the worker to delete the old notification", async () =>
        (await exists("notifications", "id", oldSent)) ? undefined : true,
      );
      expect(await exists("notifications", "id", recentFailed)).toBe(true);
    } finally {
      await worker.stop();
    }
  });
});
