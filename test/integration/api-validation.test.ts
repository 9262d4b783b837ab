import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.js";

describe("the REST API's answers to bad input", () => {
  let service: TestService;
  let db: pg.Pool;
  let userId: number;

  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    service.inject({
      method: "POST",
      url,
      payload: typeof payload === "string" ? payload : JSON.stringify(payload),
      headers: { "content-type": "application/json", ...headers },
    });
  const rowCount = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

  beforeAll(async () => {
    service = await startTestService({ worker: false, env: { MAX_MESSAGE_LENGTH: "100" } });
    db = new pg.Pool({ connectionString: service.database.url, max: 1 });
    userId = (await service.createUser({ email: "taken@example.com", password: "long enough password" })).id;
  });
  afterAll(async () => {
    await db?.end();
    await service?.close();
  });

  it.each([
    [
      "malformed JSON",
      "/api/users/",
      "{not json",
      400,
      { detail: expect.stringMatching(/^JSON parse error/) },
    ],
    ["a JSON array instead of an object", "/api/users/", [], 400, { non_field_errors: [expect.any(String)] }],
    [
      "a missing email",
      "/api/users/",
      { password: "long enough password" },
      400,
      { email: ["This field is required."] },
    ],
    [
      "an empty email",
      "/api/users/",
      { email: "", password: "long enough password" },
      400,
      { email: ["This field may not be blank."] },
    ],
    [
      "an invalid email",
      "/api/users/",
      { email: "not-an-email", password: "long enough password" },
      400,
      { email: ["Enter a valid email address."] },
    ],
    [
      "a duplicate email, in other case",
      "/api/users/",
      { email: "TAKEN@example.com", password: "long enough password" },
      400,
      { email: ["user with this email already exists."] },
    ],
    [
      "a short password",
      "/api/users/",
      { email: "a@example.com", password: "short" },
      400,
      { password: [expect.stringMatching(/at least 8/)] },
    ],
    [
      "an invalid phone number",
      "/api/users/",
      { email: "b@example.com", password: "long enough password", phone_number: "12" },
      400,
      { phone_number: [expect.any(String)] },
    ],
    [
      "letters in a phone number",
      "/api/users/",
      { email: "b@example.com", password: "long enough password", phone_number: "+7999abc1122" },
      400,
      { phone_number: [expect.any(String)] },
    ],
    [
      "a non-numeric telegram_id",
      "/api/users/",
      { email: "c@example.com", password: "long enough password", telegram_id: "@bob" },
      400,
      { telegram_id: [expect.any(String)] },
    ],
    [
      "quiet hours that are no time of day",
      "/api/users/",
      {
        email: "e@example.com",
        password: "long enough password",
        quiet_hours: { start: "25:00", end: "7:30" },
      },
      400,
      {
        "quiet_hours.start": ["Enter a time of day as HH:MM, 24-hour (07:30, 22:00)."],
        "quiet_hours.end": ["Enter a time of day as HH:MM, 24-hour (07:30, 22:00)."],
      },
    ],
    [
      "an unknown field",
      "/api/users/",
      { email: "d@example.com", password: "long enough password", is_admin: true },
      400,
      { is_admin: ["Unknown field."] },
    ],
  ])("rejects %s when creating a user", async (_what, url, payload, status, body) => {
    const before = await rowCount("users");
    const response = await post(url, payload);
    expect(response.statusCode).toBe(status);
    expect(response.headers["content-type"]).toMatch(/application\/json/);
    expect(response.json()).toEqual(body);
    expect(await rowCount("users")).toBe(before);
  });

  it.each([
    ["a missing user", { message: "hi" }, { user: ["This field is required."] }],
    ["a non-numeric user", { user: "abc", message: "hi" }, { user: ["A valid integer is required."] }],
    [
      "an unknown user",
      { user: 999999, message: "hi" },
      { user: ['Invalid pk "999999" - object does not exist.'] },
    ],
    ["a missing message", { user: "USER" }, { message: ["This field is required."] }],
    ["an empty message", { user: "USER", message: "" }, { message: ["This field may not be blank."] }],
    ["a blank message", { user: "USER", message: "  \n " }, { message: ["This field may not be blank."] }],
    [
      "an over-long message",
      { user: "USER", message: "x".repeat(101) },
      { message: ["Ensure this field has no more than 100 characters."] },
    ],
    [
      "an unknown channel",
      { user: "USER", message: "hi", channels: ["sms", "pigeon"] },
      { channels: [expect.stringMatching(/pigeon/)] },
    ],
    [
      "a repeated channel",
      { user: "USER", message: "hi", channels: ["sms", "sms"] },
      { channels: ["Each channel may appear only once."] },
    ],
    [
      "an empty channel list",
      { user: "USER", message: "hi", channels: [] },
      { channels: [expect.any(String)] },
    ],
    [
      "channels that are not a list",
      { user: "USER", message: "hi", channels: "sms" },
      { channels: [expect.any(String)] },
    ],
    [
      "an unknown field",
      { user: "USER", message: "hi", importance: "high" },
      { importance: ["Unknown field."] },
    ],
    // 0, "" and false are not null: read as null, each of these was stored without an expiry.
    [
      "a ttl of 0 seconds",
      { user: "USER", message: "hi", ttl_seconds: 0 },
      { ttl_seconds: ["Ensure this value is at least 1."] },
    ],
    [
      "an empty expires_at",
      { user: "USER", message: "hi", expires_at: "" },
      { expires_at: ['Give an RFC 3339 time with an offset, e.g. "2026-12-01T09:00:00+03:00".'] },
    ],
    [
      "an empty channel list as a string",
      { user: "USER", message: "hi", channels: "" },
      { channels: ["Expected array."] },
    ],
    // Ajv's coercion read true as 1 and "0x1" as 1: both were sent to user 1.
    ["a user given as true", { user: true, message: "hi" }, { user: ["A valid integer is required."] }],
    ["a user id in hex", { user: "0x1", message: "hi" }, { user: ["A valid integer is required."] }],
    ["a user id as an exponent", { user: "1e0", message: "hi" }, { user: ["A valid integer is required."] }],
    ["a user that is null", { user: null, message: "hi" }, { user: ["This field may not be null."] }],
    ["a message given as true", { user: "USER", message: true }, { message: ["Not a valid string."] }],
    [
      "a priority that is none",
      { user: "USER", message: "hi", priority: "urgent" },
      { priority: ["Select a valid choice: normal, critical."] },
    ],
    [
      "a send_at with an offset past 23:59",
      { user: "USER", message: "hi", send_at: "2030-01-01T00:00:00+99:99" },
      { send_at: ['Give an RFC 3339 time with an offset, e.g. "2026-12-01T09:00:00+03:00".'] },
    ],
    [
      "a send_at in the year 0000",
      { user: "USER", message: "hi", send_at: "0000-01-01T00:00:00Z" },
      { send_at: ['Give an RFC 3339 time with an offset, e.g. "2026-12-01T09:00:00+03:00".'] },
    ],
  ])("rejects %s when creating a notification", async (_what, payload, body) => {
    const before = await rowCount("notifications");
    const resolved = JSON.parse(JSON.stringify(payload).replace('"USER"', String(userId)));
    const response = await post("/api/notifications/", resolved);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(body);
    expect(await rowCount("notifications")).toBe(before);
  });

  it.each([
    [
      "a bulk item's non-numeric user",
      "/api/notifications/bulk/",
      {
        notifications: [
          { user: "USER", message: "hi" },
          { user: "abc", message: "hi" },
        ],
      },
      { "notifications.1.user": ["A valid integer is required."] },
    ],
    [
      "a bulk item's unknown field",
      "/api/notifications/bulk/",
      { notifications: [{ user: "USER", message: "hi", importance: "high" }] },
      { "notifications.0.importance": ["Unknown field."] },
    ],
    [
      "a bulk item's channels that are not a list",
      "/api/notifications/bulk/",
      {
        notifications: [
          { user: "USER", message: "hi" },
          { user: "USER", message: "hi", channels: "sms" },
        ],
      },
      { "notifications.1.channels": ["Expected array."] },
    ],
    [
      "an unknown channel in preferences",
      "/api/users/USER/preferences/",
      { channels: { fax: false }, categories: {} },
      { "channels.fax": ["Unknown field."] },
    ],
    [
      "an unknown channel in a category's preferences",
      "/api/users/USER/preferences/",
      { channels: {}, categories: { marketing: { fax: false } } },
      { "categories.marketing.fax": ["Unknown field."] },
    ],
    [
      "an email body without its text in a template",
      "/api/templates/",
      { key: "nested", default_locale: "en", locales: { en: { email: { subject: "Hi" } } } },
      { "locales.en.email.text": ["This field is required."] },
    ],
  ])("names %s by its path", async (_what, url, payload, body) => {
    const resolved = JSON.parse(JSON.stringify(payload).replaceAll('"USER"', String(userId)));
    const response = await service.inject({
      method: url.endsWith("/preferences/") ? "PUT" : "POST",
      url: url.replace("USER", String(userId)),
      payload: resolved,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(body);
  });

  it("still takes null for a field that may be null, and a number written as a string", async () => {
    const response = await post("/api/notifications/", {
      user: String(userId),
      message: "hi",
      ttl_seconds: null,
      expires_at: null,
      channels: null,
      priority: null,
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({
      user: userId,
      expires_at: null,
      channels: null,
      priority: "normal",
    });
  });

  it("reads an empty application/json body as no body: an action taking none works, a create is a 400", async () => {
    const created = await post("/api/notifications/", {
      user: userId,
      message: "hi",
      send_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    const cancelled = await post(`/api/notifications/${created.json().id}/cancel/`, "");
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({ status: "cancelled" });
    const suppression = await post("/api/suppressions/", { channel: "email", address: "gone@example.com" });
    const lifted = await service.inject({
      method: "DELETE",
      url: `/api/suppressions/${suppression.json().id}/`,
      headers: { "content-type": "application/json" },
      payload: "",
    });
    expect(lifted.statusCode).toBe(200);
    const before = await rowCount("users");
    const empty = await post("/api/users/", "");
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toEqual({ non_field_errors: [expect.any(String)] });
    expect(await rowCount("users")).toBe(before);
  });

  it("counts a message's length in characters, not bytes or UTF-16 units", async () => {
    const response = await post("/api/notifications/", { user: userId, message: "😀".repeat(100) });
    expect(response.statusCode).toBe(201);
  });

  it("answers 413 for a body over the limit, and writes nothing", async () => {
    const before = await rowCount("notifications");
    const response = await post("/api/notifications/", { user: userId, message: "x".repeat(70 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ detail: expect.any(String) });
    expect(await rowCount("notifications")).toBe(before);
  });

  it("answers 415 for a body that is not JSON", async () => {
    const response = await post("/api/users/", "email=a@b.c", { "content-type": "text/plain" });
    expect(response.statusCode).toBe(415);
    expect(response.json().detail).toMatch(/Unsupported media type/);
  });

  it("answers 400 for a non-numeric id in the path and 404 for an id that does not exist", async () => {
    for (const url of ["/api/notifications/abc/", "/api/users/abc/", "/api/notifications/1.5/"]) {
      const response = await service.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toEqual({ id: [expect.any(String)] });
    }
    for (const url of ["/api/notifications/424242/", "/api/users/424242/", "/api/notifications/424242"]) {
      const response = await service.inject({ method: "GET", url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json(), url).toEqual({ detail: expect.any(String) });
    }
  });

  it("answers 400 for a path id that JavaScript reads as a number but is no whole decimal number", async () => {
    // "Infinity" reached PostgreSQL as a 500; "0x1" and "1e0" were read as user 1.
    for (const id of ["Infinity", "-Infinity", "1e400", "0x1", "1e0", "%201", "1.0"]) {
      for (const [method, url] of [
        ["GET", `/api/users/${id}/`],
        ["GET", `/api/notifications/${id}/`],
        ["POST", `/api/notifications/${id}/cancel/`],
        ["DELETE", `/api/users/${id}/`],
      ] as const) {
        const response = await service.inject({ method, url });
        expect(response.statusCode, `${method} ${url}`).toBe(400);
        expect(response.json(), `${method} ${url}`).toEqual({ id: ["A valid integer is required."] });
      }
    }
    expect(await rowCount("users")).toBeGreaterThan(0);
  });

  it("refuses null for a field that is not nullable, instead of storing false or an empty string", async () => {
    const preferencesUrl = `/api/users/${userId}/preferences/`;
    expect((await service.inject({ method: "GET", url: preferencesUrl })).json().channels).toEqual({});
    const preferences = await service.inject({
      method: "PUT",
      url: preferencesUrl,
      payload: { channels: { sms: null }, categories: { marketing: { email: null } } },
    });
    expect(preferences.statusCode).toBe(400);
    expect(preferences.json()).toEqual({
      "channels.sms": ["This field may not be null."],
      "categories.marketing.email": ["This field may not be null."],
    });
    expect((await service.inject({ method: "GET", url: preferencesUrl })).json()).toEqual({
      channels: {},
      categories: {},
    });
    const named = await service.inject({
      method: "PATCH",
      url: `/api/users/${userId}/`,
      payload: { first_name: "Ann" },
    });
    expect(named.statusCode).toBe(200);
    const unnamed = await service.inject({
      method: "PATCH",
      url: `/api/users/${userId}/`,
      payload: { first_name: null, last_name: true },
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json()).toEqual({
      first_name: ["This field may not be null."],
      last_name: ["Not a valid string."],
    });
    expect((await service.inject({ method: "GET", url: `/api/users/${userId}/` })).json()).toMatchObject({
      first_name: "Ann",
      last_name: "",
    });
  });

  it("says an empty list may not be empty, rather than quoting the schema", async () => {
    for (const [url, payload, field] of [
      ["/api/broadcasts/", { users: [], message: "hi" }, "users"],
      ["/api/notifications/bulk/", { notifications: [] }, "notifications"],
      ["/api/webhooks/", { url: "https://example.com/hook", events: [] }, "events"],
    ] as const) {
      const response = await post(url, payload);
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toEqual({ [field]: ["This list may not be empty."] });
    }
  });

  it("names a path or query value holding a null character, before PostgreSQL refuses it", async () => {
    for (const [url, field] of [
      ["/api/templates/a%00b/", "key"],
      ["/api/templates/a%00b/render/", "key"],
      ["/api/notifications/?search=a%00b", "search"],
    ] as const) {
      const response = await service.inject({ method: url.endsWith("render/") ? "POST" : "GET", url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json(), url).toEqual({ [field]: ["Null characters are not allowed."] });
    }
  });

  it("answers 400 for a query parameter given twice, naming it", async () => {
    for (const name of ["status", "user", "page_size"]) {
      const response = await service.inject({
        method: "GET",
        url: `/api/notifications/?${name}=1&${name}=2`,
      });
      expect(response.statusCode, name).toBe(400);
      expect(response.json()).toEqual({ [name]: ["Give this parameter once."] });
    }
  });

  it("answers a URL the router cannot read in the API's error shape, without echoing the path", async () => {
    const badEscape = await service.inject({ method: "GET", url: "/u/secret-token-%E0%A4%A/" });
    expect(badEscape.statusCode).toBe(400);
    expect(badEscape.json()).toEqual({ detail: expect.stringMatching(/percent-escape/) });
    const longSegment = await service.inject({ method: "GET", url: `/u/secret-token-${"x".repeat(300)}` });
    expect(longSegment.statusCode).toBe(414);
    expect(longSegment.json()).toEqual({ detail: "A part of the path is too long." });
    for (const response of [badEscape, longSegment]) expect(response.body).not.toContain("secret-token");
  });

  it("says where JSON breaks without quoting the body, and why valid JSON with __proto__ is refused", async () => {
    const broken = await post("/api/users/", '{"email": "a@example.com", "password": "hunter2 secret" x}');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toEqual({
      detail: "JSON parse error - Expected ',' or '}' after property value in JSON at position 56.",
    });
    const quoted = await post("/api/users/", "hunter2");
    expect(quoted.json()).toEqual({ detail: "JSON parse error - Body is not valid JSON." });
    const poisoned = await post(
      "/api/users/",
      '{"email": "p@example.com", "password": "long enough password", "__proto__": {"x": 1}}',
    );
    expect(poisoned.statusCode).toBe(400);
    expect(poisoned.json()).toEqual({
      detail:
        'JSON parse error - Body has a "__proto__" or "constructor.prototype" key, which is not accepted.',
    });
  });

  it("answers 404 with JSON for an unknown path, whatever the method", async () => {
    for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"] as const) {
      for (const url of ["/api/nothing-here/", "/api/notifications/1/2/3/", "/nothing"]) {
        const response = await service.inject({ method, url });
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json()).toEqual({ detail: "Not found." });
        expect(response.headers.allow, `${method} ${url}`).toBeUndefined();
      }
    }
  });

  it.each([
    ["PUT", "/api/notifications/", "GET, HEAD, POST"],
    ["DELETE", "/api/notifications/", "GET, HEAD, POST"],
    // The spellings the router already takes: no trailing slash, a query string.
    ["PUT", "/api/notifications", "GET, HEAD, POST"],
    ["PATCH", "/api/notifications/?status=pending", "GET, HEAD, POST"],
    ["PATCH", "/api/notifications/123/", "GET, HEAD"],
    ["POST", "/api/notifications/123", "GET, HEAD"],
    ["GET", "/api/notifications/123/cancel/", "POST"],
    ["PATCH", "/api/templates/otp/", "GET, HEAD, PUT, DELETE"],
    ["DELETE", "/api/users/", "GET, HEAD, POST"],
    ["POST", "/openapi.json", "GET, HEAD"],
    ["DELETE", "/healthz", "GET, HEAD"],
  ] as const)("answers %s %s with 405, Allow: %s, and changes nothing", async (method, url, allow) => {
    const before = await rowCount("notifications");
    const response = await service.inject({ method, url });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.json()).toEqual({ detail: `Method "${method}" not allowed.` });
    expect(await rowCount("notifications")).toBe(before);
  });

  it("answers a wrong method 405 before looking at its body, as Django REST Framework does", async () => {
    for (const [payload, contentType] of [
      ["{not json", "application/json"],
      ["email=a@b.c", "text/plain"],
      [JSON.stringify({ message: "x".repeat(70 * 1024) }), "application/json"],
    ]) {
      const response = await service.inject({
        method: "PUT",
        url: "/api/notifications/",
        payload,
        headers: { "content-type": contentType },
      });
      expect(response.statusCode, contentType).toBe(405);
      expect(response.json()).toEqual({ detail: 'Method "PUT" not allowed.' });
    }
  });

  it("answers HEAD wherever GET is answered, 405 on a path without GET (as GET gets), 404 on no path", async () => {
    const head = await service.inject({ method: "HEAD", url: "/api/notifications/" });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe("");
    const postOnly = await service.inject({ method: "HEAD", url: "/api/webhooks/1/test/" });
    expect(postOnly.statusCode).toBe(405);
    expect(postOnly.headers.allow).toBe("POST");
    expect((await service.inject({ method: "HEAD", url: "/api/nothing-here/" })).statusCode).toBe(404);
  });

  it("answers OPTIONS 404 as before when CORS is off, so it says nothing about which paths exist", async () => {
    for (const url of ["/api/notifications/", "/api/nothing-here/"]) {
      const response = await service.app.inject({ method: "OPTIONS", url });
      expect(response.statusCode, url).toBe(404);
      expect(response.json()).toEqual({ detail: "Not found." });
    }
  });
});
