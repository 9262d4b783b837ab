/**
 * The dashboard's Users view (finding a recipient by a contact, live as users come and go) and a
 * user's page (live as the user changes: a Telegram chat connected through a connect link shows
 * up without a reload), and erasing a user from their page, in headless Chromium against the
 * real service, a worker and the loopback Telegram.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DashboardPage, openDashboard, SCREENSHOTS } from "../support/dashboard-page.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";

describe("the dashboard's users", { timeout: 90_000 }, () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let dashboard: DashboardPage;
  let page: Page;
  let baseUrl: string;
  let problems: string[];

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({ env: providers.env({ MAX_RETRIES: "0", TELEGRAM_LINKS: "true" }) });
    dashboard = await openDashboard(service);
    ({ page, baseUrl, problems } = dashboard);
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await service?.close();
    await providers?.close();
  });

  const get = (url: string) => service.inject({ method: "GET", url });
  const count = async (sql: string, values: unknown[]) =>
    (await service.core.pool.query<{ n: number }>(sql, values)).rows[0]!.n;
  const listedUsers = () =>
    page
      .locator("tr[data-user]")
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute("data-user"))));
  const hash = () => new URL(page.url()).hash;

  it("finds a user by a phone number written another way, and erases them with their notifications", async () => {
    const grace = await service.createUser({
      email: "grace@example.com",
      password: "long enough password",
      first_name: "Grace",
      last_name: "Hopper",
      phone_number: "+79990001122",
      telegram_id: "515151",
      locale: "ru",
      timezone: "Europe/Moscow",
    });
    const ada = await service.createUser({
      email: "ada@example.com",
      password: "long enough password",
      first_name: "Ada",
      phone_number: "+79990003344",
      telegram_id: "525252",
    });
    const theirs: number[] = [];
    for (const message of ["one", "two"]) {
      const created = await service.createNotification({ user: grace.id, message, channels: ["telegram"] });
      await service.waitForStatus(created.id, "sent");
      theirs.push(created.id);
    }
    const adas = await service.createNotification({ user: ada.id, message: "kept", channels: ["telegram"] });
    await service.waitForStatus(adas.id, "sent");
    const suppressed = await service.inject({
      method: "POST",
      url: "/api/suppressions/",
      payload: { channel: "email", address: "grace@example.com", note: "asked by phone" },
    });
    expect(suppressed.statusCode).toBe(201);

    // The tab lists everyone, newest first.
    await page.getByRole("link", { name: "Users", exact: true }).click();
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await expect.poll(listedUsers).toEqual([ada.id, grace.id]);

    // A number written the Russian domestic way finds the one stored in E.164, and only that user.
    await page.getByLabel("Phone number").fill("8 (999) 000-11-22");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(listedUsers).toEqual([grace.id]);
    const row = page.locator(`tr[data-user="${grace.id}"]`);
    expect(await row.locator("td").allTextContents()).toEqual([
      String(grace.id),
      "grace@example.com",
      "Grace Hopper",
      "+79990001122",
      "515151",
    ]);
    // The search is in the address: reloading it (a bookmark) shows the same answer.
    expect(new URLSearchParams(hash().split("?")[1]).get("phone_number")).toBe("8 (999) 000-11-22");
    await page.reload();
    await expect.poll(listedUsers).toEqual([grace.id]);
    expect(await page.getByLabel("Phone number").inputValue()).toBe("8 (999) 000-11-22");
    await page.screenshot({ path: `${SCREENSHOTS}/users.png`, fullPage: true });
    // On a phone the form and the table stack: nothing wider than the screen.
    const laptop = page.viewportSize()!;
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SCREENSHOTS}/users-phone.png`, fullPage: true });
    await page.setViewportSize(laptop);

    // A number that could never be stored shows the service's words under its field, not a blank page.
    await page.getByLabel("Phone number").fill("12-34");
    await page.getByRole("button", { name: "Search" }).click();
    const fieldError = page.locator('.field-error[data-field="phone_number"]');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toBe("Enter a valid phone number, e.g. +79990001122.");
    expect(await page.getByLabel("Phone number").getAttribute("aria-invalid")).toBe("true");
    expect(await page.locator("tr[data-user]").count()).toBe(0);
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/users-invalid-phone.png`, fullPage: true });

    // A valid contact nobody has says so.
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Telegram chat id").fill("999999");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByText("No user has that contact").waitFor();
    expect(await fieldError.count()).toBe(0);

    await page.getByLabel("Telegram chat id").fill("515151");
    await page.getByRole("button", { name: "Search" }).click();
    await expect.poll(listedUsers).toEqual([grace.id]);
    await page.getByRole("link", { name: `User ${grace.id}`, exact: true }).click();
    await page.getByRole("heading", { name: `User #${grace.id} · Grace Hopper` }).waitFor();
    const profile = page.locator("[data-profile]");
    await profile.getByText("Europe/Moscow").waitFor();
    expect(await profile.locator("dd").allTextContents()).toEqual([
      "grace@example.com",
      "Grace Hopper",
      "+79990001122",
      "515151",
      "ru",
      "Europe/Moscow",
      "—",
    ]);

    // The button wakes only for this user's email (any case) or id.
    const eraseButton = page.getByRole("button", { name: "Erase user" });
    const confirmation = page.getByLabel(/to confirm/);
    expect(await eraseButton.isDisabled()).toBe(true);
    await confirmation.fill("ada@example.com");
    expect(await eraseButton.isDisabled()).toBe(true);
    await confirmation.fill("Grace@Example.com");
    expect(await eraseButton.isEnabled()).toBe(true);
    await page.screenshot({ path: `${SCREENSHOTS}/user-erase.png`, fullPage: true });
    await eraseButton.click();

    // Back on the list, with a notice; the user and everything of theirs is gone.
    await page.getByText(`User #${grace.id} was erased, with their notifications.`).waitFor();
    expect(hash()).toBe(`#/users?erased=${grace.id}`);
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await expect.poll(listedUsers).toEqual([ada.id]);
    expect((await get(`/api/users/${grace.id}/`)).statusCode).toBe(404);
    for (const id of theirs) expect((await get(`/api/notifications/${id}/`)).statusCode).toBe(404);
    expect(await count("SELECT count(*)::int AS n FROM notifications WHERE user_id = $1", [grace.id])).toBe(
      0,
    );
    expect(
      await count("SELECT count(*)::int AS n FROM attempts WHERE notification_id = ANY($1)", [theirs]),
    ).toBe(0);
    // The other user keeps theirs, and the address stays suppressed.
    expect((await service.getNotification(adas.id)).status).toBe("sent");
    const left = (await get("/api/suppressions/")).json();
    expect(left.results.map((s: { address: string }) => s.address)).toEqual(["grace@example.com"]);
    expect(problems).toEqual([]);
  });

  it("makes a Telegram connect link on the user's page, which connects the chat that starts it", async () => {
    const lin = await service.createUser({ email: "lin@example.com", password: "long enough password" });
    await page.goto(`${baseUrl}/dashboard/#/users/${lin.id}`);
    await page.locator("[data-profile]").getByText("lin@example.com").waitFor();
    await page.getByRole("button", { name: "Make a connect link" }).click();
    const field = page.locator("[data-telegram-link]");
    await field.waitFor();
    const code = /^https:\/\/t\.me\/loopback_bot\?start=([A-Za-z0-9_-]{32})$/.exec(
      await field.inputValue(),
    )?.[1];
    expect(code).toBeDefined();
    await page.screenshot({ path: `${SCREENSHOTS}/user-telegram-link.png`, fullPage: true });

    // The person opens it and presses Start: the bot gets /start <code> from their chat, and the
    // open page shows the chat as the worker connects it, without a reload.
    const loaded = await page.evaluate(() => performance.timeOrigin);
    providers.telegram.receive(737373, `/start ${code}`);
    await page.locator("[data-profile]").getByText("737373").waitFor({ timeout: 15_000 });
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
    expect((await get(`/api/users/${lin.id}/`)).json().telegram_id).toBe("737373");
    // The link made before stays on the page.
    expect(await field.inputValue()).toContain(code!);
    expect(problems).toEqual([]);
  });

  it("keeps preference changes not saved yet when the user's page reloads live, and shows those saved elsewhere", async () => {
    const kim = await service.createUser({ email: "kim@example.com", password: "long enough password" });
    await page.goto(`${baseUrl}/dashboard/#/users/${kim.id}`);
    await page.locator("[data-profile]").getByText("kim@example.com").waitFor();
    const sms = page.getByLabel("SMS for All notifications");
    await sms.uncheck();
    const patched = await service.inject({
      method: "PATCH",
      url: `/api/users/${kim.id}/`,
      payload: { first_name: "Kim" },
    });
    expect(patched.statusCode).toBe(200);
    await page.getByRole("heading", { name: `User #${kim.id} · Kim` }).waitFor();
    expect(await sms.isChecked()).toBe(false);

    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByText("Preferences saved.").waitFor();
    const replaced = await service.inject({
      method: "PUT",
      url: `/api/users/${kim.id}/preferences/`,
      payload: { channels: { email: false } },
    });
    expect(replaced.statusCode).toBe(200);
    await expect.poll(() => sms.isChecked()).toBe(true);
    expect(await page.getByLabel("Email for All notifications").isChecked()).toBe(false);
    expect(problems).toEqual([]);
  });

  it("lists users created, changed and erased elsewhere as it happens", async () => {
    await page.goto(`${baseUrl}/dashboard/#/users`);
    await page.getByRole("heading", { name: "Users", exact: true }).waitFor();
    await page.locator("tr[data-user]").first().waitFor();
    const before = await listedUsers();
    const loaded = await page.evaluate(() => performance.timeOrigin);

    const mo = await service.createUser({ email: "mo@example.com", password: "long enough password" });
    await expect.poll(listedUsers).toEqual([mo.id, ...before]);
    const patched = await service.inject({
      method: "PATCH",
      url: `/api/users/${mo.id}/`,
      payload: { first_name: "Mo", telegram_id: "747474" },
    });
    expect(patched.statusCode).toBe(200);
    const row = page.locator(`tr[data-user="${mo.id}"]`);
    await expect
      .poll(() => row.locator("td").allTextContents())
      .toEqual([String(mo.id), "mo@example.com", "Mo", "—", "747474"]);
    expect((await service.inject({ method: "DELETE", url: `/api/users/${mo.id}/` })).statusCode).toBe(204);
    await expect.poll(listedUsers).toEqual(before);
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loaded);
    expect(problems).toEqual([]);
  });

  it("says on an open user's page that the user was erased elsewhere", async () => {
    const gone = await service.createUser({
      email: "erased-live@example.com",
      password: "long enough password",
      phone_number: "+79990009988",
    });
    await page.goto(`${baseUrl}/dashboard/#/users/${gone.id}`);
    await page.locator("[data-profile]").getByText("erased-live@example.com").waitFor();
    expect((await service.inject({ method: "DELETE", url: `/api/users/${gone.id}/` })).statusCode).toBe(204);

    await page.getByText(`User #${gone.id} was erased, with their notifications.`).waitFor();
    // Nothing of theirs stays on the page, and nothing is left to press.
    await expect
      .poll(() => page.locator("[data-profile]").textContent())
      .not.toContain("erased-live@example.com");
    expect(await page.locator("[data-profile]").textContent()).not.toContain("+79990009988");
    expect(await page.getByRole("button", { name: "Erase user" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Make a connect link" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });

  it("says plainly when the user was erased elsewhere before the button was pressed", async () => {
    const gone = await service.createUser({ email: "gone@example.com", password: "long enough password" });
    await page.goto(`${baseUrl}/dashboard/#/users/${gone.id}`);
    await page.locator("[data-profile]").getByText("gone@example.com").waitFor();
    // Gone without a word reaching the page (as while Redis is away): deleted in the database.
    await service.core.pool.query("DELETE FROM users WHERE id = $1", [gone.id]);

    await page.getByLabel(/to confirm/).fill(String(gone.id));
    await page.getByRole("button", { name: "Erase user" }).click();
    await page.getByText(`User #${gone.id} no longer exists: they were already erased.`).waitFor();
    expect(hash()).toBe(`#/users/${gone.id}`);

    // Opening the page again says the same, instead of an empty profile.
    await page.reload();
    await page.getByText(`User #${gone.id} does not exist: erased, or never created.`).waitFor();
    expect(await page.getByRole("button", { name: "Erase user" }).count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
