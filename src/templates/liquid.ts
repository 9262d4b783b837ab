/**
 * The Liquid engines, set up strict and bounded: a variable that is not there, an unknown filter or
 * a syntax error is an error rather than an empty string; only own properties of the data are
 * visible; a render is bounded in time and allocation; nothing reads the file system (the tags that
 * would, include/render/layout, are removed).
 */
import { Liquid, LiquidError, type Template as ParsedTemplate } from "liquidjs";

/** ms one render may take: a loop over a huge range stops here instead of hanging the request. */
export const RENDER_TIME_LIMIT_MS = 250;
/** What LiquidJS counts of strings and arrays its filters allocate during one render. */
const RENDER_MEMORY_LIMIT = 2_000_000;
const PARSE_LIMIT = 100_000;

function engine(escapeHtml: boolean): Liquid {
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    renderLimit: RENDER_TIME_LIMIT_MS,
    memoryLimit: RENDER_MEMORY_LIMIT,
    parseLimit: PARSE_LIMIT,
    // In-memory partials (none): no lookup ever reaches the file system.
    templates: {},
    ...(escapeHtml ? { outputEscape: "escape" as const } : {}),
  });
  for (const tag of ["include", "render", "layout", "block"]) delete liquid.tags[tag];
  return liquid;
}

/** Output as is: SMS, plain text, email subjects. */
const plain = engine(false);
/** Every `{{ }}` output HTML-escaped (`| raw` opts out): email html, Telegram parse_mode HTML. */
const html = engine(true);

export type Escaping = "none" | "html";

export type Compiled = ParsedTemplate[];

/** Parses Liquid source; throws a LiquidError on a syntax error. */
export function compile(source: string, escaping: Escaping): Compiled {
  return (escaping === "html" ? html : plain).parse(source);
}

export function renderCompiled(compiled: Compiled, escaping: Escaping, scope: object): string {
  return (escaping === "html" ? html : plain).renderSync(compiled, scope) as string;
}

/** What is wrong with the source as Liquid, with its line, or null when it parses. */
export function syntaxProblem(source: string): string | null {
  try {
    plain.parse(source);
    return null;
  } catch (error) {
    return describeLiquidError(error);
  }
}

/** "undefined variable: data.code (line 1, column 4)"; other errors pass through unchanged. */
export function describeLiquidError(error: unknown): string {
  if (!(error instanceof LiquidError)) throw error;
  const message = error.message.replace(/, line:\d+, col:\d+$/, "").split("\n")[0];
  const [line, column] = error.token?.getPosition?.() ?? [];
  return line === undefined ? message! : `${message} (line ${line}, column ${column})`;
}
