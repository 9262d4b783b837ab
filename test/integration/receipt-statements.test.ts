/**
 * The receipt checks' statements: accepted attempts as due rows, claimed by one checker at a time
 * under a lease row, and what recording a receipt changes (and never changes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sent } from "../../src/core/outcome.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("receipt check statements", () => {
  let service: TestService;
  let user: number;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
    ({ id: user } = await service.createUser({
      email: "receipts-sql@example.com",
      password: "correct horse",
    }));
  });
  afterAll(async () => {
    await service?.close();
  });

  /** A notification with an SMS attempt SMS.ru accepted, its first receipt check due in `checkIn` s. */
  async function acceptedSms(smsId: string, checkIn: number, hold = false) {
    const { deliveries } = service.core;
    const created = await service.createNotification({ user, message: smsId });
    const { deliveries: claimed } = await deliveries.claimDue("worker-a", 15, 1);
    expect(claimed.map((claim) => claim.notification.id)).toEqual([created.id]);
    const attemptId = (await deliveries.startAttempt(created.id, 1, "sms", "worker-a", 15))!;
    const finish = {
      attemptId,
      outcome: sent(smsId),
      notificationId: created.id,
      owner: "worker-a",
      channel: "sms" as const,
    };
    const ended = hold
      ? await deliveries.finishAcceptedAndHold({ ...finish, receiptCheckSeconds: checkIn, holdSeconds: 60 })
      : await deliveries.finishSent(attemptId, finish.outcome, created.id, "worker-a", "sms", checkIn);
    expect(ended).toBe(true);
    return { id: created.id, attemptId };
  }

  it("gives due checks to one checker at a time, with the time until the next one, and records the receipt", async () => {
    const { receipts } = service.core;
    const due = await acceptedSms("sql-1", 0);
    // Due within the early window: asked about in the same call.
    const soon = await acceptedSms("sql-2", 2);
    await acceptedSms("sql-later", 30);

    const [first, second] = await Promise.all([
      receipts.claimDue("checker-a", 60, 3, 10),
      receipts.claimDue("checker-b", 60, 3, 10),
    ]);
    const [holder, other] = first.checks.length > 0 ? [first, second] : [second, first];
    expect(other.checks).toEqual([]);
    expect(other.nextDueInSeconds).toBeNull();
    expect(holder.checks.map((check) => [check.attemptId, check.providerMessageId, check.checks])).toEqual([
      [due.attemptId, "sql-1", 0],
      [soon.attemptId, "sql-2", 0],
    ]);
    expect(holder.nextDueInSeconds).toBeGreaterThan(25);
    const holderName = holder === first ? "checker-a" : "checker-b";
    const otherName = holder === first ? "checker-b" : "checker-a";
    // The holder renews its lease with every claim; the other gets nothing while it holds.
    expect((await receipts.claimDue(holderName, 60, 3, 10)).checks).toHaveLength(2);
    expect((await receipts.claimDue(otherName, 60, 3, 10)).checks).toEqual([]);

    const recorded = await receipts.record([
      {
        attemptId: due.attemptId,
        delivery: "delivered",
        report: { state: "delivered", code: "103", text: "ok" },
        nextCheckSeconds: null,
      },
    ]);
    expect(recorded).toEqual([
      {
        attemptId: due.attemptId,
        notificationId: due.id,
        channel: "sms",
        delivery: "delivered",
        latest: true,
        madeDue: false,
      },
    ]);
    // A final state is never overwritten, and it is not claimed again.
    expect(
      await receipts.record([
        { attemptId: due.attemptId, delivery: "undelivered", report: null, nextCheckSeconds: null },
      ]),
    ).toEqual([]);
    const attempt = (await service.core.attempts.listForNotification(due.id))[0];
    expect(attempt).toMatchObject({ delivery: "delivered", receiptCode: "103", receiptText: "ok" });
    expect(attempt?.deliveredAt).toBeInstanceOf(Date);
    expect((await receipts.claimDue(holderName, 60, 3, 10)).checks.map((check) => check.attemptId)).toEqual([
      soon.attemptId,
    ]);

    // A stopping holder gives the lease up: the other takes over at once.
    await receipts.releaseLease(holderName);
    expect((await receipts.claimDue(otherName, 60, 3, 10)).checks.map((check) => check.attemptId)).toEqual([
      soon.attemptId,
    ]);
    // A lease that lapsed (its holder died) is taken over too.
    await service.core.pool.query(
      "UPDATE maintenance_schedule SET next_run_at = now() - interval '1 second' WHERE task = 'receipt-checks'",
    );
    expect((await receipts.claimDue(holderName, 60, 3, 10)).checks).toHaveLength(1);
    await receipts.record([
      { attemptId: soon.attemptId, delivery: "delivered", report: null, nextCheckSeconds: null },
    ]);
    expect((await receipts.claimDue(holderName, 60, 3, 10)).checks).toEqual([]);
    await receipts.releaseLease(holderName);
  });

  it("makes a notification held for its receipt due at once when the receipt is final", async () => {
    const { receipts, pool } = service.core;
    const held = await acceptedSms("sql-3", 0, true);
    const before = await service.getNotification(held.id);
    expect(before.status).toBe("pending");

    const { checks } = await receipts.claimDue("checker-a", 60, 0, 10);
    expect(checks.map((check) => check.attemptId)).toContain(held.attemptId);
    const recorded = await receipts.record([
      {
        attemptId: held.attemptId,
        delivery: "undelivered",
        report: { state: "undelivered", code: "106", text: null },
        nextCheckSeconds: null,
      },
    ]);
    expect(recorded[0]).toMatchObject({ delivery: "undelivered", madeDue: true });
    const { rows } = await pool.query<{ due: boolean }>(
      "SELECT next_attempt_at <= now() AS due FROM notifications WHERE id = $1",
      [held.id],
    );
    expect(rows[0]?.due).toBe(true);
  });
});
