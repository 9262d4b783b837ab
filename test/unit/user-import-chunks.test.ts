import { describe, expect, it } from "vitest";
import { chunkEnd } from "../../src/entry/cli/users-command.js";
import type { ImportUserInput } from "../../src/usecases/import-users.js";

/** How `notification-service users import` splits a file into import requests. */
describe("users import chunks", () => {
  const users = (count: number, withPassword: (index: number) => boolean): ImportUserInput[] =>
    Array.from({ length: count }, (_, i) => ({
      email: `u${i}@example.com`,
      ...(withPassword(i) && { password: "long enough" }),
    }));
  const chunks = (items: ImportUserInput[]) => {
    const sizes: number[] = [];
    for (let start = 0, end = 0; start < items.length; start = end) {
      end = chunkEnd(items, start);
      sizes.push(end - start);
    }
    return sizes;
  };

  it("takes a thousand users at a time", () => {
    expect(chunks(users(2500, () => false))).toEqual([1000, 1000, 500]);
  });

  it("ends a request at its hundredth password, keeping the users without one", () => {
    expect(chunks(users(250, () => true))).toEqual([100, 100, 50]);
    // Every other user has a password: the 100th password is the 199th user.
    expect(chunks(users(1000, (i) => i % 2 === 0))).toEqual([200, 200, 200, 200, 200]);
    expect(chunks(users(103, (i) => i !== 1))).toEqual([101, 2]);
  });
});
