import { describe, expect, it } from "vitest";
import { DeliverySlots } from "../../src/queue/delivery-slots.js";

const later = () => {
  let finish = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return { done, finish };
};

describe("DeliverySlots", () => {
  it("runs at most `size` tasks at once, the waiting ones in order", async () => {
    const slots = new DeliverySlots(2);
    const started: number[] = [];
    const gates = [later(), later(), later(), later()];
    const runs = gates.map((gate, i) =>
      slots.run(async () => {
        started.push(i);
        await gate.done;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    gates[1]!.finish();
    await runs[1];
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    for (const gate of gates) gate.finish();
    expect(await Promise.all(runs)).toEqual([true, true, true, true]);
  });

  it("once closed, tells waiting and later tasks at once that they will not run", async () => {
    const slots = new DeliverySlots(1);
    const gate = later();
    let ran = 0;
    const inFlight = slots.run(async () => {
      ran += 1;
      await gate.done;
    });
    const waiting = slots.run(async () => {
      ran += 1;
    });
    slots.close();
    expect(await waiting).toBe(false);
    expect(await slots.run(async () => {})).toBe(false);
    gate.finish();
    expect(await inFlight).toBe(true);
    expect(ran).toBe(1);
  });
});
