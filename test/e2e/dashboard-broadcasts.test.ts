/**
 * The dashboard's Broadcasts page in headless Chromium against the real service (HTTP app on
 * loopback, a worker delivering into the sandbox, its own database and Redis prefix).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardPage, openDashboard, SCREENSHOTS } from "../support/dashboard-page.js";
import { startTestService, type TestService } from "../support/test-service.js";

const WAIT = { timeout: 25_000 };

describe("the dashboard's broadcasts page", { timeout: 90_000 }, () => {
  let service: TestService;
  let dashboard: DashboardPage;
  let page: Page;
  let problems: string[];

  beforeAll(async () => {
    service = await startTestService({ env: { DELIVERY_SANDBOX: "true", CHANNEL_ORDER: "sms" } });
    await service.core.pool.query(
      `INSERT INTO users (email, password_hash, phone_number)
       SELECT 'page' || g || '@example.com', 'not-a-login', '+79990001122' FROM generate_series(1, 12) g`,
    );
    dashboard = await openDashboard(service);
    ({ page, problems } = dashboard);
    page.on("dialog", (dialog) => void dialog.accept());
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await service?.close();
  });

  it("follows a broadcast to done without a reload, links its counts, and cancels a waiting one", async () => {
    await page.getByRole("link", { name: "Broadcasts" }).click();
    await page.getByText("No broadcasts").waitFor();
    // Scheduled an hour ahead: it stays pending, so the page keeps reading it and it can be cancelled.
    const waiting = await service.inject({
      method: "POST",
      url: "/api/broadcasts/",
      payload: { all_users: true, message: "Later", send_at: new Date(Date.now() + 3_600_000).toISOString() },
    });
    expect(waiting.statusCode).toBe(202);
    // Nothing was moving, so the page was not reading again: this reload is the last one.
    await page.reload();
    await page.locator(`tr[data-broadcast="${waiting.json().id}"]`).waitFor(WAIT);

    const now = await service.inject({
      method: "POST",
      url: "/api/broadcasts/",
      payload: { users: [1, 2, 3, 4, 5, 404], message: "Hello from the page", category: "news" },
    });
    expect(now.statusCode).toBe(202);
    const row = page.locator(`tr[data-broadcast="${now.json().id}"]`);
    // No reload from here on: the page refreshes itself while a broadcast moves.
    await row.locator('[data-status="done"]').waitFor(WAIT);
    await row.locator('[data-count="sent"]', { hasText: "sent 5" }).waitFor(WAIT);
    expect(await row.textContent()).toContain("1 unknown ids skipped");
    expect(await row.locator("[data-progress]").textContent()).toBe("5 / 5");
    await page.screenshot({ path: `${SCREENSHOTS}/broadcasts.png`, fullPage: true });

    const waitingRow = page.locator(`tr[data-broadcast="${waiting.json().id}"]`);
    await waitingRow.getByRole("button", { name: "Cancel" }).click();
    await waitingRow.locator('[data-status="cancelled"]').waitFor(WAIT);
    const { rows } = await service.core.pool.query<{ status: string }>(
      "SELECT status FROM broadcasts WHERE id = $1",
      [waiting.json().id],
    );
    expect(rows[0]!.status).toBe("cancelled");

    await row.locator('[data-count="sent"]').click();
    await page.locator('[data-filter="broadcast"]').waitFor(WAIT);
    await expect.poll(() => page.locator("tr[data-id]").count(), WAIT).toBe(5);
    expect(problems).toEqual([]);
  });
});
