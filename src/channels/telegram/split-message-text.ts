/**
 * Splits a text into parts Telegram accepts (sendMessage takes 1-4096 characters). Each part ends
 * at the last line break that fits, else at the last space, else exactly at the limit, but never
 * between the two halves of a surrogate pair (an emoji cut in two would be garbage). The break
 * stays at the end of its part, so the parts joined give back the text exactly.
 *
 * Length is counted in UTF-16 code units (String#length), which Telegram's limit is measured in
 * and which is never less than the count of characters a user sees.
 */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

export function splitMessageText(text: string, limit = TELEGRAM_MAX_TEXT_LENGTH): string[] {
  if (limit < 2) throw new RangeError("limit must leave room for a surrogate pair");
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const end = cutPoint(rest, limit);
    parts.push(rest.slice(0, end));
    rest = rest.slice(end);
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Where the first part of `text` (longer than `limit`) ends: the index just after the break. */
function cutPoint(text: string, limit: number): number {
  const lineBreak = text.lastIndexOf("\n", limit - 1);
  if (lineBreak > 0) return lineBreak + 1;
  const space = lastWhitespace(text, limit - 1);
  if (space > 0) return space + 1;
  return isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
}

function lastWhitespace(text: string, from: number): number {
  for (let i = from; i > 0; i--) {
    const char = text[i];
    if (char === " " || char === "\t") return i;
  }
  return -1;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
