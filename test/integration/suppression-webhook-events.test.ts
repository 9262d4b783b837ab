/**
 * Webhook events about suppressed addresses, delivered to a loopback endpoint: `suppression.created`
 * when a provider's answer proves an address dead (Telegram's "bot was blocked"), when one is added
 * through the API or the CLI, and `suppression.deleted` when one is removed (API, CLI) or lifted by
 * the person pressing Start on a connect link; each with the suppression as the API lists it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { runCli } from "../support/run-cli.js";
import { type FakeReply, ScriptedHttpServer } from "../support/scripted-http-server.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

interface SuppressionEvent {
  type: string;
  data: {
    suppression: { id: number; channel: string; address: string; reason: string; source: string } & Record<
      string,
      unknown
    >;
  };
}

describe("webhook events about suppressions", () => {
  let telegram: FakeTelegram;
  let hooks: ScriptedHttpServer;
  let service: TestService;
  const received: SuppressionEvent[] = [];

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    hooks = await ScriptedHttpServer.start((_req, body) => {
      received.push(JSON.parse(body));
      const ok: FakeReply = { status: 200, body: { ok: true } };
      return { reply: ok, fallback: () => ok };
    });
    service = await startTestService({
      env: {
        TELEGRAM_API_URL: telegram.url,
        TELEGRAM_BOT_TOKEN: "4444:suppression-events-token",
        TELEGRAM_LINKS: "true",
        CHANNEL_ORDER: "telegram",
        MAX_RETRIES: "0",
        WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
        WEBHOOK_SUBSCRIPTION_REFRESH_SECONDS: "0",
      },
    });
    const endpoint = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: `${hooks.url}/hook`, events: ["suppression.created", "suppression.deleted"] },
    });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
  });
  afterAll(async () => {
    await service?.close();
    await hooks?.close();
    await telegram?.close();
  });

  const eventsAbout = (address: string) =>
    received.filter((event) => event.data.suppression.address === address).map((event) => event.type);
  const waitForEvents = (address: string, types: string[]) =>
    waitFor(`${types.join(", ")} about ${address}`, () =>
      eventsAbout(address).length >= types.length ? eventsAbout(address) : undefined,
    );
  const listed = async (address: string) => {
    const response = await service.inject({ method: "GET", url: `/api/suppressions/?address=${address}` });
    return response.json<{ results: Record<string, unknown>[] }>().results;
  };

  it("tells a blocked bot's chat suppressed by delivery, once, and lifted when the person presses Start on a connect link", async () => {
    const user = await service.createUser({
      email: "blocked@example.com",
      password: "long enough password",
      telegram_id: "9001",
    });
    telegram.replyNext(telegramReplies.botBlocked());
    const first = await service.createNotification({ user: user.id, message: "first" });
    await service.waitForStatus(first.id, "failed");
    const [created] = await waitForEvents("9001", ["suppression.created"]);
    expect(created).toBe("suppression.created");
    const event = received.find((each) => each.data.suppression.address === "9001")!;
    expect(event.data.suppression).toEqual((await listed("9001"))[0]);
    expect(event.data.suppression).toMatchObject({
      channel: "telegram",
      reason: "bot_blocked",
      source: "delivery",
    });

    // The next one is skipped as suppressed, without a call to Telegram: nothing more is told.
    const second = await service.createNotification({ user: user.id, message: "second" });
    await service.waitForStatus(second.id, "failed");

    const link = await service.inject({ method: "POST", url: `/api/users/${user.id}/telegram-link/` });
    telegram.receive(9001, `/start ${link.json<{ code: string }>().code}`);
    expect(await waitForEvents("9001", ["suppression.created", "suppression.deleted"])).toEqual([
      "suppression.created",
      "suppression.deleted",
    ]);
    expect(await listed("9001")).toEqual([]);
  });

  it("tells suppressions added and removed through the API and the CLI", async () => {
    const added = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "email", address: "Api@Example.com", note: "asked us" },
    });
    expect(added.statusCode, added.body).toBe(201);
    const again = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "email", address: "api@example.com" },
    });
    expect(again.statusCode).toBe(409);
    const removed = await service.inject({ method: "DELETE", url: `/api/suppressions/${added.json().id}/` });
    expect(removed.statusCode).toBe(200);
    // Sent concurrently: they may arrive in either order.
    expect((await waitForEvents("api@example.com", ["created", "deleted"])).sort()).toEqual([
      "suppression.created",
      "suppression.deleted",
    ]);
    const about = received.filter((event) => event.data.suppression.address === "api@example.com");
    const createdEvent = about.find((event) => event.type === "suppression.created");
    const deletedEvent = about.find((event) => event.type === "suppression.deleted");
    expect(createdEvent!.data.suppression).toEqual(added.json());
    expect(deletedEvent!.data.suppression).toEqual(removed.json());

    const cliAdded = await runCli(["suppressions", "add", "sms", "+79990009900", "--json"], service.env);
    expect(cliAdded.code, cliAdded.stderr).toBe(0);
    const cliRemoved = await runCli(
      ["suppressions", "remove", String(JSON.parse(cliAdded.stdout).id)],
      service.env,
    );
    expect(cliRemoved.code, cliRemoved.stderr).toBe(0);
    expect((await waitForEvents("+79990009900", ["created", "deleted"])).sort()).toEqual([
      "suppression.created",
      "suppression.deleted",
    ]);
    expect(
      received.find((event) => event.data.suppression.address === "+79990009900")?.data.suppression,
    ).toMatchObject({ channel: "sms", source: "cli", reason: "manual" });
  });
});
