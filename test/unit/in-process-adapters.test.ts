import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.js";
import { InProcessChannelCircuit } from "../../src/in-process/in-process-channel-circuit.js";
import { InProcessChatRateLimiter } from "../../src/in-process/in-process-chat-rate-limiter.js";
import { InProcessDeliveryLatency } from "../../src/in-process/in-process-delivery-latency.js";
import { InProcessNotificationEvents } from "../../src/in-process/in-process-notification-events.js";
import { InProcessWorkWakeUps } from "../../src/in-process/in-process-work-wake-ups.js";
import type { NotificationEvent } from "../../src/usecases/ports.js";

const nextTick = () => new Promise((resolve) => setImmediate(resolve));

describe("in-process side channels (no REDIS_URL)", () => {
  it("paces Telegram like the Redis script: a second per chat, 1/30 s for the bot, nothing booked past the wait", async () => {
    let now = 10_000;
    const limiter = new InProcessChatRateLimiter({ perChatPerSecond: 1, globalPerSecond: 30 }, () => now);
    expect(await limiter.reserve("a", 1000)).toEqual({ reserved: true, waitMs: 0, slotAt: 10_000 });
    expect(await limiter.reserve("b", 1000)).toMatchObject({ reserved: true, waitMs: 34 });
    expect(await limiter.reserve("a", 1000)).toMatchObject({ reserved: true, waitMs: 1000 });
    // The third to "a" would wait two seconds: refused, and it books nothing.
    expect(await limiter.reserve("a", 1000)).toMatchObject({ reserved: false, waitMs: 2000 });
    now += 2000;
    expect(await limiter.reserve("a", 1000)).toMatchObject({ reserved: true, waitMs: 0 });
    // 30 a second at most for the bot, whatever the chats.
    const waits: number[] = [];
    for (let chat = 0; chat < 31; chat++) waits.push((await limiter.reserve(`c${chat}`, 5000)).waitMs);
    expect(waits.at(-1)).toBeGreaterThanOrEqual(1000);
  });

  it("pauses a channel for the cool-down, then lets the next attempt probe", async () => {
    let now = 0;
    const circuit = new InProcessChannelCircuit(60, silentLogger, () => now);
    await circuit.open("sms", "bad api_id");
    await circuit.open("sms", "second reason is not kept");
    expect(await circuit.openReason("sms")).toBe("bad api_id");
    expect(await circuit.openReason("email")).toBeNull();
    now += 60_001;
    expect(await circuit.openReason("sms")).toBeNull();
    await circuit.open("sms", "still bad");
    await circuit.close("sms");
    expect(await circuit.openReason("sms")).toBeNull();
  });

  it("wakes every listener once per tick however many wakes, and never inside the caller", async () => {
    const wakeUps = new InProcessWorkWakeUps();
    let woken = 0;
    const stop = await wakeUps.listen(() => woken++);
    wakeUps.wake();
    wakeUps.wake();
    expect(woken).toBe(0);
    await nextTick();
    expect(woken).toBe(1);
    stop();
    wakeUps.wake();
    await nextTick();
    expect(woken).toBe(1);
  });

  it("hands live events to watchers in order, on a later tick", async () => {
    const events = new InProcessNotificationEvents();
    const seen: NotificationEvent[] = [];
    await events.subscribe((event) => seen.push(event));
    events.publish({ type: "created", id: 1, status: "pending" });
    events.publish({ type: "updated", id: 1, status: "sent" });
    expect(seen).toEqual([]);
    await nextTick();
    expect(seen.map((event) => event.type)).toEqual(["created", "updated"]);
  });

  it("keeps the creation-to-sent histogram cumulative per channel", async () => {
    const latency = new InProcessDeliveryLatency();
    latency.sent({ notificationId: 1, channel: "sms", secondsSinceCreated: 0.05 });
    latency.sent({ notificationId: 2, channel: "sms", secondsSinceCreated: 2 });
    latency.sent({ notificationId: 3, channel: "sms", secondsSinceCreated: 99_999 });
    const [sms] = await latency.read();
    expect(sms).toMatchObject({ channel: "sms", count: 3, sum: 100_001.05 });
    expect(sms?.buckets[0]).toBe(1);
    expect(sms?.buckets.at(-2)).toBe(2);
    expect(sms?.buckets.at(-1)).toBe(3);
  });
});
