import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.js";

/** Values a careless or hostile client might send in any field. */
const junkValue = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.integer(),
  fc.double(),
  fc.bigInt().map((n) => n.toString()),
  fc.constantFrom(
    "' OR 1=1; --",
    "Robert'); DROP TABLE users;--",
    "<script>alert(1)</script>",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a log4shell probe, literally
    "${jndi:ldap://x}",
    "\u0000",
    "-0",
    "1e400",
    "NaN",
    "__proto__",
    "+79990001122",
    "a@b.co",
    "sms",
  ),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 5 }),
  fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
);

const FIELDS = [
  "email",
  "password",
  "first_name",
  "last_name",
  "phone_number",
  "telegram_id",
  "user",
  "message",
  "subject",
  "channels",
  "__proto__",
  "constructor",
];
const junkBody = fc.oneof(
  fc.dictionary(fc.constantFrom(...FIELDS), junkValue, { maxKeys: 8 }),
  fc.jsonValue({ maxDepth: 6 }),
  fc.string().map((text) => ({ raw: text })),
);
const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "",
);
const pathId = fc.oneof(
  fc.nat().map(String),
  fc.string({ maxLength: 30 }),
  fc.constantFrom("0", "-1", "1.5", "9".repeat(40), "%00", "..%2f"),
);
const queryValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.nat().map(String),
  fc.constantFrom("-1", "0", "9".repeat(30)),
);

describe("generated junk sent to every endpoint", () => {
  let service: TestService;
  let validUserId: number;
  const counts = async () =>
    (
      await service.core.pool.query<{ users: number; notifications: number }>(
        "SELECT (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM notifications) AS notifications",
      )
    ).rows[0]!;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
    validUserId = (
      await service.createUser({ email: "target@example.com", password: "long enough password" })
    ).id;
  });
  afterAll(async () => {
    await service?.close();
  });

  it("never answers 5xx, and writes nothing when it rejects", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(
          "/api/users/",
          "/api/users/create/",
          "/api/notifications/",
          "/api/notifications/create/",
        ),
        junkBody,
        contentType,
        fc.boolean(),
        async (url, body, type, withUser) => {
          const payload =
            typeof body === "object" && body !== null && "raw" in body && typeof body.raw === "string"
              ? body.raw
              : JSON.stringify(
                  withUser && typeof body === "object" && body && !Array.isArray(body)
                    ? { user: validUserId, ...body }
                    : body,
                );
          const before = await counts();
          const response = await service.inject({
            method: "POST",
            url,
            payload,
            headers: type ? { "content-type": type } : {},
          });
          expect(response.statusCode, `${url} ${payload.slice(0, 200)}`).toBeLessThan(500);
          expect(() => response.json()).not.toThrow();
          if (response.statusCode >= 400) expect(await counts()).toEqual(before);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("never answers 5xx to junk in paths and query strings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("users", "notifications"),
        pathId,
        fc.dictionary(fc.constantFrom("user", "status", "page", "page_size", "x"), queryValue, {
          maxKeys: 4,
        }),
        async (resource, id, query) => {
          const search = new URLSearchParams(query).toString();
          for (const url of [
            `/api/${resource}/${encodeURIComponent(id)}/`,
            `/api/notifications/?${search}`,
          ]) {
            const response = await service.inject({ method: "GET", url });
            expect(response.statusCode, url).toBeLessThan(500);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses null characters, which PostgreSQL text cannot hold, naming the field", async () => {
    const before = await counts();
    const cases: [string, Record<string, unknown>, string][] = [
      ["/api/notifications/", { user: validUserId, message: "a\u0000b" }, "message"],
      ["/api/notifications/", { user: validUserId, message: "ok", subject: "x\u0000" }, "subject"],
      ["/api/notifications/", { user: validUserId, message: "ok", channels: ["sms\u0000"] }, "channels"],
      ["/api/users/", { email: "nul@example.com", password: "long enough\u0000" }, "password"],
    ];
    for (const [url, payload, field] of cases) {
      const response = await service.inject({ method: "POST", url, payload });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ [field]: ["Null characters are not allowed."] });
    }
    expect(await counts()).toEqual(before);
  });

  it("refuses lone surrogates, which a jsonb column refuses and a text column turned into U+FFFD", async () => {
    const rows = async () =>
      (
        await service.core.pool.query<{ n: number }>(
          "SELECT (SELECT count(*) FROM notifications) + (SELECT count(*) FROM suppressions) + (SELECT count(*) FROM templates) AS n",
        )
      ).rows[0]!.n;
    const before = await rows();
    const cases: [string, string, string][] = [
      ["/api/notifications/", `{"user": ${validUserId}, "message": "a\\ud800b"}`, "message"],
      ["/api/suppressions/", '{"channel": "email", "address": "a@example.com", "note": "\\udfff"}', "note"],
      [
        "/api/templates/",
        '{"key": "k", "default_locale": "en", "locales": {"en": {"sms": {"text": "hi \\ud83d"}}}}',
        "locales",
      ],
      ["/api/notifications/", `{"user": ${validUserId}, "message": "hi", "data": {"\\udc00": 1}}`, "data"],
    ];
    for (const [url, payload, field] of cases) {
      const response = await service.inject({
        method: "POST",
        url,
        payload,
        headers: { "content-type": "application/json" },
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json(), payload).toEqual({
        [field]: [expect.stringMatching(/^Surrogate characters are not allowed: U\+D[89A-F][0-9A-F]{2}\.$/)],
      });
    }
    expect(await rows()).toEqual(before);
    // A surrogate pair is one character, not a lone half: an emoji is still taken.
    const emoji = await service.createNotification({ user: validUserId, message: "ok \ud83d\ude00" });
    expect(emoji.message).toBe("ok 😀");
  });

  it("finds a null character or a lone surrogate however deep it is nested", async () => {
    const depth = 40;
    await service.inject({
      method: "POST",
      url: "/api/templates/",
      payload: {
        key: "deep",
        default_locale: "en",
        locales: { en: { sms: { text: `Code {{ data${".a".repeat(depth)} }}` } } },
      },
    });
    const before = await counts();
    for (const [leaf, problem] of [
      ['"\\u0000"', "Null characters are not allowed."],
      ['"\\ud800"', "Surrogate characters are not allowed: U+D800."],
    ]) {
      const data = `${'{"a":'.repeat(depth)}${leaf}${"}".repeat(depth)}`;
      const response = await service.inject({
        method: "POST",
        url: "/api/notifications/",
        payload: `{"user": ${validUserId}, "template": "deep", "data": ${data}}`,
        headers: { "content-type": "application/json" },
      });
      expect(response.statusCode, leaf).toBe(400);
      expect(response.json()).toEqual({ data: [problem] });
    }
    expect(await counts()).toEqual(before);
  });

  it("still serves ordinary requests afterwards", async () => {
    const created = await service.createNotification({ user: validUserId, message: "still alive" });
    expect(created.status).toBe("pending");
  });
});
