import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestService, type TestService } from "../support/test-service.js";

describe("the notification list's filters and search", () => {
  let service: TestService;
  const ids: Record<string, number> = {};
  let alice: number;
  let bob: number;

  const MESSAGES = {
    code: "Your code is 1234",
    percent: "100% off today",
    underscore: "hello snake_case_name",
    plain: "hello snake case name",
    backslash: "a back\\slash here",
    mixedCase: "CaSe Test",
    cyrillic: "Привет, ваш КОД 5678",
  } as const;

  beforeAll(async () => {
    service = await startTestService({ worker: false });
    alice = (await service.createUser({ email: "alice@example.com", password: "long enough" })).id;
    bob = (await service.createUser({ email: "bob@example.com", password: "long enough" })).id;
    for (const [name, message] of Object.entries(MESSAGES)) {
      ids[name] = (await service.createNotification({ user: name === "plain" ? bob : alice, message })).id;
    }
    // What workers would have done: the channel that delivered each, or the last one tried.
    await service.core.pool.query(
      `UPDATE notifications SET status = 'sent', last_channel = 'email' WHERE id = ANY($1::bigint[])`,
      [[ids.code, ids.percent]],
    );
    await service.core.pool.query(
      `UPDATE notifications SET status = 'failed', last_channel = 'telegram' WHERE id = $1`,
      [ids.underscore],
    );
  });
  afterAll(async () => {
    await service?.close();
  });

  const list = async (query: Record<string, string>) => {
    const response = await service.inject({
      method: "GET",
      url: `/api/notifications/?${new URLSearchParams(query)}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { count: number; next: string | null; results: { id: number }[] };
  };
  const found = async (query: Record<string, string>) => (await list(query)).results.map((n) => n.id).sort();
  const idsOf = (...names: (keyof typeof MESSAGES)[]) => names.map((name) => ids[name]!).sort();

  it("searches message text case-insensitively, in any script", async () => {
    expect(await found({ search: "case test" })).toEqual(idsOf("mixedCase"));
    expect(await found({ search: "код" })).toEqual(idsOf("cyrillic"));
    expect(await found({ search: "  1234 " })).toEqual(idsOf("code"));
    expect(await found({ search: "nothing like it" })).toEqual([]);
  });

  it("takes %, _ and \\ in the search text literally", async () => {
    expect(await found({ search: "%" })).toEqual(idsOf("percent"));
    expect(await found({ search: "100%" })).toEqual(idsOf("percent"));
    expect(await found({ search: "_" })).toEqual(idsOf("underscore"));
    expect(await found({ search: "snake_case" })).toEqual(idsOf("underscore"));
    expect(await found({ search: "\\" })).toEqual(idsOf("backslash"));
    expect(await found({ search: "%%" })).toEqual([]);
  });

  it("filters by the channel that delivered it or was tried last, together with user and status", async () => {
    expect(await found({ channel: "email" })).toEqual(idsOf("code", "percent"));
    expect(await found({ channel: "telegram" })).toEqual(idsOf("underscore"));
    expect(await found({ channel: "sms" })).toEqual([]);
    expect(await found({ channel: "email", search: "off" })).toEqual(idsOf("percent"));
    expect(await found({ status: "failed", user: String(alice) })).toEqual(idsOf("underscore"));
    expect(await found({ search: "snake", user: String(bob) })).toEqual(idsOf("plain"));
    expect(await found({ channel: "", search: "", status: "", user: "" })).toHaveLength(7);
  });

  it("keeps the filters in the next page's link", async () => {
    const page = await list({ search: "100% off", page_size: "1", channel: "email" });
    expect(page.count).toBe(1);
    const two = await list({ search: "o", page_size: "2" });
    expect(two.count).toBeGreaterThan(2);
    const next = new URL(two.next ?? "");
    expect(next.searchParams.get("search")).toBe("o");
    expect(next.searchParams.get("page")).toBe("2");
  });

  it("answers 400 naming the field for an unknown channel or an over-long search", async () => {
    const channel = await service.inject({ method: "GET", url: "/api/notifications/?channel=fax" });
    expect(channel.statusCode).toBe(400);
    expect(channel.json()).toEqual({ channel: ["Select a valid choice: sms, email, telegram."] });
    const search = await service.inject({
      method: "GET",
      url: `/api/notifications/?search=${"x".repeat(201)}`,
    });
    expect(search.statusCode).toBe(400);
    expect(Object.keys(search.json())).toEqual(["search"]);
  });
});
