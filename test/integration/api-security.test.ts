import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Config, ConfigError, parseConfig } from "../../src/config.js";
import { ensureApiAccess } from "../../src/entry/http/api-access.js";
import { createApiKey, revokeApiKey } from "../../src/usecases/api-keys.js";
import { startTestService, type TestService } from "../support/test-service.js";

const ENDPOINTS = [
  { method: "POST", url: "/api/users/", payload: { email: "x@example.com", password: "long enough pw" } },
  {
    method: "POST",
    url: "/api/users/create/",
    payload: { email: "x@example.com", password: "long enough pw" },
  },
  { method: "GET", url: "/api/users/1/" },
  { method: "POST", url: "/api/notifications/", payload: { user: 1, message: "hi" } },
  { method: "POST", url: "/api/notifications/create/", payload: { user: 1, message: "hi" } },
  { method: "GET", url: "/api/notifications/" },
  { method: "GET", url: "/api/notifications/1/" },
] as const;

describe("API authentication", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await service?.close();
  });

  const countRows = async () =>
    (
      await service.core.pool.query(
        "SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM notifications) AS n",
      )
    ).rows[0].n;

  it.each(ENDPOINTS)(
    "refuses $method $url without a key, with a wrong key and with a revoked key",
    async (endpoint) => {
      const { key, apiKey } = await createApiKey(service.core, "to be revoked");
      await revokeApiKey(service.core, apiKey.id);
      const before = await countRows();
      for (const authorization of [
        undefined,
        "Bearer wrong-key",
        `Bearer ${key}`,
        `Basic ${service.apiKey}`,
        "Bearer",
      ]) {
        const response = await service.app.inject({
          ...endpoint,
          headers: authorization === undefined ? {} : { authorization },
        });
        expect(response.statusCode, `${authorization}`).toBe(401);
        expect(response.json()).toEqual({ detail: expect.any(String) });
        expect(response.headers["www-authenticate"]).toMatch(/^Bearer/);
      }
      expect(await countRows()).toBe(before);
    },
  );

  it("accepts a key from API_KEYS and a key created for the CLI, which works until it is revoked", async () => {
    const fromEnvironment = await service.app.inject({
      method: "GET",
      url: "/api/notifications/",
      headers: { authorization: `Bearer ${service.apiKey}` },
    });
    expect(fromEnvironment.statusCode).toBe(200);

    const { key, apiKey } = await createApiKey(service.core, "integration");
    expect(key).toMatch(/^nsk_/);
    const stored = await service.core.pool.query("SELECT key_prefix, key_hash FROM api_keys WHERE id = $1", [
      apiKey.id,
    ]);
    expect(JSON.stringify(stored.rows)).not.toContain(key);
    const headers = { authorization: `Bearer ${key}` };
    expect(
      (await service.app.inject({ method: "GET", url: "/api/notifications/", headers })).statusCode,
    ).toBe(200);
    await revokeApiKey(service.core, apiKey.id);
    expect(
      (await service.app.inject({ method: "GET", url: "/api/notifications/", headers })).statusCode,
    ).toBe(401);
  });

  it("answers a wrong method without a valid key 401, exactly as an unknown path: no Allow, nothing of the route", async () => {
    for (const authorization of [undefined, "Bearer wrong-key"]) {
      const headers = authorization === undefined ? {} : { authorization };
      const unknownPath = await service.app.inject({ method: "PUT", url: "/api/nothing-here/", headers });
      const wrongMethod = await service.app.inject({ method: "PUT", url: "/api/notifications/", headers });
      expect(wrongMethod.statusCode, `${authorization}`).toBe(401);
      expect(wrongMethod.json()).toEqual(unknownPath.json());
      expect(wrongMethod.headers.allow).toBeUndefined();
      expect(wrongMethod.headers["www-authenticate"]).toBe(unknownPath.headers["www-authenticate"]);
    }
    // With the key, the same request hears which methods the path takes.
    const known = await service.inject({ method: "PUT", url: "/api/notifications/" });
    expect(known.statusCode).toBe(405);
    expect(known.headers.allow).toBe("GET, HEAD, POST");
  });

  it("keeps the docs and the OpenAPI document public, and declares the bearer scheme there", async () => {
    expect((await service.app.inject({ method: "GET", url: "/" })).statusCode).toBe(200);
    const openapi = await service.app.inject({ method: "GET", url: "/openapi.json" });
    expect(openapi.statusCode).toBe(200);
    const document = openapi.json();
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    expect(document.security).toEqual([{ apiKey: [] }]);
  });

  it("sends security headers and no CORS headers by default", async () => {
    const response = await service.inject({
      method: "GET",
      url: "/api/notifications/",
      headers: { origin: "https://evil.example" },
    });
    expect(response.headers).toMatchObject({
      "x-content-type-options": "nosniff",
      "x-frame-options": "SAMEORIGIN",
      "strict-transport-security": "max-age=31536000; includeSubDomains",
      "referrer-policy": "no-referrer",
      "cross-origin-resource-policy": "same-site",
      "cross-origin-opener-policy": "same-origin",
      "x-permitted-cross-domain-policies": "none",
    });
    // On errors too, and on paths no route serves.
    for (const url of ["/api/notifications/999999/", "/no/such/path"]) {
      const failed = await service.inject({ method: "GET", url });
      expect(failed.statusCode).toBe(404);
      expect(failed.headers["x-content-type-options"]).toBe("nosniff");
      expect(failed.headers["x-frame-options"]).toBe("SAMEORIGIN");
    }
    expect(response.headers["access-control-allow-origin"]).toBeUndefined();
  });
});

