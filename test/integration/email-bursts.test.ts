/**
 * A burst of emails larger than the SMTP connection pool: the ones waiting for a connection wait
 * before their attempt starts, so the provider timeout measures the server, not the queue, and
 * nothing falls back to the next channel while the server is merely busy.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("an email burst larger than the SMTP pool", () => {
  let providers: LoopbackProviders;
  let service: TestService;

  beforeAll(async () => {
    // 50 ms per message on 5 connections: 500 messages take 5 s, well over the provider timeout,
    // which is 3 s rather than 1 so that one message on a loaded machine does not run out of it.
    providers = await LoopbackProviders.start({ dataDelayMs: 50 });
    service = await startTestService({
      env: providers.env({ MAX_RETRIES: "0", PROVIDER_TIMEOUT_SECONDS: "3" }),
    });
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });

  it("sends every email by email, none timed out in the queue or sent on by Telegram", async () => {
    const users = await Promise.all(
      Array.from(
        { length: 5 },
        async (_, i) =>
          (
            await service.createUser({
              email: `burst${i}@example.com`,
              password: "long enough",
              telegram_id: String(930_000 + i),
            })
          ).id,
      ),
    );
    const items = Array.from({ length: 500 }, (_, i) => ({
      user: users[i % users.length],
      message: `burst ${i}`,
      channels: ["email", "telegram"],
    }));
    const response = await service.inject({
      method: "POST",
      url: "/api/notifications/bulk/",
      payload: { notifications: items },
    });
    expect(response.statusCode).toBe(201);
    const ids: number[] = response.json().results.map((n: { id: number }) => n.id);
    const outcomes = async () =>
      (
        await service.core.pool.query<{ status: string; last_channel: string; n: number }>(
          `SELECT status, last_channel, count(*)::int AS n FROM notifications
           WHERE id = ANY($1) GROUP BY status, last_channel`,
          [ids],
        )
      ).rows;
    await waitFor(
      "the burst to end",
      async () => ((await outcomes()).some((row) => row.status === "pending") ? undefined : true),
      60_000,
    );
    expect(await outcomes()).toEqual([{ status: "sent", last_channel: "email", n: 500 }]);
    const { rows: failed } = await service.core.pool.query(
      "SELECT count(*)::int AS n FROM attempts WHERE notification_id = ANY($1) AND status <> 'sent'",
      [ids],
    );
    expect(failed[0].n).toBe(0);
    expect(providers.telegram.requests).toEqual([]);
    const texts = providers.smtp.mails.map((mail) => mail.text.trim()).sort();
    expect(texts).toEqual(items.map((item) => item.message).sort());
  });
});
