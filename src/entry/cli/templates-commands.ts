import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { ValidationError } from "../../core/errors.js";
import type { TemplateInput } from "../../templates/template.js";
import { getTemplate, listTemplates, saveTemplates } from "../../templates/template-usecases.js";
import { serializeTemplate } from "../public-json.js";
import { CliFailure, type Io, isoOrDash, printJson, table } from "./output.js";
import { withCore } from "./with-core.js";

export function addTemplatesCommands(program: Command, io: Io): void {
  const templates = program
    .command("templates")
    .description("manage message templates (Liquid, per locale and channel); see docs/templates.md");

  templates
    .command("list")
    .description("list templates: key, locales, channels, last change")
    .option("--json", "print them as JSON")
    .action(async (options) => {
      const all = await withCore(async (core) => {
        const found = [];
        for (let page = 1; ; page++) {
          const { count, results } = await listTemplates(core, { page, pageSize: 200 });
          found.push(...results);
          if (found.length >= count || results.length === 0) return found;
        }
      });
      if (options.json) return printJson(io, all.map(serializeTemplate));
      if (all.length === 0)
        return io.out("No templates. Save one with: notification-service templates apply -f FILE");
      io.out(
        table([
          ["KEY", "LOCALES", "CHANNELS", "UPDATED", "DESCRIPTION"],
          ...all.map((t) => {
            const channels = new Set(Object.values(t.locales).flatMap((bodies) => Object.keys(bodies)));
            const locales = Object.keys(t.locales).map((l) => (l === t.defaultLocale ? `${l}*` : l));
            return [t.key, locales.join(","), [...channels].join(","), isoOrDash(t.updatedAt), t.description];
          }),
        ]),
      );
    });

  templates
    .command("show")
    .description("print a template as JSON, in the shape apply -f takes")
    .argument("<key>", "the template's key")
    .action(async (key: string) => {
      const template = await withCore((core) => getTemplate(core, key));
      const { key: k, description, default_locale, locales } = serializeTemplate(template);
      printJson(io, { key: k, description, default_locale, locales });
    });

  templates
    .command("apply")
    .description(
      "create or replace templates from a JSON file (one template or a list); all or none are saved",
    )
    .requiredOption("-f, --file <path>", "the JSON file, as POST /api/templates/ takes it; - for stdin")
    .option("--json", "print the saved templates as JSON")
    .action(async (options: { file: string; json?: boolean }) => {
      const inputs = readTemplates(options.file);
      const saved = await withCore((core) => saveTemplates(core, inputs));
      if (options.json)
        return printJson(
          io,
          saved.map(({ template }) => serializeTemplate(template)),
        );
      for (const { template, created } of saved) {
        io.out(`${created ? "Created" : "Updated"} template ${template.key}.`);
      }
    });
}

function readTemplates(path: string): TemplateInput[] {
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (error) {
    throw new CliFailure(`cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${path} is not JSON: ${(error as Error).message}`);
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  if (list.length === 0 || !list.every((item) => typeof item === "object" && item !== null)) {
    throw ValidationError.of("file", "Give a template object, or a list of them.");
  }
  return list as TemplateInput[];
}
