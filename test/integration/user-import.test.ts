/**
 * Importing many recipients at once (POST /api/users/bulk/): all or none, problems named by item,
 * passwords optional, and existing users updated only when asked, their password left alone.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/core/errors.js";
import { verifyPassword } from "../../src/core/passwords.js";
import { type ImportUserInput, importUsers as importUsersFromCore } from "../../src/usecases/import-users.js";
import { LoopbackProviders } from "../support/loopback-providers.js";
import { startTestService, type TestService } from "../support/test-service.js";
import { waitFor } from "../support/wait-for.js";

describe("importing recipients", () => {
  let providers: LoopbackProviders;
  let service: TestService;
  let run = 0;

  beforeAll(async () => {
    providers = await LoopbackProviders.start();
    service = await startTestService({ env: providers.env({ MAX_RETRIES: "0" }) });
  });
  afterAll(async () => {
    await service?.close();
    await providers?.close();
  });
  beforeEach(() => {
    providers.reset();
    run++;
  });

  const email = (name: string) => `${name}.${run}@example.com`;
  const importUsers = (body: unknown) =>
    service.inject({ method: "POST", url: "/api/users/bulk/", payload: body as Record<string, unknown> });
  const stored = async (emails: string[]) =>
    (
      await service.core.pool.query<{
        email: string;
        password_hash: string;
        first_name: string;
        locale: string | null;
      }>(
        "SELECT email, password_hash, first_name, locale FROM users WHERE lower(email) = ANY($1::text[]) ORDER BY id",
        [emails.map((address) => address.toLowerCase())],
      )
    ).rows;

  it("creates every user in the request's order, with or without a password, and they can be notified", async () => {
    const response = await importUsers({
      users: [
        {
          email: email("ann"),
          password: "correct horse",
          phone_number: "8 (999) 200-00-01",
          first_name: " Ann ",
        },
        {
          email: email("bob"),
          telegram_id: 620001,
          locale: "pt-br",
          quiet_hours: { start: "22:00", end: "07:00" },
        },
        { email: email("cid"), timezone: "europe/berlin" },
      ],
    });
    expect(response.statusCode, response.body).toBe(201);
    const body = response.json();
    expect(body.created).toBe(3);
    expect(body.updated).toBe(0);
    expect(body.results.map((user: { email: string }) => user.email)).toEqual([
      email("ann"),
      email("bob"),
      email("cid"),
    ]);
    const [ann, bob, cid] = body.results;
    expect(ann.id).toBeLessThan(bob.id);
    expect(bob.id).toBeLessThan(cid.id);
    expect(ann).toMatchObject({ first_name: "Ann", phone_number: "+79992000001", telegram_id: null });
    expect(bob).toMatchObject({
      telegram_id: "620001",
      locale: "pt-BR",
      quiet_hours: { start: "22:00", end: "07:00" },
    });
    expect(cid).toMatchObject({ timezone: "Europe/Berlin", first_name: "", phone_number: null });
    expect(response.body).not.toMatch(/password|scrypt/);
    expect((await service.inject({ method: "GET", url: `/api/users/${bob.id}/` })).json()).toEqual(bob);

    const rows = await stored([email("ann"), email("bob")]);
    expect(await verifyPassword("correct horse", rows[0]!.password_hash)).toBe(true);
    // Without a password, no password matches: not even an empty one or the marker itself.
    for (const guess of ["", "!", "correct horse"])
      expect(await verifyPassword(guess, rows[1]!.password_hash)).toBe(false);

    const created = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      payload: { user: ann.id, message: "imported and reached", channels: ["sms"] },
    });
    expect(created.statusCode).toBe(201);
    await waitFor("the SMS to the imported number", () =>
      providers.smsRu.messages.find(
        (m) => m.text === "imported and reached" && m.number.endsWith("79992000001"),
      )
        ? true
        : undefined,
    );
  });

  it("stores nothing when any item is wrong, and names every problem by its index", async () => {
    const response = await importUsers({
      users: [
        { email: email("fine") },
        { email: email("short"), password: "1234567" },
        { email: email("phone"), phone_number: "call me" },
        { email: email("FINE").toUpperCase() },
        { email: "not an email" },
        { email: email("tz"), timezone: "Mars/Olympus", quiet_hours: { start: "22:00", end: "22:00" } },
      ],
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json()).toEqual({
      "users.1.password": ["Ensure this field has at least 8 characters."],
      "users.2.phone_number": ["Enter a valid phone number, e.g. +79990001122."],
      "users.3.email": ["The same email as users.0.email."],
      "users.4.email": ["Enter a valid email address."],
      "users.5.timezone": ['Enter an IANA time zone name, e.g. "Europe/Berlin".'],
      "users.5.quiet_hours": ["start and end must differ; leave quiet_hours out (or null) for none."],
    });
    expect(await stored([email("fine"), email("short"), email("phone"), email("tz")])).toEqual([]);
  });

  it("refuses the whole import when an email is taken, unless asked to update", async () => {
    await service.createUser({
      email: email("taken"),
      password: "first password",
      first_name: "Tom",
    });
    const users = [{ email: email("new") }, { email: email("TAKEN").toUpperCase(), first_name: "Thomas" }];
    const refused = await importUsers({ users });
    expect(refused.statusCode, refused.body).toBe(400);
    expect(refused.json()).toEqual({ "users.1.email": ["user with this email already exists."] });
    expect(await stored([email("new")])).toEqual([]);
    expect((await stored([email("taken")]))[0]!.first_name).toBe("Tom");
  });

  it("updates existing users' given fields only, leaves their password, and repeats safely", async () => {
    const existing = await service.createUser({
      email: email("kim"),
      password: "kim's password",
      first_name: "Kim",
      last_name: "Lee",
      phone_number: "+79992000099",
      locale: "de",
    });
    const hashBefore = (await stored([email("kim")]))[0]!.password_hash;
    const body = {
      update_existing: true,
      users: [
        {
          email: email("KIM").toUpperCase(),
          password: "another password",
          first_name: "Kimberly",
          phone_number: null,
        },
        { email: email("lou"), password: "lou's password" },
      ],
    };
    const first = await importUsers(body);
    expect(first.statusCode, first.body).toBe(201);
    const [kim, lou] = first.json().results;
    expect(first.json()).toMatchObject({ created: 1, updated: 1 });
    expect(kim).toMatchObject({
      id: existing.id,
      email: email("kim"),
      first_name: "Kimberly",
      last_name: "Lee",
      phone_number: null,
      locale: "de",
    });
    const [kimRow, louRow] = await stored([email("kim"), email("lou")]);
    expect(kimRow!.password_hash).toBe(hashBefore);
    expect(await verifyPassword("lou's password", louRow!.password_hash)).toBe(true);

    const again = await importUsers(body);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ created: 0, updated: 2 });
    expect(again.json().results.map((user: { id: number }) => user.id)).toEqual([kim.id, lou.id]);
    expect((await stored([email("lou")]))[0]!.password_hash).toBe(louRow!.password_hash);
  });

  it("catches an email taken after the check, in the same transaction", async () => {
    // The use case looks emails up before hashing; a user created between that look-up and the
    // import's INSERT must still fail it, or be updated when asked.
    await service.createUser({ email: email("racer"), password: "racer's password", first_name: "Early" });
    const items = [
      { email: email("other"), passwordHash: null, changes: {} },
      { email: email("racer"), passwordHash: null, changes: { firstName: "Late" } },
    ];
    const refused = await service.core.users.importMany(items, false).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).fields).toEqual({
      "users.1.email": ["user with this email already exists."],
    });
    expect(await stored([email("other")])).toEqual([]);

    const updated = await service.core.users.importMany(items, true);
    expect(updated).toMatchObject({ created: [true, false], users: [{}, { firstName: "Late" }] });

    // Created by another transaction that commits while the import's INSERT waits on it: the
    // import's UPDATE did not see the row, its INSERT skips it, and it is updated after all.
    const other = await service.core.pool.connect();
    try {
      await other.query("BEGIN");
      await other.query(
        "INSERT INTO users (email, password_hash, first_name) VALUES ($1, '!', 'Meanwhile')",
        [email("meanwhile")],
      );
      const importing = service.core.users.importMany(
        [{ email: email("MEANWHILE").toUpperCase(), passwordHash: null, changes: { lastName: "Imported" } }],
        true,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query("COMMIT");
      expect(await importing).toMatchObject({
        created: [false],
        users: [{ firstName: "Meanwhile", lastName: "Imported" }],
      });
    } finally {
      await other.query("ROLLBACK").catch(() => {});
      other.release();
    }
  });

  it("creates a user erased while the import waits on them with the password the import gave", async () => {
    // The look-up finds the user, so their item's password is not hashed (an update leaves the
    // stored one). The user is erased before the import's UPDATE reaches them: the import creates
    // them instead, and must do so with that password, not with none.
    const erased = await service.createUser({
      email: email("gone"),
      password: "old password",
      phone_number: "+79992000077",
    });
    const scheduled = await service.inject({
      method: "POST",
      url: "/api/notifications/",
      payload: {
        user: erased.id,
        message: "later",
        channels: ["sms"],
        send_at: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(scheduled.statusCode, scheduled.body).toBe(201);
    const waitingOnLock = (statement: string) =>
      waitFor(`${statement} waiting on a lock`, async () => {
        const { rows } = await service.core.pool.query(
          `SELECT 1 FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND position($1 in query) > 0`,
          [statement],
        );
        return rows.length > 0 ? true : undefined;
      });
    const blocker = await service.core.pool.connect();
    try {
      // Holds the erasure once it has locked the user: it waits for this notification's row.
      await blocker.query("BEGIN");
      await blocker.query("SELECT 1 FROM notifications WHERE user_id = $1 FOR UPDATE", [erased.id]);
      const erasing = service.inject({ method: "DELETE", url: `/api/users/${erased.id}/` });
      await waitingOnLock("DELETE FROM notifications");
      const importing = importUsers({
        update_existing: true,
        users: [
          { email: email("gone"), password: "new password", first_name: "Back" },
          { email: email("fresh"), password: "fresh password" },
        ],
      });
      // The import looked the user up (the erasure is not committed) and now waits on their row.
      await waitingOnLock("UPDATE users u SET");
      await blocker.query("COMMIT");
      expect((await erasing).statusCode).toBe(204);
      const imported = await importing;
      expect(imported.statusCode, imported.body).toBe(201);
      expect(imported.json()).toMatchObject({ created: 2, updated: 0 });
      expect(imported.json().results[0].id).not.toBe(erased.id);
    } finally {
      await blocker.query("ROLLBACK").catch(() => {});
      blocker.release();
    }
    const rows = await stored([email("gone"), email("fresh")]);
    expect(rows.map((row) => [row.email, row.first_name])).toEqual([
      [email("gone"), "Back"],
      [email("fresh"), ""],
    ]);
    expect(await verifyPassword("new password", rows[0]!.password_hash)).toBe(true);
    expect(await verifyPassword("fresh password", rows[1]!.password_hash)).toBe(true);
  });

  it("refuses what the route refuses when the items come from a file, with the same words", async () => {
    // The command line hands a file's items to the use case as read; the route's schema sees them
    // first. Either way the same values are refused, named the same.
    const items = [
      { email: email("long"), first_name: "x".repeat(151), password: "p".repeat(257) },
      { email: `${"e".repeat(250)}@example.com` },
      { email: email("qh"), quiet_hours: { start: "22:00", end: "07:00", days: "all" } },
      {
        email: email("each"),
        last_name: "y".repeat(151),
        phone_number: "1".repeat(33),
        telegram_id: "x".repeat(33),
        locale: "l".repeat(36),
        timezone: "t".repeat(65),
      },
      // 150 characters, each two UTF-16 units: not too long.
      { email: email("wide"), first_name: "😀".repeat(150), last_name: "z".repeat(151) },
    ];
    const route = await importUsers({ users: items });
    expect(route.statusCode, route.body).toBe(400);
    expect(route.json()).toMatchObject({
      "users.0.first_name": ["Ensure this field has no more than 150 characters."],
      "users.0.password": ["Ensure this field has no more than 256 characters."],
      "users.2.quiet_hours.days": ["Unknown field."],
    });
    const fromFile = await importUsersFromCore(service.core, items as ImportUserInput[], {
      updateExisting: false,
    }).catch((error: unknown) => error);
    expect(fromFile).toBeInstanceOf(ValidationError);
    expect((fromFile as ValidationError).fields).toEqual(route.json());

    // Text PostgreSQL cannot hold is named by its item and field, not left to fail the INSERT.
    const unstorable = await importUsersFromCore(
      service.core,
      [{ email: email("nul") }, { email: email("nul2"), first_name: "a\u0000b" }],
      { updateExisting: false },
    ).catch((error: unknown) => error);
    expect((unstorable as ValidationError).fields).toEqual({
      "users.1.first_name": ["Null characters are not allowed."],
    });
    expect(await stored([email("long"), email("qh"), email("each"), email("wide"), email("nul")])).toEqual(
      [],
    );
  });

  it("says what is wrong with a malformed import", async () => {
    const cases: [unknown, string][] = [
      [{ users: [] }, "users"],
      [{ users: Array.from({ length: 1001 }, (_, i) => ({ email: `u${i}@example.com` })) }, "users"],
      [{ users: [{ email: email("x"), role: "admin" }] }, "users.0"],
      [{ users: [{ first_name: "No email" }] }, "users.0"],
      [{ users: [{ email: email("y") }], update_existing: "yes" }, "update_existing"],
      [[{ email: email("z") }], ""],
      [
        {
          users: Array.from({ length: 101 }, (_, i) => ({
            email: `p${i}.${run}@example.com`,
            password: "long enough",
          })),
        },
        "users",
      ],
    ];
    for (const [body, field] of cases) {
      const response = await importUsers(body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.headers["content-type"]).toMatch(/json/);
      if (field) expect(Object.keys(response.json()).join(" "), response.body).toContain(field);
    }
    expect(await stored([email("x"), email("y"), email("z")])).toEqual([]);
  });
});
