/**
 * Clients retrying with an Idempotency-Key, their duplicates racing each other through two API
 * processes: one notification and one delivery per key.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FaultApi, FaultFixture } from "../support/fault-fixture.js";

describe("duplicate idempotent requests racing through two API processes", () => {
  let fixture: FaultFixture;
  let apis: FaultApi[];
  let user: number;

  beforeAll(async () => {
    fixture = await FaultFixture.create();
    const [first, second] = await Promise.all([
      fixture.processes.startApi({}, "api-1"),
      fixture.processes.startApi({}, "api-2"),
      fixture.processes.startWorker(),
    ]);
    apis = [fixture.api(first.url), fixture.api(second.url)];
    user = await apis[0]!.createUser("idempotent@example.com");
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const count = async (sql: string, values: unknown[] = []) =>
    (await fixture.pool.query<{ n: number }>(sql, values)).rows[0]!.n;

  it("creates and delivers one notification per key, whichever process answers", async () => {
    const keys = Array.from({ length: 8 }, (_, i) => `client-retry-${i}`);
    const requests = keys.flatMap((key, i) =>
      Array.from({ length: 5 }, (_, copy) =>
        apis[copy % 2]!.post(
          "/api/notifications/",
          { user, message: `keyed ${i}` },
          { "idempotency-key": key },
        ),
      ),
    );
    const responses = await Promise.all(requests);
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));

    const idsByKey = new Map<string, Set<number>>();
    responses.forEach((response, index) => {
      const key = keys[Math.floor(index / 5)]!;
      idsByKey.set(key, (idsByKey.get(key) ?? new Set()).add(response.body.id as number));
    });
    for (const ids of idsByKey.values()) expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.headers.get("idempotent-replayed") !== "true")).toHaveLength(
      keys.length,
    );
    expect(await count("SELECT count(*)::int AS n FROM notifications WHERE message LIKE 'keyed %'")).toBe(
      keys.length,
    );

    for (const ids of idsByKey.values()) await fixture.waitForStatus([...ids][0]!, "sent");
    for (let i = 0; i < keys.length; i++) expect(fixture.sent(`keyed ${i}`)).toBe(1);
  });

  it("refuses the key with another body on the other process, and sends nothing more", async () => {
    const first = await apis[0]!.post(
      "/api/notifications/",
      { user, message: "the real one" },
      { "idempotency-key": "changed-body" },
    );
    expect(first.status).toBe(201);
    const changed = await apis[1]!.post(
      "/api/notifications/create/",
      { user, message: "a different one" },
      { "idempotency-key": "changed-body" },
    );
    expect(changed.status).toBe(409);
    expect(changed.body.detail).toMatch(/already used for a different request/);
    await fixture.waitForStatus(first.body.id as number, "sent");
    expect(fixture.sent("the real one")).toBe(1);
    expect(fixture.sent("a different one")).toBe(0);
  });
});
