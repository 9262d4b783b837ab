import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { UsersRepository } from "../../src/db/users-repository.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

const otp = {
  key: "otp",
  description: "One-time code",
  default_locale: "en",
  locales: {
    en: {
      sms: { text: "Your code is {{ data.code }}" },
      email: {
        subject: "Code for {{ user.first_name }}",
        text: "Hello {{ user.first_name }}, your code is {{ data.code }}.",
        html: "<p>Hello {{ user.first_name }}, your code is <b>{{ data.code }}</b>.</p>",
      },
      telegram: { text: "Code: <b>{{ data.code }}</b>", parse_mode: "HTML" },
    },
    pt: { sms: { text: "Seu código é {{ data.code }}" } },
    ru: { sms: { text: "Ваш код: {{ data.code }}" }, email: { subject: "Код", text: "Код {{ data.code }}" } },
  },
};

describe("templates", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let nextChat = 910_000;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({ env: providers.env({ MAX_RETRIES: "0" }) });
    expect((await post("/api/templates/", otp)).statusCode).toBe(201);
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => providers.reset());

  const post = (url: string, payload: object) => service.inject({ method: "POST", url, payload });
  const user = async (fields: Record<string, unknown> = {}) =>
    service.createUser({
      email: `user${nextChat}@example.com`,
      password: "long enough",
      first_name: "Ada",
      phone_number: "+79990001122",
      telegram_id: String(nextChat++),
      ...fields,
    });
  const countNotifications = async () =>
    (await service.core.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM notifications")).rows[0]!.n;

  describe("saving", () => {
    it("creates, reads, lists, replaces and deletes a template", async () => {
      const body = { ...otp, key: "welcome", locales: { en: { sms: { text: "Hi {{ user.first_name }}" } } } };
      const created = await post("/api/templates/", body);
      expect(created.statusCode).toBe(201);
      expect(created.json()).toMatchObject({ key: "welcome", default_locale: "en", locales: body.locales });
      const fetched = await service.inject({ method: "GET", url: "/api/templates/welcome/" });
      expect(fetched.json()).toMatchObject({ key: "welcome" });
      const list = (await service.inject({ method: "GET", url: "/api/templates/" })).json();
      expect(list.results.map((t: { key: string }) => t.key)).toEqual(
        expect.arrayContaining(["otp", "welcome"]),
      );
      const replaced = await service.inject({
        method: "PUT",
        url: "/api/templates/welcome/",
        payload: { default_locale: "en", locales: { en: { sms: { text: "Hello {{ user.first_name }}" } } } },
      });
      expect(replaced.statusCode).toBe(200);
      expect(replaced.json().locales.en.sms.text).toBe("Hello {{ user.first_name }}");
      expect(replaced.json().description).toBe("");
      expect((await service.inject({ method: "DELETE", url: "/api/templates/welcome/" })).statusCode).toBe(
        204,
      );
      expect((await service.inject({ method: "GET", url: "/api/templates/welcome/" })).statusCode).toBe(404);
      expect((await service.inject({ method: "DELETE", url: "/api/templates/welcome/" })).statusCode).toBe(
        404,
      );
    });

    it("refuses a syntax error with its line, an unknown filter, and a duplicate key", async () => {
      const broken = await post("/api/templates/", {
        key: "broken",
        default_locale: "en",
        locales: { en: { email: { text: "Line one\nLine two {% if %}" } } },
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json()["locales.en.email.text"][0]).toMatch(/line 2/);
      const filter = await post("/api/templates/", {
        key: "broken",
        default_locale: "en",
        locales: { en: { sms: { text: "{{ data.code | shout }}" } } },
      });
      expect(filter.statusCode).toBe(400);
      expect(filter.json()["locales.en.sms.text"][0]).toMatch(/undefined filter: shout \(line 1/);
      const duplicate = await post("/api/templates/", otp);
      expect(duplicate.statusCode).toBe(400);
      expect(duplicate.json().key[0]).toMatch(/already exists/);
      const noDefault = await post("/api/templates/", { ...otp, key: "nodefault", default_locale: "de" });
      expect(noDefault.json()).toEqual({ default_locale: ["The template has no locale de."] });
      const badKey = await post("/api/templates/", { ...otp, key: "Not A Slug" });
      expect(Object.keys(badKey.json())).toEqual(["key"]);
      const include = await post("/api/templates/", {
        key: "reads-files",
        default_locale: "en",
        locales: { en: { sms: { text: "{% include 'package.json' %}" } } },
      });
      expect(include.statusCode).toBe(400);
      expect((await service.inject({ method: "GET", url: "/api/templates/broken/" })).statusCode).toBe(404);
    });

    it("says what is wrong with a bad key and what a key may be, on create and replace, and saves nothing", async () => {
      const rule =
        'A key is 1-100 lowercase letters, digits, "-" or "_", starting and ending with a letter or digit (e.g. "otp", "order-shipped").';
      const cases = [
        ["Not A Slug", `Enter a valid key: it may not contain "N", " ", "A" or "S". ${rule}`],
        ["order.shipped", `Enter a valid key: it may not contain ".". ${rule}`],
        ["ABCDEFG", `Enter a valid key: it may not contain "A", "B", "C", "D" or "E", among others. ${rule}`],
        [
          "-draft",
          `Enter a valid key: it must start and end with a letter or digit, not "-" or "_". ${rule}`,
        ],
        ["", "This field may not be blank."],
        ["k".repeat(101), "Ensure this field has no more than 100 characters."],
      ];
      for (const [key, problem] of cases) {
        const created = await post("/api/templates/", { ...otp, key });
        expect(created.statusCode, key).toBe(400);
        expect(created.json(), key).toEqual({ key: [problem] });
      }
      const replaced = await service.inject({
        method: "PUT",
        url: "/api/templates/Order_Shipped/",
        payload: { default_locale: otp.default_locale, locales: otp.locales },
      });
      expect(replaced.statusCode).toBe(400);
      expect(replaced.json()).toEqual({
        key: [`Enter a valid key: it may not contain "O" or "S". ${rule}`],
      });
      const { rows } = await service.core.pool.query("SELECT key FROM templates WHERE key = ANY($1)", [
        [...cases.map(([key]) => key), "Order_Shipped"],
      ]);
      expect(rows).toEqual([]);
    });
  });

  describe("notifications from a template", () => {
    it("renders every channel in the user's locale and delivers what was rendered", async () => {
      const ada = await user();
      const created = await service.createNotification({
        user: ada.id,
        template: "otp",
        data: { code: "<script>alert(1)</script>" },
        channels: ["email", "telegram", "sms"],
      });
      expect(created).toMatchObject({ template: "otp", locale: "en", status: "pending" });
      expect(created.rendered).toEqual({
        email: {
          subject: "Code for Ada",
          text: "Hello Ada, your code is <script>alert(1)</script>.",
          html: "<p>Hello Ada, your code is <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>.</p>",
        },
        telegram: { text: "Code: <b>&lt;script&gt;alert(1)&lt;/script&gt;</b>", parse_mode: "HTML" },
        sms: { text: "Your code is <script>alert(1)</script>" },
      });
      expect(created.message).toBe("Hello Ada, your code is <script>alert(1)</script>.");
      await service.waitForStatus(created.id, "sent");
      const mail = providers.smtp.mails[0]!;
      expect(mail.subject).toBe("Code for Ada");
      expect(mail.text.trim()).toBe("Hello Ada, your code is <script>alert(1)</script>.");
      expect(mail.html).toContain("<b>&lt;script&gt;alert(1)&lt;/script&gt;</b>");
      expect(mail.html).not.toContain("<script>");
    });

    it("escapes for Telegram HTML and sends its parse_mode; SMS gets the raw text", async () => {
      const ada = await user();
      const tg = await service.createNotification({
        user: ada.id,
        template: "otp",
        data: { code: "1 < 2 & 3" },
        channels: ["telegram"],
      });
      await service.waitForStatus(tg.id, "sent");
      expect(providers.telegram.requests[0]!.body).toMatchObject({
        text: "Code: <b>1 &lt; 2 &amp; 3</b>",
        parse_mode: "HTML",
      });
      const sms = await service.createNotification({
        user: ada.id,
        template: "otp",
        data: { code: "1 < 2 & 3" },
        channels: ["sms"],
      });
      await service.waitForStatus(sms.id, "sent");
      expect(providers.smsRu.messages[0]!.text).toBe("Your code is 1 < 2 & 3");
    });

    it("falls back from pt-BR to pt, and from an unknown locale to the default", async () => {
      const brazilian = await user({ locale: "pt-br" });
      expect(brazilian.locale).toBe("pt-BR");
      const pt = await service.createNotification({
        user: brazilian.id,
        template: "otp",
        data: { code: "7" },
      });
      expect(pt).toMatchObject({ locale: "pt", rendered: { sms: { text: "Seu código é 7" } } });
      const german = await user({ locale: "de-AT" });
      const en = await service.createNotification({ user: german.id, template: "otp", data: { code: "7" } });
      expect(en.locale).toBe("en");
    });

    it("skips a channel the locale has no body for, with reason no_template_body", async () => {
      const russian = await user({ locale: "ru" });
      const created = await service.createNotification({
        user: russian.id,
        template: "otp",
        data: { code: "42" },
        channels: ["telegram", "email"],
      });
      expect(Object.keys(created.rendered as object)).toEqual(["email"]);
      const done = await service.waitForStatus(created.id, "sent");
      expect(done.attempts.map((a) => [a.channel, a.status, a.error_kind])).toEqual([
        ["telegram", "skipped", "no_template_body"],
        ["email", "sent", null],
      ]);
      expect(done.attempts[0]!.error).toBe('template "otp" has no telegram body in locale ru');
      expect(providers.telegram.requests).toHaveLength(0);
      expect(providers.smtp.mails[0]!.text.trim()).toBe("Код 42");
    });

    it("refuses a missing variable naming template, locale, channel and variable, and stores nothing", async () => {
      const ada = await user();
      const before = await countNotifications();
      const response = await post("/api/notifications/", { user: ada.id, template: "otp", data: {} });
      expect(response.statusCode).toBe(400);
      expect(response.json().template[0]).toMatch(
        /^template "otp", locale en, sms text: undefined variable: data\.code \(line 1, column \d+\)$/,
      );
      expect(await countNotifications()).toBe(before);
    });

    it("refuses message with template, data without template, an unknown template and too much data", async () => {
      const ada = await user();
      const both = await post("/api/notifications/", { user: ada.id, message: "x", template: "otp" });
      expect(both.json()).toEqual({ template: ["Give either message or template, not both."] });
      const data = await post("/api/notifications/", { user: ada.id, message: "x", data: { a: 1 } });
      expect(data.json()).toEqual({ data: ["data is only for a template."] });
      const unknown = await post("/api/notifications/", { user: ada.id, template: "nope", data: {} });
      expect(unknown.json()).toEqual({ template: ['There is no template with key "nope".'] });
      const big = await post("/api/notifications/", {
        user: ada.id,
        template: "otp",
        data: { code: "x".repeat(17_000) },
      });
      expect(big.statusCode).toBe(400);
      expect(big.json().data[0]).toMatch(/16384 bytes/);
      const neither = await post("/api/notifications/", { user: ada.id });
      expect(neither.json()).toEqual({ message: ["This field is required."] });
    });

    it("reads recipient and template together: each of many concurrent creates gets its own answer", async () => {
      const ada = await user({ first_name: "Ada", locale: "ru" });
      const bob = await user({ first_name: "Bob" });
      const before = await countNotifications();
      // Made in one tick, so they share the read: unknown users and templates among known ones.
      const bodies = Array.from({ length: 24 }, (_, i) => ({
        user: i % 6 === 1 ? 987_654_321 : i % 2 ? bob.id : ada.id,
        template: i % 4 === 2 ? "nope" : "otp",
        data: { code: String(i) },
        channels: ["sms"],
      }));
      const responses = await Promise.all(bodies.map((body) => post("/api/notifications/", body)));
      responses.forEach((response, i) => {
        const body = bodies[i]!;
        if (body.user === 987_654_321) {
          // The user is checked first, whether the template exists or not.
          expect(response.statusCode).toBe(400);
          expect(response.json()).toEqual({ user: ['Invalid pk "987654321" - object does not exist.'] });
        } else if (body.template === "nope") {
          expect(response.statusCode).toBe(400);
          expect(response.json()).toEqual({ template: ['There is no template with key "nope".'] });
        } else {
          expect(response.statusCode).toBe(201);
          const text = body.user === ada.id ? `Ваш код: ${i}` : `Your code is ${i}`;
          expect(response.json()).toMatchObject({
            user: body.user,
            message: text,
            rendered: { sms: { text } },
          });
        }
      });
      const created = responses.filter((response) => response.statusCode === 201).length;
      expect(created).toBe(bodies.filter((b) => b.user !== 987_654_321 && b.template !== "nope").length);
      expect(await countNotifications()).toBe(before + created);
    });

    it("answers concurrent creates that differ only in a later channel's body each with its own", async () => {
      await post("/api/templates/", {
        key: "same-sms",
        default_locale: "en",
        locales: {
          en: {
            sms: { text: "You have mail" },
            email: { subject: "Code", text: "Your code is {{ data.code }}" },
            telegram: { text: "<b>{{ data.code }}</b>", parse_mode: "HTML" },
          },
        },
      });
      const ada = await user();
      // Same user, message and subject: the batched insert tells them apart by their bodies alone.
      const codes = Array.from({ length: 12 }, (_, i) => String(i));
      const responses = await Promise.all(
        codes.map((code) =>
          post("/api/notifications/", {
            user: ada.id,
            template: "same-sms",
            data: { code },
            channels: Number(code) % 2 ? ["sms", "email"] : ["sms", "telegram"],
          }),
        ),
      );
      responses.forEach((response, i) => {
        expect(response.statusCode).toBe(201);
        expect(response.json().message).toBe("You have mail");
        expect(response.json().rendered).toEqual(
          i % 2
            ? {
                sms: { text: "You have mail" },
                email: { subject: "Code", text: `Your code is ${i}` },
              }
            : { sms: { text: "You have mail" }, telegram: { text: `<b>${i}</b>`, parse_mode: "HTML" } },
        );
      });
      expect(new Set(responses.map((response) => response.json().id)).size).toBe(codes.length);
    });

    it("answers concurrent creates each with its own when one carries a lone surrogate", async () => {
      await post("/api/templates/", {
        key: "code",
        default_locale: "en",
        locales: { en: { sms: { text: "Code {{ data.code }}" } } },
      });
      const ada = await user();
      // JSON may escape half a surrogate pair; PostgreSQL stores none (text would get U+FFFD, jsonb
      // refuses), so that request is a 400 of its own and the others in the same tick are stored.
      const code = (i: number) => (i === 5 ? `"${i}\\ud800"` : `"${i}"`);
      const raw = (payload: string) =>
        service.inject({
          method: "POST",
          url: "/api/notifications/",
          payload,
          headers: { "content-type": "application/json" },
        });
      const indexes = Array.from({ length: 12 }, (_, i) => i);
      const expectEach = (
        responses: Awaited<ReturnType<typeof raw>>[],
        field: string,
        text: (i: number) => string,
      ) =>
        responses.forEach((response, i) => {
          if (i === 5) {
            expect(response.statusCode).toBe(400);
            expect(response.json()).toEqual({ [field]: ["Surrogate characters are not allowed: U+D800."] });
            return;
          }
          expect(response.statusCode).toBe(201);
          expect(response.json().message).toBe(text(i));
        });
      const fromTemplate = await Promise.all(
        indexes.map((i) => raw(`{"user": ${ada.id}, "template": "code", "data": {"code": ${code(i)}}}`)),
      );
      expectEach(fromTemplate, "data", (i) => `Code ${i}`);
      const plain = await Promise.all(indexes.map((i) => raw(`{"user": ${ada.id}, "message": ${code(i)}}`)));
      expectEach(plain, "message", (i) => `${i}`);
      const ids = [...fromTemplate, ...plain]
        .filter((response) => response.statusCode === 201)
        .map((response) => response.json().id);
      expect(ids).toHaveLength(22);
      const { rows } = await service.core.pool.query<{ id: number }>(
        "SELECT id FROM notifications WHERE user_id = $1 ORDER BY id",
        [ada.id],
      );
      expect(rows.map((row) => row.id)).toEqual([...ids].sort((a, b) => a - b));
    });

    it("fails only the create whose value the batched INSERT refuses", async () => {
      const ada = await user();
      const notification = (text: string) => ({
        userId: ada.id,
        message: "Same",
        subject: null,
        channels: ["sms" as const],
        template: "code",
        rendered: { sms: { text } },
      });
      // In one tick, so one statement; jsonb refuses a lone surrogate (rendering never makes one).
      const results = await Promise.allSettled(
        ["first", "bad \ud800", "third"].map((text) =>
          service.core.notifications.createBatched(notification(text)),
        ),
      );
      expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: "22P02" });
      const { rows } = await service.core.pool.query<{ text: string }>(
        "SELECT rendered->'sms'->>'text' AS text FROM notifications WHERE user_id = $1 ORDER BY text",
        [ada.id],
      );
      expect(rows.map((row) => row.text)).toEqual(["first", "third"]);
    });

    it("uses a template saved by another process for the next notification", async () => {
      await post("/api/templates/", {
        key: "elsewhere",
        default_locale: "en",
        locales: { en: { sms: { text: "First {{ data.code }}" } } },
      });
      const ada = await user();
      const send = () =>
        post("/api/notifications/", { user: ada.id, template: "elsewhere", data: { code: "7" } });
      expect((await send()).json().message).toBe("First 7");
      // Another process saving it: only the row changes, as its repository would change it.
      await service.core.pool.query(
        `UPDATE templates SET locales = $1, updated_at = GREATEST(now(), updated_at + interval '1 millisecond')
         WHERE key = 'elsewhere'`,
        [JSON.stringify({ en: { sms: { text: "Second {{ data.code }}" } } })],
      );
      expect((await send()).json().message).toBe("Second 7");
      await service.core.pool.query("DELETE FROM templates WHERE key = 'elsewhere'");
      expect((await send()).json()).toEqual({ template: ['There is no template with key "elsewhere".'] });
    });

    it("renders a recipient it has read before without reading again, and sees changes made elsewhere", async () => {
      await post("/api/templates/", {
        key: "greet",
        default_locale: "en",
        locales: {
          en: { sms: { text: "Hi {{ user.first_name }}, {{ data.code }}" } },
          ru: { sms: { text: "Привет, {{ user.first_name }}" } },
        },
      });
      const ada = await user({ first_name: "Ada" });
      const send = (code: string) =>
        post("/api/notifications/", { user: ada.id, template: "greet", data: { code }, channels: ["sms"] });
      const storedMessages = async () =>
        (
          await service.core.pool.query<{ message: string }>(
            "SELECT message FROM notifications WHERE user_id = $1 ORDER BY id",
            [ada.id],
          )
        ).rows.map((row) => row.message);
      expect((await send("1")).json().message).toBe("Hi Ada, 1");

      // Every statement the service sends from here on, by name (or text when it has none).
      const pool = service.core.pool;
      const query = pool.query;
      const sent: string[] = [];
      pool.query = ((config: string | { name?: string; text: string }, ...rest: unknown[]) => {
        sent.push(typeof config === "string" ? config : (config.name ?? config.text));
        return (query as (...args: unknown[]) => unknown).call(pool, config, ...rest);
      }) as typeof pool.query;
      const unrecorded = (text: string, values: unknown[]) => query.apply(pool, [text, values] as never);
      try {
        expect((await send("2")).json().message).toBe("Hi Ada, 2");
        expect(sent).not.toContain("template-recipients");
        expect(sent).toContain("insert-notifications-checked");

        // Another process changes the recipient: the INSERT sees the row changed, nothing is
        // stored from the old copy, and the notification is rendered again from the new one.
        await unrecorded("UPDATE users SET first_name = 'Adele' WHERE id = $1", [ada.id]);
        sent.length = 0;
        expect((await send("3")).json().message).toBe("Hi Adele, 3");
        expect(sent).toContain("template-recipients");
        await unrecorded("UPDATE users SET locale = 'ru' WHERE id = $1", [ada.id]);
        expect((await send("4")).json().message).toBe("Привет, Adele");
        expect(await storedMessages()).toEqual(["Hi Ada, 1", "Hi Ada, 2", "Hi Adele, 3", "Привет, Adele"]);

        // A remembered copy is read again after five minutes, changed or not (see REMEMBER_FOR_MS).
        sent.length = 0;
        await send("5");
        expect(sent).not.toContain("template-recipients");
        const now = performance.now();
        const later = vi.spyOn(performance, "now").mockImplementation(() => now + 5 * 60_000 + 1);
        try {
          await send("6");
        } finally {
          later.mockRestore();
        }
        expect(sent).toContain("template-recipients");

        await unrecorded("DELETE FROM users WHERE id = $1", [ada.id]);
        const gone = await send("7");
        expect(gone.statusCode).toBe(400);
        expect(gone.json()).toEqual({ user: [`Invalid pk "${ada.id}" - object does not exist.`] });
        expect(await storedMessages()).toEqual([]);
      } finally {
        pool.query = query;
      }
    });

    describe("a remembered recipient", () => {
      const sendOtp = (userId: number) =>
        post("/api/notifications/", {
          user: userId,
          template: "otp",
          data: { code: "1" },
          channels: ["email"],
        });
      const remembered = (userId: number) => service.core.templates.remembered(userId, "otp")?.user ?? null;
      /** A session of another process: its own connection to the same database. */
      const otherSession = async () => {
        const client = new pg.Client({ connectionString: service.database.url });
        await client.connect();
        return client;
      };
      /** How many sessions wait for a lock (a row or a table another one holds), by the service's pool. */
      const waitingForLocks = async () =>
        (
          await service.core.pool.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0]!.n;

      it("is forgotten at once when changed or erased through this process", async () => {
        const ada = await user({ first_name: "Ada" });
        expect((await sendOtp(ada.id)).json().subject).toBe("Code for Ada");
        expect(remembered(ada.id)).toMatchObject({ firstName: "Ada", email: ada.email });
        const patch = {
          method: "PATCH" as const,
          url: `/api/users/${ada.id}/`,
          payload: { first_name: "Adele" },
        };
        expect((await service.inject(patch)).statusCode).toBe(200);
        expect(remembered(ada.id)).toBeNull();
        expect((await sendOtp(ada.id)).json().subject).toBe("Code for Adele");
        expect(remembered(ada.id)).toMatchObject({ firstName: "Adele" });
        expect((await service.inject({ method: "DELETE", url: `/api/users/${ada.id}/` })).statusCode).toBe(
          204,
        );
        expect(remembered(ada.id)).toBeNull();
        // Erased by another process first: erasing them here too is a 404, and forgets them all the same.
        const bob = await user({ first_name: "Bob" });
        expect((await sendOtp(bob.id)).statusCode).toBe(201);
        await service.core.pool.query("DELETE FROM users WHERE id = $1", [bob.id]);
        expect(remembered(bob.id)).not.toBeNull();
        expect((await service.inject({ method: "DELETE", url: `/api/users/${bob.id}/` })).statusCode).toBe(
          404,
        );
        expect(remembered(bob.id)).toBeNull();
      });

      it("is not remembered from a read that was under way when it was changed here", async () => {
        const ada = await user({ first_name: "Ada" });
        const session = await otherSession();
        try {
          // The read waits for the templates table; the change, which needs only users, goes on.
          await session.query("BEGIN");
          await session.query("LOCK TABLE templates IN ACCESS EXCLUSIVE MODE");
          const created = sendOtp(ada.id);
          await waitFor("the read to wait", async () => ((await waitingForLocks()) > 0 ? true : undefined));
          const patch = {
            method: "PATCH" as const,
            url: `/api/users/${ada.id}/`,
            payload: { first_name: "Adele" },
          };
          expect((await service.inject(patch)).statusCode).toBe(200);
          await session.query("COMMIT");
          expect((await created).statusCode).toBe(201);
        } finally {
          await session.end();
        }
        expect(remembered(ada.id)).toBeNull();
      });

      it("changed again between the read after a stale copy and the INSERT: stored as read", async () => {
        const ada = await user({ first_name: "Ada" });
        expect((await sendOtp(ada.id)).statusCode).toBe(201);
        // Changed by another process: the next INSERT from the copy is refused, and ada read again.
        const holder = await otherSession();
        try {
          await holder.query("UPDATE users SET first_name = 'Bea' WHERE id = $1", [ada.id]);
          // Changed again while the second INSERT waits for their row (its foreign key check).
          await holder.query("BEGIN");
          await holder.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [ada.id]);
          const created = sendOtp(ada.id);
          await waitFor("the INSERT to wait", async () =>
            (await waitingForLocks()) === 1 ? true : undefined,
          );
          await holder.query("UPDATE users SET first_name = 'Cleo' WHERE id = $1", [ada.id]);
          await holder.query("COMMIT");
          const response = await created;
          expect(response.statusCode).toBe(201);
          expect(response.json().subject).toBe("Code for Bea");
        } finally {
          await holder.end();
        }
        expect((await sendOtp(ada.id)).json().subject).toBe("Code for Cleo");
      });

      it("erased by another process while the INSERT waits for their row: 400, nothing stored", async () => {
        const ada = await user();
        expect((await sendOtp(ada.id)).statusCode).toBe(201);
        expect(remembered(ada.id)).not.toBeNull();
        // Another process erases them; a third session holds their row until both wait behind it,
        // the erasure first. This process's copy is stale: its INSERT passes the row-version
        // check by its snapshot, then its foreign key check finds the row gone.
        const holder = await otherSession();
        const otherPool = new pg.Pool({ connectionString: service.database.url, max: 1 });
        try {
          await holder.query("BEGIN");
          await holder.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [ada.id]);
          const erased = new UsersRepository(otherPool).erase(ada.id);
          await waitFor("the erasure to wait", async () =>
            (await waitingForLocks()) === 1 ? true : undefined,
          );
          const created = sendOtp(ada.id);
          await waitFor("the INSERT to wait", async () =>
            (await waitingForLocks()) === 2 ? true : undefined,
          );
          await holder.query("COMMIT");
          expect(await erased).toEqual({ id: ada.id, notifications: 1 });
          const response = await created;
          expect(response.statusCode).toBe(400);
          expect(response.json()).toEqual({ user: [`Invalid pk "${ada.id}" - object does not exist.`] });
        } finally {
          await holder.end();
          await otherPool.end();
        }
        const stored = await service.core.pool.query("SELECT id FROM notifications WHERE user_id = $1", [
          ada.id,
        ]);
        expect(stored.rows).toEqual([]);
        expect(remembered(ada.id)).toBeNull();
      });
    });

    it("bounds a render's time and its output", async () => {
      await post("/api/templates/", {
        key: "loop",
        default_locale: "en",
        locales: { en: { sms: { text: "{% for i in (1..100000000) %}{{ i }}{% endfor %}" } } },
      });
      const ada = await user();
      const loop = await post("/api/notifications/", { user: ada.id, template: "loop", data: {} });
      expect(loop.statusCode).toBe(400);
      expect(loop.json().template[0]).toMatch(/^template "loop", locale en, sms text: .*limit exceeded/);
      // Out of time between two parts of the text (each a few milliseconds of filtering), where
      // LiquidJS checks the time outside any part, and again when rendered once more.
      await post("/api/templates/", {
        key: "filters",
        default_locale: "en",
        locales: { en: { sms: { text: "{{ data.n | where_exp: 'x', 'x > 5' | size }}".repeat(200) } } },
      });
      const n = Array.from({ length: 3_000 }, (_, i) => i);
      const filters = await post("/api/notifications/", { user: ada.id, template: "filters", data: { n } });
      expect(filters.statusCode).toBe(400);
      expect(filters.json()).toEqual({
        template: ['template "filters", locale en, sms text: template render limit exceeded'],
      });
      await post("/api/templates/", {
        key: "long",
        default_locale: "en",
        locales: { en: { sms: { text: "{{ data.s }}{{ data.s }}{{ data.s }}" } } },
      });
      const long = await post("/api/notifications/", {
        user: ada.id,
        template: "long",
        data: { s: "y".repeat(4_000) },
      });
      expect(long.statusCode).toBe(400);
      expect(long.json().template[0]).toMatch(/rendered to 12000 characters; at most 10000/);
    });

    it("keeps what was sent when the template is edited afterwards", async () => {
      const ada = await user();
      const created = await service.createNotification({
        user: ada.id,
        template: "otp",
        data: { code: "111" },
        channels: ["sms"],
      });
      await service.waitForStatus(created.id, "sent");
      const edited = await service.inject({
        method: "PUT",
        url: "/api/templates/otp/",
        payload: {
          ...otp,
          locales: { ...otp.locales, en: { ...otp.locales.en, sms: { text: "NEW {{ data.code }}" } } },
        },
      });
      expect(edited.statusCode).toBe(200);
      const after = await service.getNotification(created.id);
      expect(after.rendered).toEqual({ sms: { text: "Your code is 111" } });
      expect(after.message).toBe("Your code is 111");
      const next = await service.createNotification({ user: ada.id, template: "otp", data: { code: "222" } });
      expect(next.rendered).toMatchObject({ sms: { text: "NEW 222" } });
      await service.inject({ method: "PUT", url: "/api/templates/otp/", payload: otp });
      await service.waitForStatus(next.id);
    });

    it("replays an idempotent template request, and refuses the key for other data", async () => {
      const ada = await user();
      const send = (code: string) =>
        service.inject({
          method: "POST",
          url: "/api/notifications/",
          headers: { "idempotency-key": `otp-${ada.id}` },
          payload: { user: ada.id, template: "otp", data: { code }, channels: ["sms"] },
        });
      const first = await send("5");
      const again = await send("5");
      expect(again.headers["idempotent-replayed"]).toBe("true");
      expect(again.json().id).toBe(first.json().id);
      expect((await send("6")).statusCode).toBe(409);
      await service.waitForStatus(first.json().id, "sent");
      await waitFor("one SMS", () => (providers.smsRu.messages.length === 1 ? true : undefined));
    });
  });

  describe("previewing", () => {
    it("renders without storing anything, with a user id, sample variables or a locale", async () => {
      const ada = await user({ locale: "ru" });
      const before = await countNotifications();
      const byId = await post("/api/templates/otp/render/", { data: { code: "9" }, user: ada.id });
      expect(byId.statusCode).toBe(200);
      expect(byId.json()).toEqual({
        template: "otp",
        locale: "ru",
        rendered: { sms: { text: "Ваш код: 9" }, email: { subject: "Код", text: "Код 9" } },
      });
      const sample = await post("/api/templates/otp/render/", {
        data: { code: "9" },
        user: { first_name: "Grace" },
        locale: "en",
        channels: ["email"],
      });
      expect(sample.json().rendered.email.subject).toBe("Code for Grace");
      const missing = await post("/api/templates/otp/render/", { data: {}, locale: "ru", channels: ["sms"] });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().template[0]).toMatch(/locale ru, sms text: undefined variable: data\.code/);
      expect((await post("/api/templates/nope/render/", { data: {} })).statusCode).toBe(404);
      expect(await countNotifications()).toBe(before);
    });

    it("renders an unsaved draft, with syntax errors per field and line", async () => {
      const before = await countNotifications();
      const draft = {
        default_locale: "en",
        locales: { en: { email: { text: "Hi {{ user.first_name }}", html: "<b>{{ data.x }}</b>" } } },
      };
      const ok = await post("/api/templates/render/", {
        template: draft,
        data: { x: "<i>" },
        user: { first_name: "Ada" },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({
        template: "draft",
        locale: "en",
        rendered: { email: { text: "Hi Ada", html: "<b>&lt;i&gt;</b>" } },
      });
      const broken = await post("/api/templates/render/", {
        template: { ...draft, locales: { en: { sms: { text: "one\ntwo {{ data.x | nope }}" } } } },
        data: {},
      });
      expect(broken.statusCode).toBe(400);
      expect(broken.json()["locales.en.sms.text"][0]).toMatch(/undefined filter: nope \(line 2, column 5\)/);
      expect((await service.inject({ method: "GET", url: "/api/templates/draft/" })).statusCode).toBe(404);
      expect(await countNotifications()).toBe(before);
    });
  });

  describe("users", () => {
    it("takes locale, timezone and quiet hours at creation and changes fields with PATCH", async () => {
      const created = await user({
        locale: "en",
        timezone: "europe/berlin",
        quiet_hours: { start: "22:00", end: "08:00" },
      });
      expect(created).toMatchObject({
        locale: "en",
        timezone: "Europe/Berlin",
        quiet_hours: { start: "22:00", end: "08:00" },
      });
      const patch = (payload: object) =>
        service.inject({ method: "PATCH", url: `/api/users/${created.id}/`, payload });
      const changed = await patch({ first_name: "Grace", timezone: null, locale: "pt-BR" });
      expect(changed.statusCode).toBe(200);
      expect(changed.json()).toMatchObject({
        first_name: "Grace",
        timezone: null,
        locale: "pt-BR",
        quiet_hours: { start: "22:00", end: "08:00" },
        phone_number: "+79990001122",
      });
      expect((await patch({ password: "new password" })).statusCode).toBe(400);
      const bad = await patch({
        timezone: "Mars/Base",
        locale: "!!",
        quiet_hours: { start: "08:00", end: "08:00" },
      });
      expect(bad.statusCode).toBe(400);
      expect(Object.keys(bad.json()).sort()).toEqual(["locale", "quiet_hours", "timezone"]);
      const clock = await patch({ quiet_hours: { start: "8:00", end: "09:00" } });
      expect(clock.statusCode).toBe(400);
      expect(Object.keys(clock.json())).toEqual(["quiet_hours.start"]);
      expect(
        (await service.inject({ method: "PATCH", url: "/api/users/999999/", payload: {} })).statusCode,
      ).toBe(404);
      const fetched = (await service.inject({ method: "GET", url: `/api/users/${created.id}/` })).json();
      expect(fetched).toMatchObject({ first_name: "Grace", locale: "pt-BR", timezone: null });
    });
  });
});
