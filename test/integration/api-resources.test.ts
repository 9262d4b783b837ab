import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.js";

describe("the REST API's resources", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("creates a user, normalises contacts, never returns the password, and reads it back", async () => {
    const response = await service.inject({
      method: "POST",
      url: "/api/users/create/",
      payload: {
        email: "Robert@Example.com",
        password: "a secret password",
        first_name: "Robert",
        last_name: "Mukushev",
        phone_number: "8 (999) 000-11-22",
        telegram_id: 123456789,
      },
    });
    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(user).toEqual({
      id: expect.any(Number),
      email: "Robert@Example.com",
      first_name: "Robert",
      last_name: "Mukushev",
      phone_number: "+79990001122",
      telegram_id: "123456789",
      locale: null,
      timezone: null,
      quiet_hours: null,
    });
    expect(response.body).not.toContain("a secret password");
    for (const url of [`/api/users/${user.id}/`, `/api/users/${user.id}`]) {
      const read = await service.inject({ method: "GET", url });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(user);
    }
    const stored = await service.core.pool.query("SELECT password_hash FROM users WHERE id = $1", [user.id]);
    expect(stored.rows[0].password_hash).toMatch(/^scrypt\$/);
    expect(stored.rows[0].password_hash).not.toContain("a secret password");
  });

  it("accepts group chat ids with a leading minus and leaves optional contacts empty", async () => {
    const user = await service.createUser({
      email: "group@example.com",
      password: "a secret password",
      telegram_id: "-1001234567890",
    });
    expect(user).toMatchObject({
      telegram_id: "-1001234567890",
      phone_number: null,
      first_name: "",
      last_name: "",
    });
  });

  it("serves every path with and without the trailing slash, and the original's aliases", async () => {
    const user = await service.createUser({ email: "paths@example.com", password: "a secret password" });
    for (const url of [
      "/api/notifications/",
      "/api/notifications",
      "/api/notifications/create/",
      "/api/notifications/create",
    ]) {
      const response = await service.inject({
        method: "POST",
        url,
        payload: { user: user.id, message: `via ${url}` },
      });
      expect(response.statusCode, url).toBe(201);
      expect(response.json(), url).toMatchObject({
        status: "pending",
        retry_count: 0,
        last_channel: null,
        sent_at: null,
      });
    }
    const users = await service.inject({
      method: "POST",
      url: "/api/users",
      payload: { email: "noslash@example.com", password: "a secret password" },
    });
    expect(users.statusCode).toBe(201);
  });

  it("creates a notification with its own channels and subject, and shows them", async () => {
    const user = await service.createUser({ email: "channels@example.com", password: "a secret password" });
    const created = await service.createNotification({
      user: user.id,
      message: "hello",
      subject: "Greetings",
      channels: ["telegram", "email"],
    });
    expect(created).toMatchObject({ channels: ["telegram", "email"], subject: "Greetings", attempts: [] });
    expect(Date.parse(String(created.created_at))).not.toBeNaN();
    const read = await service.getNotification(created.id);
    expect(read).toMatchObject({
      id: created.id,
      status: "pending",
      channels: ["telegram", "email"],
      attempts: [],
    });
    expect(read.next_attempt_at).not.toBeNull();
  });

  it("answers a create with the very bytes and headers a read of the new notification gives", async () => {
    const user = await service.createUser({ email: "bytes@example.com", password: "a secret password" });
    const bodies = [
      { user: user.id, message: 'plain "quoted" ünï 😀' },
      {
        user: user.id,
        message: "every field",
        subject: "Greetings",
        channels: ["sms", "email"],
        priority: "critical",
        category: "news",
        ttl_seconds: 2 * 86_400,
        send_at: new Date(Date.now() + 86_400_000).toISOString(),
      },
    ];
    for (const payload of bodies) {
      const created = await service.inject({ method: "POST", url: "/api/notifications/", payload });
      expect(created.statusCode, created.body).toBe(201);
      const read = await service.inject({ method: "GET", url: `/api/notifications/${created.json().id}/` });
      expect(created.body).toBe(read.body);
      // The same headers in the same order, with the same values but for the time and the rate limit's count.
      const steady = (headers: Record<string, unknown>) =>
        Object.entries(headers).filter(
          ([name]) => !["date", "x-ratelimit-remaining", "x-ratelimit-reset"].includes(name),
        );
      expect(steady(created.headers)).toEqual(steady(read.headers));
    }
  });

  it("answers each of many concurrent creates with its own notification, and refuses only unknown users", async () => {
    const user = await service.createUser({ email: "concurrent@example.com", password: "a secret password" });
    const bodies = Array.from({ length: 60 }, (_, i) =>
      i % 10 === 3
        ? { user: 987654321, message: `lost ${i}` }
        : {
            user: user.id,
            message: i % 7 === 0 ? "same text" : `message ${i}`,
            channels: i % 2 ? ["email"] : undefined,
          },
    );
    const responses = await Promise.all(
      bodies.map((payload) => service.inject({ method: "POST", url: "/api/notifications/", payload })),
    );
    const ids = new Set<number>();
    responses.forEach((response, i) => {
      const body = bodies[i]!;
      if (body.user !== user.id) {
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({ user: ['Invalid pk "987654321" - object does not exist.'] });
        return;
      }
      expect(response.statusCode).toBe(201);
      const created = response.json();
      expect(created).toMatchObject({
        user: user.id,
        message: body.message,
        channels: body.channels ?? null,
      });
      ids.add(created.id);
    });
    expect(ids.size).toBe(54);
    const stored = await service.core.pool.query(
      "SELECT count(*)::int AS n FROM notifications WHERE user_id = $1",
      [user.id],
    );
    expect(stored.rows[0].n).toBe(54);
  });

  it("lists notifications newest first, filtered by user and status, paginated", async () => {
    const alice = await service.createUser({ email: "alice@example.com", password: "a secret password" });
    const bob = await service.createUser({ email: "bob@example.com", password: "a secret password" });
    const ids: number[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await service.createNotification({ user: alice.id, message: `a${i}` })).id);
    await service.createNotification({ user: bob.id, message: "b" });

    const page1 = await service.inject({
      method: "GET",
      url: `/api/notifications/?user=${alice.id}&page_size=2`,
    });
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json();
    expect(body1.count).toBe(5);
    expect(body1.results.map((n: { id: number }) => n.id)).toEqual([ids[4], ids[3]]);
    expect(body1.previous).toBeNull();
    expect(body1.next).toMatch(/^http:\/\/[^/]+\/api\/notifications\/\?.*page=2/);
    expect(new URL(body1.next).searchParams.get("user")).toBe(String(alice.id));

    const page3 = (
      await service.inject({
        method: "GET",
        url: `/api/notifications/?user=${alice.id}&page_size=2&page=3`,
      })
    ).json();
    expect(page3.results.map((n: { id: number }) => n.id)).toEqual([ids[0]]);
    expect(page3.next).toBeNull();
    expect(page3.previous).toMatch(/page=2/);

    const beyond = await service.inject({
      method: "GET",
      url: `/api/notifications/?user=${alice.id}&page=9`,
    });
    expect(beyond.statusCode).toBe(404);

    const pending = (
      await service.inject({ method: "GET", url: `/api/notifications/?status=pending&user=${bob.id}` })
    ).json();
    expect(pending.count).toBe(1);
    const sent = (
      await service.inject({ method: "GET", url: `/api/notifications/?status=sent&user=${bob.id}` })
    ).json();
    expect(sent).toEqual({ count: 0, count_exact: true, next: null, previous: null, results: [] });

    const unfiltered = (
      await service.inject({ method: "GET", url: "/api/notifications/?user=&status=" })
    ).json();
    expect(unfiltered.count).toBeGreaterThanOrEqual(6);
    expect(unfiltered.results.length).toBeLessThanOrEqual(50);
  });

  it("serves interactive docs at / and an OpenAPI document generated from the request schemas", async () => {
    const docs = await service.inject({ method: "GET", url: "/" });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers["content-type"]).toMatch(/text\/html/);
    expect(docs.body).toContain("/openapi.json");
    // "Try it" goes to the origin the page was opened at, not the document's 127.0.0.1 or PUBLIC_URL.
    const configuration = JSON.parse(
      /createApiReference\('#app', (\{[\s\S]*?\})\)\s*<\/script>/.exec(docs.body)?.[1] ?? "null",
    );
    expect(configuration).toMatchObject({ url: "/openapi.json", servers: [{ url: "/" }] });

    const openapi = await service.inject({ method: "GET", url: "/openapi.json" });
    expect(openapi.statusCode).toBe(200);
    const document = openapi.json();
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        "/api/users/",
        "/api/users/{id}/",
        "/api/notifications/",
        "/api/notifications/{id}/",
      ]),
    );
    const createBody =
      document.paths["/api/notifications/"].post.requestBody.content["application/json"].schema;
    // message or template: the use case requires one of them, not the schema.
    expect(createBody.required).toEqual(["user"]);
    expect(Object.keys(createBody.properties)).toEqual(
      expect.arrayContaining(["user", "message", "subject", "channels", "template", "data", "send_at"]),
    );
    expect(document.paths["/api/users/create/"]).toBeUndefined();
  });
});