describe("API rate limits and CORS", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({
      worker: false,
      env: {
        API_RATE_LIMIT_PER_MINUTE: "3",
        API_KEYS: "first-key-abcdef,second-key-abcdef",
        CORS_ORIGINS: "https://app.example",
      },
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("answers 429 with Retry-After once a key used its minute's requests, and counts each key apart", async () => {
    const as = (key: string) =>
      service.app.inject({
        method: "GET",
        url: "/api/notifications/",
        headers: { authorization: `Bearer ${key}` },
      });
    for (let i = 0; i < 3; i++) expect((await as("first-key-abcdef")).statusCode).toBe(200);
    const limited = await as("first-key-abcdef");
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expect(limited.json().detail).toMatch(/Rate limit exceeded/);
    expect((await as("second-key-abcdef")).statusCode).toBe(200);
    // The docs are not counted against anyone.
    expect((await service.app.inject({ method: "GET", url: "/openapi.json" })).statusCode).toBe(200);
  });

  it("allows configured origins only", async () => {
    const allowed = await service.app.inject({
      method: "OPTIONS",
      url: "/api/notifications/",
      headers: { origin: "https://app.example", "access-control-request-method": "POST" },
    });
    expect(allowed.headers["access-control-allow-origin"]).toBe("https://app.example");
    const other = await service.app.inject({
      method: "OPTIONS",
      url: "/api/notifications/",
      headers: { origin: "https://evil.example", "access-control-request-method": "POST" },
    });
    expect(other.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("lets a configured origin use every method the API has, and read the headers clients act on", async () => {
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const preflight = await service.app.inject({
        method: "OPTIONS",
        url: "/api/users/1/",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": method,
          "access-control-request-headers": "authorization,content-type",
        },
      });
      expect(preflight.statusCode, method).toBe(204);
      expect(String(preflight.headers["access-control-allow-methods"]).split(/,\s*/), method).toContain(
        method,
      );
    }
    // A preflight is answered as before, even for a method the path does not take: the request
    // itself then gets the 405, with the CORS headers that let the page read it.
    const preflight = await service.app.inject({
      method: "OPTIONS",
      url: "/api/notifications/",
      headers: { origin: "https://app.example", "access-control-request-method": "DELETE" },
    });
    expect(preflight.statusCode).toBe(204);
    const wrongMethod = await service.app.inject({
      method: "DELETE",
      url: "/api/notifications/",
      headers: { origin: "https://app.example", authorization: "Bearer second-key-abcdef" },
    });
    expect(wrongMethod.statusCode).toBe(405);
    expect(wrongMethod.headers.allow).toBe("GET, HEAD, POST");
    expect(wrongMethod.headers["access-control-allow-origin"]).toBe("https://app.example");
    const limited = await service.app.inject({
      method: "GET",
      url: "/api/notifications/",
      headers: { origin: "https://app.example", authorization: "Bearer first-key-abcdef" },
    });
    expect(limited.headers["access-control-allow-origin"]).toBe("https://app.example");
    expect(String(limited.headers["access-control-expose-headers"]).toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(["retry-after", "idempotent-replayed", "allow"]),
    );
  });
});

describe("API access at start-up", () => {
  let service: TestService;
  const withConfig = (env: Record<string, string>): TestService["core"] => {
    const config: Config = parseConfig({ ...service.env, API_KEYS: "", ...env });
    return { ...service.core, config };
  };

  beforeAll(async () => {
    service = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await service?.close();
  });

  it("refuses to start in production with no key, unless AUTH_DISABLED=true says so on purpose", async () => {
    await expect(ensureApiAccess(withConfig({ NODE_ENV: "production" }), () => {})).rejects.toBeInstanceOf(
      ConfigError,
    );
    await expect(
      ensureApiAccess(withConfig({ NODE_ENV: "production", AUTH_DISABLED: "true" }), () => {}),
    ).resolves.toBeUndefined();
  });

  it("creates and prints one key in development when none exists, and only once", async () => {
    const printed: string[] = [];
    await ensureApiAccess(withConfig({ NODE_ENV: "development" }), (text) => printed.push(text));
    expect(printed).toHaveLength(1);
    const key = /nsk_[\w-]+/.exec(printed[0]!)?.[0];
    expect(key).toBeDefined();
    const response = await service.app.inject({
      method: "GET",
      url: "/api/notifications/",
      headers: { authorization: `Bearer ${key}` },
    });
    expect(response.statusCode).toBe(200);

    await ensureApiAccess(withConfig({ NODE_ENV: "development" }), (text) => printed.push(text));
    expect(printed).toHaveLength(1);
  });
});
