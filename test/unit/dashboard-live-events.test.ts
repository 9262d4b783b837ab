import { describe, expect, it } from "vitest";
import { changesChannelActivity, type LiveEvent } from "../../dashboard/src/live-events.js";

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
