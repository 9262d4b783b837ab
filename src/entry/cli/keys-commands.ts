import type { Command } from "commander";
import type { StoredApiKey } from "../../core/model.js";
import { createApiKey, listApiKeys, revokeApiKey } from "../../usecases/api-keys.js";
import { parseId } from "./arguments.js";
import { type Io, isoOrDash, printJson, table } from "./output.js";
import { withCore } from "./with-core.js";

const keyJson = (key: StoredApiKey) => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  created_at: key.createdAt.toISOString(),
  revoked_at: key.revokedAt?.toISOString() ?? null,
});

export function addKeysCommands(program: Command, io: Io): void {
  const keys = program
    .command("keys")
    .description("manage the API keys callers send as Authorization: Bearer <key>");

  keys
    .command("create")
    .description("create an API key and print it; it is shown only this once")
    .requiredOption("--name <name>", "what the key is for, e.g. the calling service")
    .option("--json", "print the key and its record as JSON")
    .action(async (options) => {
      const { key, apiKey } = await withCore((core) => createApiKey(core, options.name));
      if (options.json) return printJson(io, { ...keyJson(apiKey), key });
      // The key alone on stdout, so KEY=$(notification-service keys create --name x) works.
      io.out(key);
      io.err(`Created API key ${apiKey.id} "${apiKey.name}". It is shown only this once: store it now.`);
    });

  keys
    .command("list")
    .description("list API keys (never the keys themselves)")
    .option("--json", "print them as JSON")
    .action(async (options) => {
      const all = await withCore((core) => listApiKeys(core));
      if (options.json) return printJson(io, all.map(keyJson));
      if (all.length === 0)
        return io.out("No API keys. Create one with: notification-service keys create --name NAME");
      io.out(
        table([
          ["ID", "NAME", "PREFIX", "CREATED", "REVOKED"],
          ...all.map((k) => [String(k.id), k.name, k.prefix, isoOrDash(k.createdAt), isoOrDash(k.revokedAt)]),
        ]),
      );
    });

  keys
    .command("revoke")
    .description("revoke an API key; API processes stop accepting it within API_KEY_CACHE_SECONDS")
    .argument("<id>", "the key's id, as keys list shows it", parseId)
    .option("--json", "print the revoked key as JSON")
    .action(async (id: number, options) => {
      const revoked = await withCore((core) => revokeApiKey(core, id));
      if (options.json) return printJson(io, keyJson(revoked));
      io.out(`Revoked API key ${revoked.id} "${revoked.name}" (${isoOrDash(revoked.revokedAt)}).`);
    });
}
