import { describe, expect, it } from "vitest";
import { CATEGORY_RULE } from "../../src/audiences/preferences.js";
import type { Broadcast } from "../../src/broadcasts/broadcast-model.js";
import {
  broadcastNotification,
  type TemplateRenderer,
} from "../../src/broadcasts/broadcast-notifications.js";
import { validateBroadcast } from "../../src/broadcasts/manage-broadcasts.js";
import { ValidationError } from "../../src/core/errors.js";
import type { UserProfile } from "../../src/core/model.js";

const now = new Date("2026-12-01T10:00:00Z");
const broadcast: Broadcast = {
  id: 7,
  status: "fanning_out",
  allUsers: false,
  message: null,
  subject: null,
  channels: ["sms", "email"],
  template: "greeting",
  data: { issue: 12 },
  category: "news",
  metadata: { campaign: "issue-12" },
  priority: "normal",
  sendAt: null,
  expiresAt: null,
  total: 2,
  fannedOut: 0,
  unknownUsers: [],
  unknownUserCount: 0,
  createdAt: now,
  finishedAt: null,
};
const user = (id: number, firstName: string, locale: string | null): UserProfile => ({
  id,
  email: `u${id}@example.com`,
  firstName,
  lastName: "",
  phoneNumber: null,
  telegramId: null,
  locale,
  timezone: null,
  quietHours: null,
});

describe("a broadcast recipient's notification", () => {
  // Renders like a template whose SMS text has room for short names only.
  const render: TemplateRenderer = (request) => {
    const text = `Hi ${request.user?.first_name}`;
    if (text.length > 10) throw ValidationError.of("template", "the sms text is too long");
    return {
      template: "greeting",
      locale: request.locale ?? "en",
      rendered: { sms: { text }, email: { subject: "News", text } },
    };
  };

  it("is rendered in the recipient's locale, the first channel's text as its message", () => {
    const made = broadcastNotification(broadcast, user(1, "Ada", "pt"), render, ["sms"], now);
    expect(made).toMatchObject({
      userId: 1,
      message: "Hi Ada",
      subject: "News",
      locale: "pt",
      template: "greeting",
      channels: ["sms", "email"],
      nextAttemptAt: null,
    });
    expect(made.failureReason).toBeUndefined();
  });

  it("is stored failed, with the reason, when the template does not render for that recipient only", () => {
    const made = broadcastNotification(broadcast, user(2, "Bartholomew", "en"), render, ["sms"], now);
    expect(made.failureReason).toMatch(/did not render for this user: template: the sms text is too long/);
    expect(made.rendered).toBeNull();
  });

  it("waits for send_at, and takes the broadcast's message when there is no template", () => {
    const later = new Date("2026-12-01T12:00:00Z");
    const plain = { ...broadcast, template: null, data: null, message: "Hello", subject: "S", sendAt: later };
    expect(broadcastNotification(plain, user(3, "Cy", null), null, ["sms"], now)).toMatchObject({
      message: "Hello",
      subject: "S",
      nextAttemptAt: later,
      rendered: null,
    });
  });
});

describe("a broadcast request", () => {
  it("removes duplicate ids and sorts them", () => {
    expect(validateBroadcast({ users: [3, 1, 3, 2], message: "x" }, 100, now).userIds).toEqual([1, 2, 3]);
  });

  it("names every problem at once", () => {
    try {
      validateBroadcast({ users: [1], all_users: true, category: "Bad Slug", message: "" }, 100, now);
      expect.unreachable();
    } catch (error) {
      expect((error as ValidationError).fields).toEqual({
        users: ["Give users or all_users, not both."],
        category: [CATEGORY_RULE],
        message: ["This field may not be blank."],
      });
    }
  });
});
