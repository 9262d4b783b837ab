/**
 * The Liquid engines, set up strict and bounded: a variable that is not there, an unknown filter or
 * a syntax error is an error rather than an empty string; only own properties of the data are
 * visible; a render is bounded in time and allocation; nothing reads the file system (the tags that
 * would, include/render/layout, are removed). LiquidJS is loaded on first use: the worker and most
 * CLI commands never render, and need not pay for loading it.
 */
import type { Liquid, Template as ParsedTemplate } from "liquidjs";

/**
 * ms one render may take: a loop over a huge range stops here instead of hanging the request.
 * LiquidJS counts it on the clock from the render's start, so a render the process was stopped in
 * (a loaded machine, a long garbage collection) runs over it too: such a render is tried once more.
 */
export const RENDER_TIME_LIMIT_MS = 250;
/** What LiquidJS says when a render runs over RENDER_TIME_LIMIT_MS. */
const OUT_OF_TIME = "template render limit exceeded";
/** What LiquidJS counts of strings and arrays its filters allocate during one render. */
const RENDER_MEMORY_LIMIT = 2_000_000;
const PARSE_LIMIT = 100_000;

export type Escaping = "none" | "html";
export type Compiled = ParsedTemplate[];

export interface LiquidEngines {
  /** Parses Liquid source; throws on a syntax error (see describeLiquidError). */
  compile(source: string, escaping: Escaping): Compiled;
  /** Renders; `html` escapes every `{{ }}` output (`| raw` opts out), `none` leaves it as is. */
  render(compiled: Compiled, escaping: Escaping, scope: object): string;
  /** What is wrong with the source as Liquid, with its line, or null when it parses. */
  syntaxProblem(source: string): string | null;
  /** "undefined variable: data.code (line 1, column 4)"; errors not from Liquid are thrown again. */
  describeError(error: unknown): string;
}

let loading: Promise<LiquidEngines> | null = null;

export function liquidEngines(): Promise<LiquidEngines> {
  loading ??= import("liquidjs").then(buildEngines);
  return loading;
}

function buildEngines(liquidjs: typeof import("liquidjs")): LiquidEngines {
  const engine = (escapeHtml: boolean): Liquid => {
    const liquid = new liquidjs.Liquid({
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
  };
  const plain = engine(false);
  const html = engine(true);
  /** The limit a render ran over: LiquidJS checks its limits with assertions. */
  const limitOf = (error: unknown): Error | null => {
    const cause = error instanceof liquidjs.LiquidError ? error.originalError : error;
    return cause instanceof liquidjs.AssertionError ? cause : null;
  };
  const describeError = (error: unknown): string => {
    // One failing between two of a template's parts (not inside one) comes out bare, naming no part.
    if (error instanceof liquidjs.AssertionError) return error.message;
    if (!(error instanceof liquidjs.LiquidError)) throw error;
    const message = error.message.replace(/, line:\d+, col:\d+$/, "").split("\n")[0]!;
    const [line, column] = error.token?.getPosition?.() ?? [];
    return line === undefined ? message : `${message} (line ${line}, column ${column})`;
  };
  return {
    compile: (source, escaping) => (escaping === "html" ? html : plain).parse(source),
    render(compiled, escaping, scope) {
      const liquid = escaping === "html" ? html : plain;
      try {
        return liquid.renderSync(compiled, scope) as string;
      } catch (error) {
        // Out of time once may be the machine's doing (see RENDER_TIME_LIMIT_MS); a template that
        // takes that long runs out again. Rendering has no side effects to repeat.
        if (limitOf(error)?.message !== OUT_OF_TIME) throw error;
        return liquid.renderSync(compiled, scope) as string;
      }
    },
    syntaxProblem(source) {
      try {
        plain.parse(source);
        return null;
      } catch (error) {
        return describeError(error);
      }
    },
    describeError,
  };
}
