/**
 * A notification's metadata, the caller's own labels: stored as given, shown, found by
 * ?metadata=key:value, sent in webhooks, copied from a broadcast, and refused clearly when malformed.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("notification metadata", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let userId: number;
  let run = 0;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({
      env: providers.env({
        MAX_RETRIES: "0",
        CHANNEL_ORDER: "sms",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      }),
    });
    userId = (
      await service.createUser({
        email: "labels@example.com",
        password: "long enough",
        phone_number: "+79995000001",
      })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => {
    providers.reset();
    run++;
  });

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    service.inject({ method: "POST", url, payload: payload as Record<string, unknown>, headers });
  const get = (url: string) => service.inject({ method: "GET", url });
  const waitForStatus = (id: number, status: string) =>
    waitFor(`notification ${id} to be ${status}`, async () => {
      const body = (await get(`/api/notifications/${id}/`)).json();
      return body.status === status ? body : undefined;
    });

  it("stores the labels, shows them, finds by them, and sends them in webhooks; never to the recipient", async () => {
    const hook = await post("/api/webhooks/", {
      url: "http://127.0.0.1:9/hook",
      events: ["notification.sent"],
    });
    expect(hook.statusCode, hook.body).toBe(201);
    try {
      const order = `A-${run}042`;
      const created = await post("/api/notifications/", {
        user: userId,
        message: "Your order has shipped",
        metadata: { order_id: order, "tenant.name": "acme:eu" },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().metadata).toEqual({ order_id: order, "tenant.name": "acme:eu" });
      const other = await post("/api/notifications/", { user: userId, message: "Your order has shipped" });
      expect(other.json().metadata).toBeNull();

      const sent = await waitForStatus(created.json().id, "sent");
      expect(sent.metadata).toEqual({ order_id: order, "tenant.name": "acme:eu" });
      const sms = providers.smsRu.messages.find((m) => m.text === "Your order has shipped");
      expect(JSON.stringify(sms?.request)).not.toContain(order);

      const found = (await get(`/api/notifications/?metadata=order_id:${order}`)).json();
      expect(found.results.map((n: { id: number }) => n.id)).toEqual([created.json().id]);
      // The value may hold colons: only the first separates it from the key.
      const byTenant = (await get("/api/notifications/?metadata=tenant.name:acme:eu")).json();
      expect(byTenant.results.map((n: { id: number }) => n.id)).toContain(created.json().id);
      expect((await get("/api/notifications/?metadata=order_id:nope")).json().count).toBe(0);

      const payload = await waitFor("the webhook event", async () => {
        const { rows } = await service.core.pool.query<{
          payload: { data: { notification: { metadata: unknown } } };
        }>("SELECT payload FROM webhook_events WHERE notification_id = $1 AND type = 'notification.sent'", [
          created.json().id,
        ]);
        return rows[0]?.payload;
      });
      expect(payload.data.notification.metadata).toEqual({ order_id: order, "tenant.name": "acme:eu" });
    } finally {
      await service.inject({ method: "DELETE", url: `/api/webhooks/${hook.json().id}/` });
    }
  });

  it("gives each of a tick's creates its own labels, and the same labels in another order are the same request", async () => {
    // The same message to the same user at once: one INSERT stores them, and each request must get
    // back the row with its own labels.
    const responses = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        post("/api/notifications/", {
          user: userId,
          message: `same text ${run}`,
          metadata: { n: String(i) },
        }),
      ),
    );
    expect(responses.map((r) => r.json().metadata)).toEqual(
      Array.from({ length: 12 }, (_, i) => ({ n: String(i) })),
    );
    expect(new Set(responses.map((r) => r.json().id)).size).toBe(12);

    const key = `labels-${run}`;
    const first = await post(
      "/api/notifications/",
      { user: userId, message: "keyed", metadata: { a: "1", b: "2" } },
      { "idempotency-key": key },
    );
    const again = await post(
      "/api/notifications/",
      { user: userId, message: "keyed", metadata: { b: "2", a: "1" } },
      { "idempotency-key": key },
    );
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json().id).toBe(first.json().id);
    const changed = await post(
      "/api/notifications/",
      { user: userId, message: "keyed", metadata: { a: "1", b: "3" } },
      { "idempotency-key": key },
    );
    expect(changed.statusCode).toBe(409);

    const bulk = await post("/api/notifications/bulk/", {
      notifications: [
        { user: userId, message: "bulk labels", metadata: { row: "1" } },
        { user: userId, message: "bulk labels" },
      ],
    });
    expect(bulk.statusCode, bulk.body).toBe(201);
    expect(bulk.json().results.map((n: { metadata: unknown }) => n.metadata)).toEqual([{ row: "1" }, null]);
  });

  it("copies a broadcast's labels to each notification it fans out", async () => {
    const other = await service.createUser({ email: `labels-${run}@example.com`, password: "long enough" });
    const response = await post("/api/broadcasts/", {
      users: [userId, other.id],
      message: `broadcast ${run}`,
      metadata: { campaign: `c${run}` },
    });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json().metadata).toEqual({ campaign: `c${run}` });
    const page = await waitFor("the broadcast's notifications", async () => {
      const listed = (await get(`/api/notifications/?broadcast=${response.json().id}`)).json();
      return listed.count === 2 ? listed : undefined;
    });
    expect(page.results.map((n: { metadata: unknown }) => n.metadata)).toEqual([
      { campaign: `c${run}` },
      { campaign: `c${run}` },
    ]);
  });

  it("says what is wrong with malformed labels, and stores nothing", async () => {
    const tooMany = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, "v"]));
    const cases: [unknown, string][] = [
      [["order", "1"], "metadata"],
      [{ order_id: { nested: "1042" } }, "metadata"],
      [{ "has space": "x" }, "metadata"],
      [{ ["k".repeat(41)]: "x" }, "metadata"],
      [{ note: "x".repeat(501) }, "metadata"],
      [{ note: "nul\u0000" }, ""],
      [{ note: "half \ud800 a pair" }, "metadata"],
      [tooMany, "metadata"],
    ];
    for (const [metadata, field] of cases) {
      const response = await post("/api/notifications/", {
        user: userId,
        message: `bad labels ${run}`,
        metadata,
      });
      expect(response.statusCode, `${JSON.stringify(metadata).slice(0, 60)}: ${response.body}`).toBe(400);
      if (field) expect(Object.keys(response.json()).join(" "), response.body).toMatch(/^metadata/);
    }
    expect((await get(`/api/notifications/?search=bad%20labels%20${run}`)).json().count).toBe(0);

    for (const filter of ["order_id", ":x", "bad key:1"]) {
      const response = await get(`/api/notifications/?metadata=${encodeURIComponent(filter)}`);
      expect(response.statusCode, filter).toBe(400);
      expect(Object.keys(response.json())).toEqual(["metadata"]);
    }
  });
});
