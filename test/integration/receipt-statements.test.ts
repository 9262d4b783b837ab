/**
 * The receipt checks' statements: accepted attempts as due rows, claimed by one checker at a time
 * under a lease row, and what recording a receipt changes (and never changes).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SMS_RU_RECEIPT_TEXTS } from "../../src/channels/sms-ru/sms-ru-receipt-codes.js";
import { sent } from "../../src/core/outcome.js";
import type { ReceiptUpdate } from "../../src/receipts/receipts-repository.js";
import { recordReceipts } from "../../src/receipts/record-receipts.js";
import type { NotificationEvent } from "../../src/usecases/ports.js";
import { captureLogs } from "../support/captured-logs.js";
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
    const attemptId = (await deliveries.startAttempt(created.id, 1, "sms", "worker-a", 15, 11))!;
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

    const recorded = await receipts.record(
      [
        {
          attemptId: due.attemptId,
          delivery: "delivered",
          report: { state: "delivered", code: "103", text: "ok" },
          nextCheckSeconds: null,
        },
      ],
      { findLatest: true },
    );
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
      await receipts.record(
        [{ attemptId: due.attemptId, delivery: "undelivered", report: null, nextCheckSeconds: null }],
        { findLatest: true },
      ),
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
    await receipts.record(
      [{ attemptId: soon.attemptId, delivery: "delivered", report: null, nextCheckSeconds: null }],
      { findLatest: true },
    );
    expect((await receipts.claimDue(holderName, 60, 3, 10)).checks).toEqual([]);
    await receipts.releaseLease(holderName);
  });

  it("returns an in-transit report only when its code is new, and announces it as an accepted attempt, nothing more", async () => {
    const { receipts, deliveries } = service.core;
    const transit = await acceptedSms("sql-4", 60);
    const held = await acceptedSms("sql-5", 60, true);
    const events: NotificationEvent[] = [];
    const webhooks: unknown[][] = [];
    let wakeUps = 0;
    const logs = captureLogs();
    const deps = {
      store: receipts,
      wakeUps: { wake: () => void wakeUps++ },
      events: { publish: (event: NotificationEvent) => void events.push(event) },
      webhooks: {
        emit: (...args: unknown[]) => void webhooks.push(args),
        subscribes: async (type: string) => type === "notification.delivered",
      },
      logger: logs.logger,
    };
    const inTransit = (code: number | null, posted = false): ReceiptUpdate => ({
      attemptId: transit.attemptId,
      delivery: "accepted",
      report:
        code === null ? null : { state: "in_transit", code: String(code), text: SMS_RU_RECEIPT_TEXTS[code]! },
      nextCheckSeconds: 60,
      posted,
    });
    const transitAccepted = {
      attemptId: transit.attemptId,
      notificationId: transit.id,
      channel: "sms",
      delivery: "accepted",
      latest: false,
      madeDue: false,
    };
    const transitEvent = { type: "attempt", id: transit.id, channel: "sms", status: "accepted" };

    expect(await recordReceipts(deps, [inTransit(101)])).toEqual([transitAccepted]);
    expect(events).toEqual([transitEvent]);
    // A check that learnt nothing new: the same code again (asked or posted), or no answer.
    expect(await recordReceipts(deps, [inTransit(101)])).toEqual([]);
    expect(await recordReceipts(deps, [inTransit(101, true)])).toEqual([]);
    expect(await recordReceipts(deps, [inTransit(null)])).toEqual([]);
    expect(events).toHaveLength(1);

    // A new code in the same statement as another attempt's final receipt: that one as before.
    const recorded = await recordReceipts(deps, [
      inTransit(102),
      {
        attemptId: held.attemptId,
        delivery: "delivered",
        report: { state: "delivered", code: "103", text: SMS_RU_RECEIPT_TEXTS[103]! },
        nextCheckSeconds: null,
      },
    ]);
    expect(recorded).toHaveLength(2);
    expect(recorded).toEqual(
      expect.arrayContaining([
        transitAccepted,
        {
          attemptId: held.attemptId,
          notificationId: held.id,
          channel: "sms",
          delivery: "delivered",
          latest: true,
          madeDue: true,
        },
      ]),
    );
    expect(events.slice(1)).toHaveLength(2);
    expect(events.slice(1)).toEqual(
      expect.arrayContaining([
        transitEvent,
        { type: "attempt", id: held.id, channel: "sms", status: "delivered" },
      ]),
    );
    // Only the final receipt is logged, told to webhook subscribers and wakes the workers.
    expect(logs.lines.map((line) => [line.message, line.fields])).toEqual([
      ["delivery receipt", { notificationId: held.id, attemptId: held.attemptId, delivery: "delivered" }],
    ]);
    expect(webhooks).toEqual([["notification.delivered", held.id, held.attemptId]]);
    expect(wakeUps).toBe(1);

    // One timeline entry per code, and the attempt still waits for its final receipt.
    const [attempt] = await service.core.attempts.listForNotification(transit.id);
    expect(attempt).toMatchObject({ delivery: "accepted", receiptCode: "102" });
    expect(attempt?.receipts.map((entry) => [entry.state, entry.code])).toEqual([
      ["in_transit", "101"],
      ["in_transit", "102"],
    ]);
    // The held notification was made due: a worker ends it (as the next test's claims need).
    const { deliveries: due } = await deliveries.claimDue("worker-a", 15, 1);
    expect(due.map((claim) => claim.notification.id)).toEqual([held.id]);
    expect(await deliveries.markSent(held.id, "worker-a", "sms")).toBe(true);
  });

  it("works out whether a final receipt is its notification's latest only when webhooks are told of receipts", async () => {
    const emitted: unknown[][] = [];
    const withSubscriptions = (subscribed: string[]) => ({
      store: service.core.receipts,
      wakeUps: { wake: () => {} },
      events: { publish: () => {} },
      webhooks: {
        emit: (...args: unknown[]) => void emitted.push(args),
        subscribes: async (type: string) => subscribed.includes(type),
      },
      logger: captureLogs().logger,
    });
    const delivered = (attemptId: number): ReceiptUpdate[] => [
      {
        attemptId,
        delivery: "delivered",
        report: { state: "delivered", code: "103", text: SMS_RU_RECEIPT_TEXTS[103]! },
        nextCheckSeconds: null,
      },
    ];

    const unasked = await acceptedSms("sql-6", 60);
    expect(
      await recordReceipts(withSubscriptions(["notification.sent"]), delivered(unasked.attemptId)),
    ).toEqual([
      expect.objectContaining({ attemptId: unasked.attemptId, delivery: "delivered", latest: null }),
    ]);
    expect(emitted).toEqual([]);

    const asked = await acceptedSms("sql-7", 60);
    expect(
      await recordReceipts(withSubscriptions(["notification.undelivered"]), delivered(asked.attemptId)),
    ).toEqual([expect.objectContaining({ attemptId: asked.attemptId, delivery: "delivered", latest: true })]);
    expect(emitted).toEqual([["notification.delivered", asked.id, asked.attemptId]]);
  });

  it("makes a notification held for its receipt due at once when the receipt is final", async () => {
    const { receipts, pool } = service.core;
    const held = await acceptedSms("sql-3", 0, true);
    const before = await service.getNotification(held.id);
    expect(before.status).toBe("pending");

    const { checks } = await receipts.claimDue("checker-a", 60, 0, 10);
    expect(checks.map((check) => check.attemptId)).toContain(held.attemptId);
    const recorded = await receipts.record(
      [
        {
          attemptId: held.attemptId,
          delivery: "undelivered",
          report: { state: "undelivered", code: "106", text: null },
          nextCheckSeconds: null,
        },
      ],
      { findLatest: false },
    );
    // Not asked whether it is the latest attempt: no webhook needs it.
    expect(recorded[0]).toEqual(
      expect.objectContaining({ delivery: "undelivered", madeDue: true, latest: null }),
    );
    const { rows } = await pool.query<{ due: boolean }>(
      "SELECT next_attempt_at <= now() AS due FROM notifications WHERE id = $1",
      [held.id],
    );
    expect(rows[0]?.due).toBe(true);
  });
});
