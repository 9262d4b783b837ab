/**
 * The worker's per-delivery statements (claim, start an attempt under the lease, record a
 * success) run once for all the calls of a tick: each caller still gets exactly what it would
 * have got alone, and announcements go out for each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationEvent } from "../../src/usecases/ports.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("batched delivery statements", () => {
  let service: TestService;
  let user: number;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
    ({ id: user } = await service.createUser({ email: "batch@example.com", password: "correct horse" }));
  });
  afterAll(async () => {
    await service?.close();
  });

  const createMany = (count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        service.createNotification({ user, message: `batched ${i}` }).then((created) => created.id),
      ),
    );

  it("claims many notifications in one tick, each once, even when one is asked for twice", async () => {
    const { notifications } = service.core;
    const ids = await createMany(5);
    const [first, ...others] = ids;
    const claims = await Promise.all([
      ...ids.map((id) => notifications.claimForDelivery(id, "worker-a", 15)),
      notifications.claimForDelivery(first!, "worker-b", 15),
    ]);
    expect(claims.slice(0, 5).map((claim) => claim?.notification.id)).toEqual(ids);
    expect(claims.slice(0, 5).every((claim) => claim?.recipient?.id === user)).toBe(true);
    // The second claim of the same notification comes after the first, and finds it held.
    expect(claims[5]).toBeNull();
    const again = await Promise.all(others.map((id) => notifications.claimForDelivery(id, "worker-b", 15)));
    expect(again).toEqual(others.map(() => null));
  });

  it("starts and finishes attempts in batches under each notification's own lease", async () => {
    const { notifications, attempts, notificationEvents } = service.core;
    const events: NotificationEvent[] = [];
    const unsubscribe = await notificationEvents.subscribe((event) => events.push(event));
    const ids = await createMany(4);
    await Promise.all(ids.map((id) => notifications.claimForDelivery(id, "worker-a", 15)));
    // The last one is cancelled: its lease is gone, so no attempt may start.
    await service.inject({ method: "POST", url: `/api/notifications/${ids[3]}/cancel/` });

    const started = await Promise.all(
      ids.map((id) => attempts.startUnderLease(id, 1, "sms", "worker-a", 15)),
    );
    expect(started.slice(0, 3).every((attemptId) => typeof attemptId === "number")).toBe(true);
    expect(new Set(started.slice(0, 3)).size).toBe(3);
    expect(started[3]).toBeNull();

    const sent = { kind: "sent" as const, providerMessageId: "m-1", details: { balance: 1 } };
    const finished = await Promise.all(
      ids.slice(0, 3).map((id, i) => attempts.finishSent(started[i]!, sent, id, "worker-a", "sms")),
    );
    expect(finished).toEqual([true, true, true]);
    for (const id of ids.slice(0, 3)) {
      const notification = await service.getNotification(id);
      expect(notification.status).toBe("sent");
      expect(notification.attempts.map((a) => [a.status, a.provider_message_id])).toEqual([["sent", "m-1"]]);
    }
    await expect
      .poll(() => events.filter((event) => event.type === "updated" && event.status === "sent").length)
      .toBe(3);
    expect(events.filter((event) => event.type === "attempt" && event.status === "in_progress")).toHaveLength(
      3,
    );
    unsubscribe();
  });

  it("renews a lease with less than half left when an attempt starts, and leaves a fresh one alone", async () => {
    const { notifications, attempts, pool } = service.core;
    const [fresh, aging, lost] = await createMany(3);
    await Promise.all([fresh, aging, lost].map((id) => notifications.claimForDelivery(id!, "worker-a", 15)));
    // One lease has 2 s of its 15 left; another has lapsed and another worker holds it now.
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() + interval '2 seconds' WHERE id = $1",
      [aging],
    );
    await pool.query(
      "UPDATE notifications SET lease_expires_at = now() - interval '1 second' WHERE id = $1",
      [lost],
    );
    expect(await notifications.claimForDelivery(lost!, "worker-b", 15)).not.toBeNull();
    const leaseOf = async (id: number) => {
      const { rows } = await pool.query<{ expires: Date; xmin: string }>(
        "SELECT lease_expires_at AS expires, xmin::text FROM notifications WHERE id = $1",
        [id],
      );
      return rows[0]!;
    };
    const freshBefore = await leaseOf(fresh!);

    const started = await Promise.all(
      [fresh, aging, lost].map((id) => attempts.startUnderLease(id!, 1, "sms", "worker-a", 15)),
    );
    expect(typeof started[0]).toBe("number");
    expect(typeof started[1]).toBe("number");
    expect(started[2]).toBeNull();
    // The fresh lease's row was not rewritten: same expiry, same row version.
    expect(await leaseOf(fresh!)).toEqual(freshBefore);
    const { rows } = await pool.query<{ seconds_left: number }>(
      "SELECT extract(epoch FROM lease_expires_at - now())::float8 AS seconds_left FROM notifications WHERE id = $1",
      [aging],
    );
    expect(rows[0]!.seconds_left).toBeGreaterThan(10);
    const { rows: lostAttempts } = await pool.query("SELECT id FROM attempts WHERE notification_id = $1", [
      lost,
    ]);
    expect(lostAttempts).toEqual([]);
  });
});
