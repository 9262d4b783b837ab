import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forgetExpiredIdempotencyKeys } from "../../src/usecases/forget-expired-idempotency-keys.js";
import { FakeSmsRu } from "../support/fake-sms-ru.js";
import { startTestService, type TestService } from "../support/test-service.js";

const OTHER_KEY = "other-api-key-0123456789";

describe("Idempotency-Key on POST /api/notifications/", () => {
  let smsRu: FakeSmsRu;
  let service: TestService;
  let userId: number;

  beforeAll(async () => {
    smsRu = await FakeSmsRu.start();
    service = await startTestService({
      env: {
        SMS_RU_API_URL: smsRu.url,
        SMS_RU_API_ID: "test-api-id-123",
        CHANNEL_ORDER: "sms",
        API_KEYS: `test-api-key-0123456789,${OTHER_KEY}`,
      },
    });
    userId = (
      await service.createUser({
        email: "idem@example.com",
        password: "long enough",
        phone_number: "+79990001122",
      })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await smsRu?.close();
  });

  const post = (key: string | undefined, body: object, options: { url?: string; apiKey?: string } = {}) =>
    service.inject({
      method: "POST",
      url: options.url ?? "/api/notifications/",
      payload: body,
      headers: {
        ...(key === undefined ? {} : { "idempotency-key": key }),
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
    });
  const countNotifications = async () =>
    (await service.core.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications")).rows[0]!.n;

  it("returns the first notification for a repeated request, and delivers it once", async () => {
    const body = { user: userId, message: "pay 100", channels: ["sms"] };
    const first = await post("order-1", body);
    expect(first.statusCode).toBe(201);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
    await service.waitForStatus(first.json().id, "sent");

    // Spelled differently (field order, an explicit null subject): still the same request.
    const again = await post("order-1", {
      channels: ["sms"],
      subject: null,
      message: "pay 100",
      user: userId,
    });
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toMatchObject({ id: first.json().id, status: "sent", message: "pay 100" });
    expect(Object.keys(again.json()).sort()).toEqual(Object.keys(first.json()).sort());

    const viaAlias = await post("order-1", body, { url: "/api/notifications/create/" });
    expect(viaAlias.statusCode).toBe(201);
    expect(viaAlias.json().id).toBe(first.json().id);

    expect(smsRu.messages.filter((r) => r.text === "pay 100")).toHaveLength(1);
  });

  it("refuses the same key with a different request with 409 and a reason", async () => {
    const first = await post("order-2", { user: userId, message: "first text" });
    expect(first.statusCode).toBe(201);
    const other = await post("order-2", { user: userId, message: "other text" });
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).toMatch(/Idempotency-Key "order-2" was already used for a different request/);
  });

  it("creates exactly one notification when many requests with one key race", async () => {
    const before = await countNotifications();
    const body = { user: userId, message: "race" };
    const responses = await Promise.all(Array.from({ length: 25 }, () => post("race-key", body)));
    expect(responses.map((r) => r.statusCode)).toEqual(responses.map(() => 201));
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers["idempotent-replayed"] === undefined)).toHaveLength(1);
    expect(await countNotifications()).toBe(before + 1);
  });

  it("keeps each caller's keys apart", async () => {
    const body = { user: userId, message: "per caller" };
    const mine = await post("shared-key", body);
    const theirs = await post("shared-key", body, { apiKey: OTHER_KEY });
    expect(mine.statusCode).toBe(201);
    expect(theirs.statusCode).toBe(201);
    expect(theirs.json().id).not.toBe(mine.json().id);
  });

  it("remembers nothing when the request is rejected", async () => {
    const rejected = await post("after-fix", { user: 999_999, message: "x" });
    expect(rejected.statusCode).toBe(400);
    const fixed = await post("after-fix", { user: userId, message: "x" });
    expect(fixed.statusCode).toBe(201);
  });

  it("creates a new notification each time without a key", async () => {
    const body = { user: userId, message: "no key" };
    const a = await post(undefined, body);
    const b = await post(undefined, body);
    expect(a.json().id).not.toBe(b.json().id);
  });

  it.each([
    ["", "This header may not be blank."],
    ["k".repeat(256), "Ensure this header has no more than 255 characters."],
    ["ключ\u0000", "Use printable ASCII characters only."],
    ["tab\tinside", "Use printable ASCII characters only."],
  ])("rejects the header %j with a field error", async (key, problem) => {
    const before = await countNotifications();
    const response = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      payload: { user: userId, message: "bad key" },
      headers: { "idempotency-key": Buffer.from(key, "utf8").toString("latin1") },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ "Idempotency-Key": [problem] });
    expect(await countNotifications()).toBe(before);
  });

  it("accepts a key of 255 printable characters", async () => {
    const response = await post(`${"~ ".repeat(127)}x`, { user: userId, message: "long key" });
    expect(response.statusCode).toBe(201);
  });

  it("forgets keys after IDEMPOTENCY_TTL_HOURS: an old key may be used again, and housekeeping deletes it", async () => {
    const first = await post("old-key", { user: userId, message: "yesterday" });
    await service.core.pool.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'",
    );
    const reused = await post("old-key", { user: userId, message: "today" });
    expect(reused.statusCode).toBe(201);
    expect(reused.json().id).not.toBe(first.json().id);
    expect(reused.headers["idempotent-replayed"]).toBeUndefined();

    await service.core.pool.query(
      "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old-key'",
    );
    const forgotten = await forgetExpiredIdempotencyKeys(service.core);
    // The in-process worker's own housekeeping (at its start) may get there first.
    expect(forgotten).toBeLessThanOrEqual(1);
    const { rows } = await service.core.pool.query("SELECT 1 FROM idempotency_keys WHERE key = 'old-key'");
    expect(rows).toHaveLength(0);
  });

  it("documents the header in the OpenAPI document", async () => {
    const document = (await service.inject({ method: "GET", url: "/openapi.json" })).json();
    const parameters = document.paths["/api/notifications/"].post.parameters as {
      name: string;
      in: string;
    }[];
    expect(parameters).toContainEqual(expect.objectContaining({ name: "idempotency-key", in: "header" }));
  });
});
