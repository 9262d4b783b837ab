import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { UnsubscribeLinks } from "../../src/audiences/unsubscribe-token.js";
import { type FakeSmsRu, smsRuReplies } from "../support/fake-sms-ru.js";
import { type FakeTelegram, telegramReplies } from "../support/fake-telegram.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import type { SmtpSink } from "../support/smtp-sink.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const PUBLIC_URL = "https://notify.example.com";
const SECRET = "unsubscribe-secret-for-tests-0123456789";
/** TELEGRAM_CHAT_ID: where Telegram goes for a user without a telegram_id. */
const FALLBACK_CHAT = "-100777000";

describe("categories, preferences, suppressions and one-click unsubscribe", () => {
  let providers: LoopbackProviders;
  let smsRu: FakeSmsRu;
  let telegram: FakeTelegram;
  let smtp: SmtpSink;
  let service: TestService;
  let userCount = 0;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    ({ smsRu, telegram, smtp } = providers);
    service = await startTestService({
      env: providers.env({
        MAX_RETRIES: "0",
        PUBLIC_URL,
        UNSUBSCRIBE_SECRET: SECRET,
        CRITICAL_CATEGORIES: "security",
        TELEGRAM_CHAT_ID: FALLBACK_CHAT,
      }),
    });
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => providers.reset());

  /** A user of their own per test (own addresses), so suppressions of one test never reach another. */
  const newUser = async (extra: Record<string, unknown> = {}) => {
    userCount += 1;
    return service.createUser({
      email: `User${userCount}@Example.com`,
      password: "long enough password",
      phone_number: `+7999100${String(userCount).padStart(4, "0")}`,
      telegram_id: String(5000 + userCount),
      ...extra,
    });
  };
  const setPreferences = async (userId: number, preferences: unknown) => {
    const response = await service.inject({
      method: "PUT",
      url: `/api/users/${userId}/preferences/`,
      payload: preferences as object,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const send = async (body: Record<string, unknown>) => {
    const created = await service.createNotification(body.template ? body : { message: "hello", ...body });
    return service.waitForStatus(created.id);
  };
  const attemptsOf = (notification: {
    attempts: { channel: string; status: string; error_kind: string | null }[];
  }) =>
    notification.attempts.map(
      (attempt) => `${attempt.channel}:${attempt.status}:${attempt.error_kind ?? ""}`,
    );
  const suppressions = async (query: string) => {
    const response = await service.inject({ method: "GET", url: `/api/suppressions/?${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().results as Record<string, unknown>[];
  };

  it("documents every route in the OpenAPI document, the unsubscribe ones without an API key", async () => {
    const document = (await service.inject({ method: "GET", url: "/openapi.json" })).json();
    const operations = [
      ["/api/users/{id}/preferences/", "get"],
      ["/api/users/{id}/preferences/", "put"],
      ["/api/suppressions/", "get"],
      ["/api/suppressions/", "post"],
      ["/api/suppressions/{id}/", "delete"],
      ["/u/{token}", "get"],
      ["/u/{token}", "post"],
    ] as const;
    for (const [path, method] of operations) {
      expect(document.paths[path]?.[method]?.summary, `${method} ${path}`).toBeTruthy();
    }
    expect(document.paths["/u/{token}"].post.security).toEqual([]);
    expect(document.paths["/u/{token}"].post.responses["200"].content["text/html"]).toBeTruthy();
    const created = document.paths["/api/notifications/"].post.requestBody.content["application/json"].schema;
    expect(created.properties.category.examples).toEqual(["marketing"]);
  });

  describe("preferences", () => {
    it("starts with everything allowed, stores a document and refuses a malformed one", async () => {
      const user = await newUser();
      const initial = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      expect(initial.json()).toEqual({ channels: {}, categories: {} });

      const document = {
        channels: { sms: false },
        categories: { marketing: { email: false, telegram: false } },
      };
      expect(await setPreferences(user.id, document)).toEqual(document);
      const read = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      expect(read.json()).toEqual(document);

      const badCategory = await service.inject({
        method: "PUT",
        url: `/api/users/${user.id}/preferences/`,
        payload: { categories: { "Not A Slug": { email: false } } },
      });
      expect(badCategory.statusCode).toBe(400);
      expect(Object.keys(badCategory.json())).toEqual(["categories.Not A Slug"]);
      const badChannel = await service.inject({
        method: "PUT",
        url: `/api/users/${user.id}/preferences/`,
        payload: { channels: { fax: false } },
      });
      expect(badChannel.statusCode).toBe(400);
      // Nothing half-written: the stored document is the one before.
      const after = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      expect(after.json()).toEqual(document);

      const missing = await service.inject({ method: "GET", url: "/api/users/999999/preferences/" });
      expect(missing.statusCode).toBe(404);
      // Said as GET /api/users/999999/ says it.
      expect(missing.json()).toEqual({ detail: "User 999999 not found." });
      const missingUser = await service.inject({ method: "GET", url: "/api/users/999999/" });
      expect(missingUser.json()).toEqual(missing.json());
    });

    it("skips a channel turned off everywhere with reason preference, and delivers on the next", async () => {
      const user = await newUser();
      await setPreferences(user.id, { channels: { sms: false } });
      const done = await send({ user: user.id, channels: ["sms", "email"] });
      expect(done.status).toBe("sent");
      expect(attemptsOf(done)).toEqual(["sms:skipped:preference", "email:sent:"]);
      expect(smsRu.messages).toHaveLength(0);
    });

    it("skips a channel turned off for the notification's category only", async () => {
      const user = await newUser();
      await setPreferences(user.id, { categories: { marketing: { email: false } } });
      const marketing = await send({ user: user.id, channels: ["email", "telegram"], category: "marketing" });
      expect(attemptsOf(marketing)).toEqual(["email:skipped:preference", "telegram:sent:"]);
      expect(marketing.category).toBe("marketing");
      const billing = await send({ user: user.id, channels: ["email", "telegram"], category: "billing" });
      expect(attemptsOf(billing)).toEqual(["email:sent:"]);
    });

    it("fails at once, saying so, when the preferences turn off every channel", async () => {
      const user = await newUser();
      await setPreferences(user.id, {
        channels: { sms: false },
        categories: { news: { email: false, telegram: false } },
      });
      const done = await send({ user: user.id, category: "news" });
      expect(done.status).toBe("failed");
      expect(done.retry_count).toBe(0);
      expect(done.failure_reason).toMatch(/turned off every channel .* preferences/);
      expect(attemptsOf(done)).toEqual([
        "sms:skipped:preference",
        "email:skipped:preference",
        "telegram:skipped:preference",
      ]);
      expect(smsRu.messages).toHaveLength(0);
      expect(telegram.requests).toHaveLength(0);
      expect(smtp.recipientsAsked).toHaveLength(0);
    });

    it("lets critical notifications through: priority critical and a category in CRITICAL_CATEGORIES", async () => {
      const user = await newUser();
      await setPreferences(user.id, { channels: { sms: false }, categories: { security: { sms: false } } });
      const critical = await send({ user: user.id, channels: ["sms"], priority: "critical" });
      expect(attemptsOf(critical)).toEqual(["sms:sent:"]);
      const security = await send({ user: user.id, channels: ["sms"], category: "security" });
      expect(attemptsOf(security)).toEqual(["sms:sent:"]);
      expect(smsRu.messages).toHaveLength(2);
    });

    it("validates the category and filters the list by it", async () => {
      const user = await newUser();
      const bad = await service.inject({
        method: "POST",
        url: "/api/notifications/",
        payload: { user: user.id, message: "m", category: "Marketing!" },
      });
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json())).toEqual(["category"]);
      const tagged = await service.createNotification({
        user: user.id,
        message: "m",
        category: "digest-weekly",
      });
      await service.createNotification({ user: user.id, message: "m" });
      const list = await service.inject({ method: "GET", url: "/api/notifications/?category=digest-weekly" });
      expect(list.json().results.map((n: { id: number }) => n.id)).toEqual([tagged.id]);
      const badFilter = await service.inject({ method: "GET", url: "/api/notifications/?category=A%20B" });
      expect(badFilter.statusCode).toBe(400);
    });
  });

  describe("suppressions", () => {
    it("suppresses a chat that blocked the bot, and skips the next notification to it without calling Telegram", async () => {
      const user = await newUser();
      telegram.replyNext(telegramReplies.botBlocked());
      const first = await send({ user: user.id, channels: ["telegram"] });
      expect(first.status).toBe("failed");
      expect(attemptsOf(first)).toEqual(["telegram:failed:permanent"]);

      const [suppression] = await suppressions(`channel=telegram&address=${user.telegram_id}`);
      expect(suppression).toMatchObject({
        channel: "telegram",
        address: user.telegram_id,
        reason: "bot_blocked",
        source: "delivery",
        evidence: {
          provider_code: "403",
          text: "Forbidden: bot was blocked by the user",
          notification_id: first.id,
        },
      });

      const second = await send({ user: user.id, channels: ["telegram", "email"], priority: "critical" });
      expect(attemptsOf(second)).toEqual(["telegram:skipped:suppressed", "email:sent:"]);
      expect(telegram.requests).toHaveLength(1);
    });

    it("skips Telegram's fallback chat (TELEGRAM_CHAT_ID) once it is suppressed, like a user's own chat", async () => {
      // The channel overview is where an operator sees that the fallback chat itself is suppressed.
      const telegramOverview = async () => {
        const response = await service.inject({ method: "GET", url: "/api/channels/overview/" });
        expect(response.statusCode).toBe(200);
        // A chat id is not a secret; the bot token is, and never shows.
        expect(response.body).not.toContain("loopback-token");
        return response
          .json<{ channels: { channel: string; fallback_address: unknown }[] }>()
          .channels.find((summary) => summary.channel === "telegram")!;
      };
      expect((await telegramOverview()).fallback_address).toEqual({
        address: FALLBACK_CHAT,
        suppression: null,
      });
      const withoutChat = await newUser({ telegram_id: null });
      const withChat = await newUser();
      const first = await send({ user: withoutChat.id, channels: ["telegram"] });
      expect(attemptsOf(first)).toEqual(["telegram:sent:"]);
      expect(telegram.requests.map((request) => String(request.body.chat_id))).toEqual([FALLBACK_CHAT]);

      // The bot is blocked in that chat: delivery suppresses it, as it would a user's own chat.
      telegram.replyNext(telegramReplies.botBlocked());
      const blocked = await send({ user: withoutChat.id, channels: ["telegram"] });
      expect(attemptsOf(blocked)).toEqual(["telegram:failed:permanent"]);
      const [suppression] = await suppressions(`channel=telegram&address=${FALLBACK_CHAT}`);
      expect(suppression).toMatchObject({
        address: FALLBACK_CHAT,
        reason: "bot_blocked",
        source: "delivery",
      });

      const skipped = await send({
        user: withoutChat.id,
        channels: ["telegram", "email"],
        priority: "critical",
      });
      expect(attemptsOf(skipped)).toEqual(["telegram:skipped:suppressed", "email:sent:"]);
      expect(skipped.attempts[0]).toMatchObject({
        error: "the telegram fallback address, used for users without one of their own, is suppressed",
      });
      expect((await telegramOverview()).fallback_address).toEqual({
        address: FALLBACK_CHAT,
        suppression,
      });
      // Every other channel has no fallback address.
      const { channels } = (await service.inject({ method: "GET", url: "/api/channels/overview/" })).json<{
        channels: { channel: string; fallback_address: unknown }[];
      }>();
      expect(channels.filter((summary) => summary.fallback_address !== null).map((s) => s.channel)).toEqual([
        "telegram",
      ]);
      expect(telegram.requests).toHaveLength(2);
      // A user with a chat of their own is not held back by the fallback's suppression.
      expect(attemptsOf(await send({ user: withChat.id, channels: ["telegram"] }))).toEqual([
        "telegram:sent:",
      ]);

      const removed = await service.inject({
        method: "DELETE",
        url: `/api/suppressions/${suppression!.id}/`,
      });
      expect(removed.statusCode).toBe(200);
      expect((await telegramOverview()).fallback_address).toEqual({
        address: FALLBACK_CHAT,
        suppression: null,
      });
      expect(attemptsOf(await send({ user: withoutChat.id, channels: ["telegram"] }))).toEqual([
        "telegram:sent:",
      ]);
    });

    it("suppresses a mailbox the SMTP server refused with 550, in lower case, and skips it after", async () => {
      const user = await newUser();
      smtp.rejectNextRecipient(550, "5.1.1 <mailbox> No such user here");
      const first = await send({ user: user.id, channels: ["email"] });
      expect(first.status).toBe("failed");
      const address = String(user.email).toLowerCase();
      const [suppression] = await suppressions(`address=${encodeURIComponent(String(user.email))}`);
      expect(suppression).toMatchObject({
        channel: "email",
        address,
        reason: "hard_bounce",
        evidence: { provider_code: "550" },
      });
      expect(String((suppression!.evidence as { text: string }).text)).toContain("No such user");

      const second = await send({ user: user.id, channels: ["email"] });
      expect(second.status).toBe("failed");
      expect(second.failure_reason).toMatch(/suppressed/);
      expect(attemptsOf(second)).toEqual(["email:skipped:suppressed"]);
      expect(smtp.recipientsAsked).toHaveLength(1);
    });

    it("does not suppress on a transient refusal (4xx)", async () => {
      const user = await newUser();
      smtp.rejectNextRecipient(450, "4.2.1 Mailbox busy");
      await send({ user: user.id, channels: ["email"] });
      expect(await suppressions(`channel=email&address=${encodeURIComponent(String(user.email))}`)).toEqual(
        [],
      );
    });

    it("delivers again once a suppression is removed by hand", async () => {
      const user = await newUser();
      telegram.replyNext(telegramReplies.userDeactivated());
      await send({ user: user.id, channels: ["telegram"] });
      const [suppression] = await suppressions(`user=${user.id}`);
      expect(suppression).toMatchObject({ channel: "telegram", reason: "bot_blocked" });

      const removed = await service.inject({
        method: "DELETE",
        url: `/api/suppressions/${suppression!.id}/`,
      });
      expect(removed.statusCode).toBe(200);
      const again = await service.inject({ method: "DELETE", url: `/api/suppressions/${suppression!.id}/` });
      expect(again.statusCode).toBe(404);

      const next = await send({ user: user.id, channels: ["telegram"] });
      expect(attemptsOf(next)).toEqual(["telegram:sent:"]);
      expect(telegram.requests).toHaveLength(2);
    });

    it("is shared by two users with the same phone number, however each typed it", async () => {
      const first = await newUser({ phone_number: "+7 999 555-44-33" });
      const second = await newUser({ phone_number: "8 (999) 555 44 33" });
      smsRu.replyNext(smsRuReplies.numberError("79995554433", 202));
      const failed = await send({ user: first.id, channels: ["sms"] });
      expect(attemptsOf(failed)).toEqual(["sms:failed:permanent"]);
      const [suppression] = await suppressions("channel=sms&address=89995554433");
      expect(suppression).toMatchObject({ address: "+79995554433", reason: "invalid_number" });
      expect(suppression!.evidence).toMatchObject({ provider_code: "202" });

      const other = await send({ user: second.id, channels: ["sms", "telegram"] });
      expect(attemptsOf(other)).toEqual(["sms:skipped:suppressed", "telegram:sent:"]);
      expect(smsRu.messages).toHaveLength(1);
    });

    it("adds one by hand, normalised, refuses a duplicate and a bad address", async () => {
      const user = await newUser({ phone_number: "+79995551100" });
      const added = await service.inject({
        method: "POST",
        url: "/api/suppressions/",
        payload: { channel: "sms", address: "8 999 555-11-00", note: "asked by phone" },
      });
      expect(added.statusCode, added.body).toBe(201);
      expect(added.json()).toMatchObject({
        channel: "sms",
        address: "+79995551100",
        reason: "manual",
        source: "api",
        evidence: { note: "asked by phone" },
      });
      const duplicate = await service.inject({
        method: "POST",
        url: "/api/suppressions/",
        payload: { channel: "sms", address: "+79995551100", reason: "unsubscribed" },
      });
      expect(duplicate.statusCode).toBe(409);
      const bad = await service.inject({
        method: "POST",
        url: "/api/suppressions/",
        payload: { channel: "email", address: "not an address", reason: "whatever" },
      });
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json()).sort()).toEqual(["address", "reason"]);

      const done = await send({ user: user.id, channels: ["sms"], priority: "critical" });
      expect(attemptsOf(done)).toEqual(["sms:skipped:suppressed"]);
      expect(smsRu.messages).toHaveLength(0);
    });
  });

  describe("one-click unsubscribe", () => {
    const links = new UnsubscribeLinks(PUBLIC_URL, SECRET);
    const tokenOf = (url: string) => url.slice(`${PUBLIC_URL}/u/`.length);

    it("puts the RFC 8058 headers on a category's email, and none on a critical or uncategorised one", async () => {
      const user = await newUser();
      await send({ user: user.id, channels: ["email"], category: "marketing" });
      await send({ user: user.id, channels: ["email"], category: "security" });
      await send({ user: user.id, channels: ["email"] });
      expect(smtp.mails).toHaveLength(3);
      const [marketing, security, plain] = smtp.mails;
      expect(marketing!.headers["list-unsubscribe"]).toBe(`<${links.linkFor(user.id, "marketing")}>`);
      expect(marketing!.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      expect(security!.headers["list-unsubscribe"]).toBeUndefined();
      expect(plain!.headers["list-unsubscribe"]).toBeUndefined();
    });

    it("gives templates the link as unsubscribe_url", async () => {
      const user = await newUser();
      const saved = await service.inject({
        method: "POST",
        url: "/api/templates/",
        payload: {
          key: "digest",
          default_locale: "en",
          locales: {
            en: {
              email: {
                subject: "Digest",
                text: "News. Unsubscribe: {{ unsubscribe_url }}",
                html: '<p>News. <a href="{{ unsubscribe_url }}">Unsubscribe</a></p>',
              },
            },
          },
        },
      });
      expect(saved.statusCode, saved.body).toBeLessThan(300);
      await send({ user: user.id, template: "digest", channels: ["email"], category: "digest" });
      const link = links.linkFor(user.id, "digest");
      expect(smtp.mails[0]!.text).toContain(link);
      expect(smtp.mails[0]!.html).toContain(link);
    });

    it("gives each recipient of a broadcast their own link, in the template and the headers, as a single notification gets", async () => {
      const saved = await service.inject({
        method: "POST",
        url: "/api/templates/",
        payload: {
          key: "broadcast-digest",
          default_locale: "en",
          locales: {
            en: {
              email: {
                subject: "Digest",
                text: "News for {{ user.first_name }}. Unsubscribe: {{ unsubscribe_url }}",
              },
            },
          },
        },
      });
      expect(saved.statusCode, saved.body).toBeLessThan(300);
      const recipients = [await newUser({ first_name: "Ann" }), await newUser({ first_name: "Bob" })];
      const broadcast = async (category: string) => {
        const response = await service.inject({
          method: "POST",
          url: "/api/broadcasts/",
          payload: {
            users: recipients.map((user) => user.id),
            template: "broadcast-digest",
            channels: ["email"],
            category,
          },
        });
        expect(response.statusCode, response.body).toBe(202);
        return waitFor("both emails", () => (smtp.mails.length === 2 ? [...smtp.mails] : undefined));
      };
      const byRecipient = (mails: typeof smtp.mails) =>
        recipients.map(
          (user) => mails.find((mail) => mail.rcptTo[0]?.toLowerCase() === String(user.email).toLowerCase())!,
        );

      const digest = byRecipient(await broadcast("digest"));
      for (const [i, user] of recipients.entries()) {
        const link = links.linkFor(user.id, "digest");
        expect(digest[i]!.text.trim()).toBe(`News for ${user.first_name}. Unsubscribe: ${link}`);
        expect(digest[i]!.headers["list-unsubscribe"]).toBe(`<${link}>`);
        expect(digest[i]!.headers["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
      }
      // The broadcast's link is the single notification's: one unsubscribes from both.
      smtp.reset();
      await send({
        user: recipients[0]!.id,
        template: "broadcast-digest",
        channels: ["email"],
        category: "digest",
      });
      expect(smtp.mails[0]!.text).toBe(digest[0]!.text);

      // A critical category has none, as for a single notification.
      smtp.reset();
      const security = byRecipient(await broadcast("security"));
      for (const [i, user] of recipients.entries()) {
        expect(security[i]!.text.trim()).toBe(`News for ${user.first_name}. Unsubscribe:`);
        expect(security[i]!.headers["list-unsubscribe"]).toBeUndefined();
      }
    });

    it("unsubscribes on a POST with no API key, as a mail provider sends it, and the next email is skipped", async () => {
      const user = await newUser();
      const token = tokenOf(links.linkFor(user.id, "marketing"));
      const response = await service.app.inject({
        method: "POST",
        url: `/u/${token}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "List-Unsubscribe=One-Click",
      });
      expect(response.statusCode).toBe(200);
      const preferences = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      expect(preferences.json()).toEqual({ channels: {}, categories: { marketing: { email: false } } });

      const next = await send({ user: user.id, channels: ["email", "telegram"], category: "marketing" });
      expect(attemptsOf(next)).toEqual(["email:skipped:preference", "telegram:sent:"]);
      expect(smtp.recipientsAsked).toHaveLength(0);
    });

    it("keeps the user's other preferences when unsubscribing, from multipart too", async () => {
      const user = await newUser();
      await setPreferences(user.id, {
        channels: { sms: false },
        categories: { marketing: { telegram: false } },
      });
      const boundary = "----x";
      const response = await service.app.inject({
        method: "POST",
        url: `/u/${tokenOf(links.linkFor(user.id, "marketing"))}`,
        headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
        payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      });
      expect(response.statusCode).toBe(200);
      const preferences = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      expect(preferences.json()).toEqual({
        channels: { sms: false },
        categories: { marketing: { telegram: false, email: false } },
      });
    });

    it("never refuses an unsubscribe past the category limit, and takes that document back with PUT", async () => {
      const user = await newUser();
      const hundred = Object.fromEntries(
        Array.from({ length: 100 }, (_, i) => [`topic-${i}`, { sms: false }]),
      );
      await setPreferences(user.id, { categories: hundred });
      const unsubscribed = await service.app.inject({
        method: "POST",
        url: `/u/${tokenOf(links.linkFor(user.id, "marketing"))}`,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "List-Unsubscribe=One-Click",
      });
      expect(unsubscribed.statusCode).toBe(200);
      const read = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      const document = read.json<{ categories: Record<string, unknown> }>();
      expect(Object.keys(document.categories)).toHaveLength(101);
      expect(document.categories.marketing).toEqual({ email: false });

      const put = (userId: number, payload: object) =>
        service.inject({ method: "PUT", url: `/api/users/${userId}/preferences/`, payload });
      expect((await put(user.id, document)).statusCode).toBe(200);
      const oneMore = await put(user.id, { categories: { ...document.categories, extra: { sms: false } } });
      expect(oneMore.statusCode).toBe(400);
      expect(oneMore.json()).toEqual({
        categories: [
          "Ensure there are no more than 101 categories, as many as one-click unsubscribes gave this user (otherwise 100).",
        ],
      });
      // Another user has no such allowance.
      const other = await newUser();
      const refused = await put(other.id, document);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({ categories: ["Ensure there are no more than 100 categories."] });
      expect(
        (await service.inject({ method: "GET", url: `/api/users/${other.id}/preferences/` })).json(),
      ).toEqual({ channels: {}, categories: {} });
    });

    it("shows a page on GET and changes nothing", async () => {
      const user = await newUser();
      const response = await service.app.inject({
        method: "GET",
        url: `/u/${tokenOf(links.linkFor(user.id, "marketing"))}`,
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers["content-type"]).toMatch(/^text\/html/);
      expect(response.body).toContain('<form method="post">');
      const preferences = await service.inject({ method: "GET", url: `/api/users/${user.id}/preferences/` });
      expect(preferences.json()).toEqual({ channels: {}, categories: {} });
    });

    it("refuses tampered and foreign tokens with a 400 page, and changes nothing", async () => {
      const user = await newUser();
      const victim = await newUser();
      const token = tokenOf(links.linkFor(user.id, "marketing"));
      const [, , mac] = token.split(".");
      const tampered = [
        `${user.id}.marketing.${mac!.slice(0, -2)}${mac!.endsWith("AA") ? "BA" : "AA"}`,
        // The user's own signature moved to another user, or to another category.
        `${victim.id}.marketing.${mac}`,
        `${user.id}.billing.${mac}`,
        // Made with another secret (a rotated one).
        tokenOf(
          new UnsubscribeLinks(PUBLIC_URL, "another-secret-0123456789-0123456789").linkFor(
            victim.id,
            "marketing",
          ),
        ),
        "garbage",
      ];
      for (const bad of tampered) {
        const response = await service.app.inject({ method: "POST", url: `/u/${encodeURIComponent(bad)}` });
        expect(response.statusCode, bad).toBe(400);
        expect(response.headers["content-type"]).toMatch(/^text\/html/);
      }
      for (const id of [user.id, victim.id]) {
        const preferences = await service.inject({ method: "GET", url: `/api/users/${id}/preferences/` });
        expect(preferences.json()).toEqual({ channels: {}, categories: {} });
      }
    });
  });
});
