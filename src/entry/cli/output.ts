/** What the CLI prints: plain text for people, `--json` for scripts, errors on stderr. */
import { ConfigError } from "../../config.js";
import { NotFoundError, ValidationError } from "../../core/errors.js";
import { databaseUnavailability } from "../../db/database.js";
import { EXIT_FAILURE } from "./exit-codes.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export const printJson = (io: Io, value: unknown) => io.out(JSON.stringify(value, null, 2));

/** A failure the CLI itself detects, with the message to show. */
export class CliFailure extends Error {
  override name = "CliFailure";
}

/** Says what went wrong in one or a few lines, and returns the exit code. */
export function reportError(io: Io, error: unknown): number {
  if (error instanceof ValidationError) {
    io.err("error: invalid input");
    for (const [field, problems] of Object.entries(error.fields)) io.err(`  ${field}: ${problems.join(" ")}`);
  } else if (error instanceof ConfigError) {
    io.err(`configuration error: ${error.message}`);
  } else if (error instanceof NotFoundError || error instanceof CliFailure) {
    io.err(`error: ${error.message}`);
  } else if (databaseUnavailability(error) === "unreachable") {
    io.err(`error: cannot reach PostgreSQL (${messageOf(error)}); is it running, and is DATABASE_URL right?`);
  } else if (databaseUnavailability(error)) {
    // It answers, but refuses the work for now (see DatabaseUnavailability).
    io.err(`error: PostgreSQL refused the work for now (${messageOf(error)}); try again shortly`);
  } else {
    io.err(`error: ${messageOf(error)}`);
  }
  return EXIT_FAILURE;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message || error.name : String(error);
}

/** Columns padded to their widest cell; the last column is left ragged. */
export function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export const orDash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === "" ? "-" : String(value);

export const isoOrDash = (date: Date | null | undefined): string => (date ? date.toISOString() : "-");

/** One line, at most `max` characters, for a table cell. */
export function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
