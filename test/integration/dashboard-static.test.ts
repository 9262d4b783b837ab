import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.js";

// The files are those the tests' global setup built from dashboard/.
describe("the dashboard's files", () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
  });
  afterAll(async () => {
    await service?.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    service.app.inject({ method: "GET", url, headers });

  it("serves the page at /dashboard and /dashboard/ without a key, revalidated on every load", async () => {
    for (const url of ["/dashboard", "/dashboard/", "/dashboard/index.html"]) {
      const page = await get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.headers["cache-control"]).toBe("no-cache");
      expect(page.body).toMatch(/<script type="module" src="\/dashboard\/assets\/app-[\w-]+\.js"><\/script>/);
    }
  });

  it("serves the hashed bundles for good, compressed when the browser accepts it, and small", async () => {
    const page = (await get("/dashboard/")).body;
    const assets = [...page.matchAll(/\/dashboard\/assets\/app-[\w-]+\.(?:js|css)/g)].map(
      (match) => match[0],
    );
    expect(assets).toHaveLength(2);
    let compressed = 0;
    for (const asset of assets) {
      const plain = await get(asset);
      expect(plain.statusCode).toBe(200);
      expect(plain.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      const brotli = await get(asset, { "accept-encoding": "br, gzip" });
      expect(brotli.headers["content-encoding"]).toBe("br");
      compressed += brotli.rawPayload.length;
    }
    // Preact and the app together: a dashboard should not cost a slow phone a second to load.
    expect(compressed).toBeLessThan(40 * 1024);
  });

  it("has a strict Content-Security-Policy there, and only there", async () => {
    const csp = (await get("/dashboard/")).headers["content-security-policy"];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain("unsafe-inline");
    expect((await get("/dashboard/favicon.svg")).headers["content-security-policy"]).toBe(csp);
    // The interactive docs run inline scripts; the API answers JSON.
    expect((await get("/")).headers["content-security-policy"]).toBeUndefined();
    expect((await service.inject({ method: "GET", url: "/api/notifications/" })).headers).not.toHaveProperty(
      "content-security-policy",
    );
  });

  it("documents the dashboard's endpoints in the OpenAPI document", async () => {
    const paths = Object.keys((await get("/openapi.json")).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/api/notifications/{id}/retry/",
        "/api/notifications/{id}/cancel/",
        "/api/notifications/events/",
        "/api/channels/overview/",
      ]),
    );
    expect(paths.some((path) => path.startsWith("/dashboard"))).toBe(false);
  });
});
