import { describe, expect, it } from "vitest";
import {
  changesChannelActivity,
  changesSuppressions,
  changesUser,
  changesUsers,
  concernsNotification,
  erasesUser,
  type LiveEvent,
} from "../../dashboard/src/live-events.js";

const attempt = (status: string): LiveEvent => ({ type: "attempt", id: 1, channel: "sms", status });

describe("the dashboard's Channels view reloads only on events that change what it shows", () => {
  it("reloads when an attempt ends in an outcome it counts", () => {
    for (const status of ["sent", "failed", "skipped"])
      expect(changesChannelActivity(attempt(status))).toBe(true);
  });

  it("ignores attempts starting or interrupted, and receipts, which every SMS brings", () => {
    for (const status of ["in_progress", "interrupted", "accepted", "delivered", "undelivered", "unknown"]) {
      expect(changesChannelActivity(attempt(status)), status).toBe(false);
    }
  });

  it("ignores notification-level events", () => {
    expect(changesChannelActivity({ type: "created", id: 1, status: "pending" })).toBe(false);
    expect(changesChannelActivity({ type: "updated", id: 1, status: "sent" })).toBe(false);
  });
});

const user = (id: number, change: "created" | "updated" | "erased"): LiveEvent => ({
  type: "user",
  id,
  change,
});

describe("the dashboard tells a user's events from a notification's, whose ids they share", () => {
  it("reloads a notification's page for it and its attempts, not for the user with the same id", () => {
    expect(concernsNotification({ type: "updated", id: 7, status: "sent" }, 7)).toBe(true);
    expect(concernsNotification({ type: "attempt", id: 7, channel: "sms", status: "sent" }, 7)).toBe(true);
    expect(concernsNotification({ type: "created", id: 8, status: "pending" }, 7)).toBe(false);
    for (const change of ["created", "updated", "erased"] as const) {
      expect(concernsNotification(user(7, change), 7), change).toBe(false);
    }
  });

  it("reloads the Users list for any user's event, and for nothing about notifications", () => {
    for (const change of ["created", "updated", "erased"] as const) {
      expect(changesUsers(user(3, change)), change).toBe(true);
    }
    expect(changesUsers({ type: "created", id: 3, status: "pending" })).toBe(false);
    expect(changesUsers({ type: "attempt", id: 3, channel: "telegram", status: "sent" })).toBe(false);
  });

  it("reloads a user's page when that user changes, and says so when that user is erased", () => {
    expect(changesUser(user(5, "updated"), 5)).toBe(true);
    expect(changesUser(user(6, "updated"), 5)).toBe(false);
    expect(changesUser(user(5, "erased"), 5)).toBe(false);
    expect(changesUser({ type: "updated", id: 5, status: "sent" }, 5)).toBe(false);
    expect(erasesUser(user(5, "erased"), 5)).toBe(true);
    expect(erasesUser(user(6, "erased"), 5)).toBe(false);
    expect(erasesUser(user(5, "updated"), 5)).toBe(false);
  });
});

describe("the dashboard's suppression tables reload on suppression events only", () => {
  it("reloads when a suppression is added or removed, and not for notifications or users", () => {
    expect(changesSuppressions({ type: "suppression", id: 4, change: "created" })).toBe(true);
    expect(changesSuppressions({ type: "suppression", id: 4, change: "deleted" })).toBe(true);
    expect(changesSuppressions({ type: "user", id: 4, change: "updated" })).toBe(false);
    expect(changesSuppressions({ type: "attempt", id: 4, channel: "telegram", status: "failed" })).toBe(
      false,
    );
  });

  it("is not mistaken for a notification's or a user's event with the same id", () => {
    const suppression: LiveEvent = { type: "suppression", id: 4, change: "created" };
    expect(concernsNotification(suppression, 4)).toBe(false);
    expect(changesUser(suppression, 4)).toBe(false);
    expect(changesUsers(suppression)).toBe(false);
  });
});
