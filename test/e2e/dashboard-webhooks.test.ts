/**
 * The dashboard's Webhooks page in headless Chromium against the real service (HTTP app on
 * loopback, a worker, its own database and Redis prefix) and a loopback webhook receiver.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardPage, openDashboard, SCREENSHOTS } from "../support/dashboard-page.js";
import { ScriptedHttpServer } from "../support/scripted-http-server.js";
import { startTestService, type TestService } from "../support/test-service.js";

const POLL = { timeout: 25_000, interval: 100 };

describe("the dashboard's webhooks page", { timeout: 90_000 }, () => {
  let service: TestService;
  let receiver: ScriptedHttpServer;
  let dashboard: DashboardPage;
  let page: Page;
  let problems: string[];
  const received: string[] = [];

  beforeAll(async () => {
    receiver = await ScriptedHttpServer.start((_req, body) => {
      received.push(body);
      const answer = { status: received.length === 1 ? 500 : 200, body: {} };
      return { reply: answer, fallback: () => answer };
    });
    service = await startTestService({
      env: { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_SCHEDULE_SECONDS: "600" },
    });
    dashboard = await openDashboard(service);
    ({ page, problems } = dashboard);
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await service?.close();
    await receiver?.close();
  });

  it("lists endpoints with their deliveries, sends a test event and replays a failed delivery", async () => {
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByText("No webhook endpoints").waitFor();
    const created = await service.inject({
      method: "POST",
      url: "/api/webhooks/",
      payload: { url: `${receiver.url}/hook`, events: ["*"], description: "billing" },
    });
    expect(created.statusCode).toBe(201);
    await page.reload();
    await page.getByRole("heading", { name: `${receiver.url}/hook` }).waitFor();

    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByText("A test event is on its way.").waitFor();
    // The first answer is a 500, and the next try is 10 minutes away: replay it by hand.
    await expect.poll(() => received.length, POLL).toBe(1);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("tr[data-delivery]").first().textContent();
      }, POLL)
      .toMatch(/webhook\.test.*pending.*500/);
    // A pending delivery is not replayed by hand; a finished one is.
    expect(await page.getByRole("button", { name: "Replay" }).isDisabled()).toBe(true);
    await service.core.pool.query("UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL");
    await page.reload();
    await page.getByRole("button", { name: "Replay" }).click();
    await page.getByText(/will be sent again now/).waitFor();
    await expect.poll(() => received.length, POLL).toBe(2);
    await expect
      .poll(async () => {
        await page.reload();
        return page.locator("tr[data-delivery]").first().textContent();
      }, POLL)
      .toMatch(/succeeded.*200/);
    await page.screenshot({ path: `${SCREENSHOTS}/webhooks.png` });

    await service.core.pool.query(
      "UPDATE webhook_endpoints SET enabled = false, disabled_reason = 'every delivery failed for 5 days'",
    );
    await page.reload();
    await page.getByText("Disabled: every delivery failed for 5 days").waitFor();
    expect(await page.getByRole("button", { name: "Send test event" }).isDisabled()).toBe(true);
    expect(problems).toEqual([]);
  });
});
