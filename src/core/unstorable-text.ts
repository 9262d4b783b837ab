/**
 * Text PostgreSQL cannot hold: U+0000 in any text, and a lone surrogate ("\ud800" in JSON), which a
 * jsonb column refuses and a text column silently stores as U+FFFD. Looked for wherever input
 * enters (an HTTP body, a file given to the command line), so that it is refused naming the field.
 */
const LONE_SURROGATE = /\p{Cs}/u;

function problemOf(text: string): string | null {
  if (text.includes("\u0000")) return "Null characters are not allowed.";
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate === null) return null;
  const code = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
  return `Surrogate characters are not allowed: U+${code}.`;
}

/**
 * The first string or key holding unstorable text, named by its top-level field. Every level is
 * looked at (an input is bounded by its entry point's size limit), with a list of its own rather than recursion,
 * so no nesting is deep enough to hide one or to overflow the stack.
 */
export function findUnstorableCharacter(
  value: unknown,
  path: string,
): { field: string; problem: string } | null {
  const pending: { value: unknown; field: string }[] = [{ value, field: path }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value === "string") {
      const problem = problemOf(next.value);
      if (problem !== null) return { field: next.field, problem };
      continue;
    }
    if (next.value === null || typeof next.value !== "object") continue;
    const items = Object.entries(next.value);
    for (const [key] of items) {
      const problem = problemOf(key);
      if (problem !== null) return { field: next.field === "" ? key : next.field, problem };
    }
    // Last first onto the list, so the first in the body is the one named.
    for (const [key, item] of items.reverse())
      pending.push({ value: item, field: next.field === "" ? key : next.field });
  }
  return null;
}
