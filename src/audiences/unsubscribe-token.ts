/**
 * One-click unsubscribe links (RFC 8058). The token names a user and a category and carries an
 * HMAC of both under UNSUBSCRIBE_SECRET, so it is checked without a database lookup, cannot be
 * guessed or moved to another user or category, never expires by itself, and every link stops
 * working when the secret is rotated.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { isCategory } from "./preferences.js";

export interface UnsubscribeTarget {
  userId: number;
  category: string;
}

export class UnsubscribeLinks {
  private readonly base: string;

  constructor(
    publicUrl: string,
    private readonly secret: string,
  ) {
    this.base = publicUrl.replace(/\/+$/, "");
  }

  linkFor(userId: number, category: string): string {
    return `${this.base}/u/${this.tokenFor(userId, category)}`;
  }

  tokenFor(userId: number, category: string): string {
    return `${userId}.${category}.${this.mac(userId, category).toString("base64url")}`;
  }

  /** The user and category a token was made for; null for anything not made with this secret. */
  verify(token: string): UnsubscribeTarget | null {
    const match = /^([1-9]\d{0,15})\.([a-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!match) return null;
    const userId = Number(match[1]);
    const category = match[2]!;
    if (!Number.isSafeInteger(userId) || !isCategory(category)) return null;
    const given = Buffer.from(match[3]!, "base64url");
    const expected = this.mac(userId, category);
    return given.length === expected.length && timingSafeEqual(given, expected) ? { userId, category } : null;
  }

  private mac(userId: number, category: string): Buffer {
    return createHmac("sha256", this.secret).update(`unsubscribe\n${userId}\n${category}`).digest();
  }
}
