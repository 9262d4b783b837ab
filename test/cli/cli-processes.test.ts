import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { newTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueName } from "../support/databases.js";
import { parsePrometheusText, sampleValue } from "../support/prometheus-text.js";
import { deleteRedisKeys } from "../support/redis-keys.js";
import { runCli, spawnCli } from "../support/run-cli.js";
import type { NotificationJson } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("the long-running commands", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  const setUp = () => {
    const database: TestDatabase = newTestDatabase();
    const prefix = uniqueName("ns-cli");
    cleanups.push(
      () => database.drop(),
      () => deleteRedisKeys(prefix),
    );
    return { DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix };
  };

  it("serve runs the quick start: API and worker, a first API key, and the sandbox delivering by SMS into the outbox", async () => {
    const port = await freePort();
    // No provider credentials and not production: the sandbox is on by default.
    const env = {
      ...setUp(),
      NODE_ENV: "development",
      HOST: "127.0.0.1",
      PORT: String(port),
      POLL_INTERVAL_SECONDS: "1",
    };
    const serve = spawnCli(["serve"], env);
    cleanups.push(async () => {
      const code = await serve.stop();
      // Shown only when the test failed before stopping it itself: what the service said.
      if (code !== 0) console.error(serve.output.stdout, serve.output.stderr);
    });
    const base = `http://127.0.0.1:${port}`;

    const key = await waitFor(
      "the first API key to be printed",
      () => /\b(nsk_\S+)/.exec(serve.output.stdout)?.[1],
      60_000,
      100,
    );
    await waitFor(
      "/readyz",
      async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined),
      60_000,
      100,
    );
    const ready = await (await fetch(`${base}/readyz`)).json();
    expect(ready).toMatchObject({
      delivery_sandbox: true,
      channels: { sms: "sandbox", email: "sandbox", telegram: "sandbox" },
    });

    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const post = async (path: string, body: object) => {
      const response = await fetch(`${base}${path}`, { method: "POST", headers, body: JSON.stringify(body) });
      expect(response.status).toBe(201);
      return (await response.json()) as { id: number };
    };
    const user = await post("/api/users/", {
      email: "bob@example.com",
      password: "correct horse",
      phone_number: "+7 999 000-11-22",
    });
    const notification = await post("/api/notifications/", { user: user.id, message: "Your code is 1234" });
    const done = await waitFor(
      "the notification to be sent",
      async () => {
        const response = await fetch(`${base}/api/notifications/${notification.id}/`, { headers });
        const current = (await response.json()) as NotificationJson;
        return current.status === "pending" ? undefined : current;
      },
      60_000,
      100,
    );
    expect(done).toMatchObject({ status: "sent", last_channel: "sms" });
    const listed = await fetch(`${base}/api/outbox/?notification=${notification.id}`, { headers });
    const outbox = (await listed.json()) as { results: { id: number }[] };
    expect(outbox.results).toMatchObject([{ channel: "sms", to: "+79990001122", text: "Your code is 1234" }]);
    expect(done.attempts[0]?.provider_message_id).toBe(`sandbox-${outbox.results[0]?.id}`);

    // The worker child recorded the latency; the API process serves it.
    const metrics = parsePrometheusText(await (await fetch(`${base}/metrics`)).text());
    expect(sampleValue(metrics, "notification_service_notifications_sent_total", { channel: "sms" })).toBe(1);
    expect(
      sampleValue(metrics, "notification_service_delivery_latency_seconds_count", { channel: "sms" }),
    ).toBe(1);

    expect(serve.output.stdout).toContain("DELIVERY SANDBOX IS ON");
    expect(await serve.stop()).toBe(0);
  }, 120_000);

  it("worker delivers what send queued, status shows it, and SIGTERM stops it with exit code 0", async () => {
    const env = { ...setUp(), DELIVERY_SANDBOX: "true" };
    const user = JSON.parse(
      (
        await runCli(
          ["users", "create", "--email", "w@example.com", "--password", "correct horse", "--json"],
          env,
        )
      ).stdout,
    );
    const worker = spawnCli(["worker"], env);
    cleanups.push(() => worker.stop());
    const sent = JSON.parse(
      (await runCli(["send", "--user", String(user.id), "--message", "from the CLI", "--json"], env)).stdout,
    );

    const done = await waitFor(
      "the notification to be sent",
      async () => {
        const status = JSON.parse((await runCli(["status", String(sent.id), "--json"], env)).stdout);
        return status.status === "pending" ? undefined : status;
      },
      60_000,
      200,
    );
    expect(done).toMatchObject({ status: "sent", last_channel: "email" });
    expect(done.attempts.map((a: { channel: string; status: string }) => [a.channel, a.status])).toEqual([
      ["sms", "skipped"],
      ["email", "sent"],
    ]);
    const human = await runCli(["status", String(sent.id)], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Notification ${sent.id}: sent via email`);
    expect(human.stdout).toMatch(
      /^ {2}1 +sms +skipped +- +no_contact +- +\S+ +the user has no phone number$/m,
    );
    // The sandbox outbox is where the message ends: delivered.
    expect(human.stdout).toMatch(/^ {2}1 +email +sent +delivered +- +- +\S+ +sandbox-\d+$/m);

    expect(await worker.stop()).toBe(0);
  }, 120_000);
});
