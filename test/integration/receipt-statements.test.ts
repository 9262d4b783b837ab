/**
 * The receipt checks' statements: accepted attempts as due rows, claimed once each under a lease,
 * and what recording a receipt changes (and never changes).
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

  it("claims each due check once, with the time until the next one, and records the receipt", async () => {
    const { receipts } = service.core;
    const due = await acceptedSms("sql-1", 0);
    await acceptedSms("sql-2", 30);

    const [first, second] = await Promise.all([receipts.claimDue(60, 10), receipts.claimDue(60, 10)]);
    const claimed = [...first.checks, ...second.checks];
    expect(claimed.map((check) => [check.attemptId, check.providerMessageId, check.checks])).toEqual([
      [due.attemptId, "sql-1", 0],
    ]);
    expect(first.nextDueInSeconds).toBeGreaterThan(25);

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
    expect((await receipts.claimDue(60, 10)).checks).toEqual([]);
  });

  it("makes a notification held for its receipt due at once when the receipt is final", async () => {
    const { receipts, pool } = service.core;
    const held = await acceptedSms("sql-3", 0, true);
    const before = await service.getNotification(held.id);
    expect(before.status).toBe("pending");

    const { checks } = await receipts.claimDue(60, 10);
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
