import type { Command } from "commander";
import { addSuppression, listSuppressions, removeSuppression } from "../../audiences/audience-usecases.js";
import { SUPPRESSION_REASONS } from "../../core/model.js";
import { serializeSuppression } from "../public-json.js";
import { parseId } from "./arguments.js";
import { type Io, isoOrDash, printJson, table } from "./output.js";
import { withAnnouncingCore, withCore, withWebhookEvents } from "./with-core.js";

const LIST_LIMIT = 200;

export function addSuppressionsCommands(program: Command, io: Io): void {
  const suppressions = program
    .command("suppressions")
    .description("addresses nothing is sent to: proven dead by a provider, or suppressed by hand");

  suppressions
    .command("list")
    .description(`list suppressed addresses, newest first (at most ${LIST_LIMIT})`)
    .option("--channel <channel>", "only this channel: sms, email or telegram")
    .option("--address <address>", "only this address, however it is spelled")
    .option("--user <id>", "only the addresses this user has", parseId)
    .option("--json", "print them as JSON")
    .action(async (options) => {
      const found = await withCore((core) =>
        listSuppressions(
          core,
          { channel: options.channel, address: options.address, user: options.user },
          { limit: LIST_LIMIT, offset: 0 },
        ),
      );
      if (options.json) return printJson(io, found.results.map(serializeSuppression));
      if (found.count === 0) return io.out("No suppressed addresses.");
      io.out(
        table([
          ["ID", "CHANNEL", "ADDRESS", "REASON", "SOURCE", "CREATED", "EVIDENCE"],
          ...found.results.map((s) => [
            String(s.id),
            s.channel,
            s.address,
            s.reason,
            s.source,
            isoOrDash(s.createdAt),
            evidenceText(s.evidence),
          ]),
        ]),
      );
      if (found.count > found.results.length) io.err(`(${found.results.length} of ${found.count} shown)`);
    });

  suppressions
    .command("add")
    .description("suppress an address by hand: nothing is sent to it on that channel, for any user")
    .argument("<channel>", "sms, email or telegram")
    .argument("<address>", "a phone number, an email address or a Telegram chat id")
    .option("--reason <reason>", `one of ${SUPPRESSION_REASONS.join(", ")}`, "manual")
    .option("--note <text>", "why, for the people reading the list")
    .option("--json", "print the suppression as JSON")
    .action(async (channel: string, address: string, options) => {
      const added = await withAnnouncingCore((core) =>
        withWebhookEvents(core, (webhookEvents) =>
          addSuppression(
            { ...core, webhookEvents },
            { channel, address, reason: options.reason, note: options.note },
            "cli",
          ),
        ),
      );
      if (options.json) return printJson(io, serializeSuppression(added));
      io.out(`Suppressed ${added.channel} ${added.address} (id ${added.id}, ${added.reason}).`);
    });

  suppressions
    .command("remove")
    .description("lift a suppression (the user unblocked the bot, fixed the mailbox): deliveries resume")
    .argument("<id>", "the suppression's id, as suppressions list shows it", parseId)
    .option("--json", "print the removed suppression as JSON")
    .action(async (id: number, options) => {
      const removed = await withAnnouncingCore((core) =>
        withWebhookEvents(core, (webhookEvents) => removeSuppression({ ...core, webhookEvents }, id)),
      );
      if (options.json) return printJson(io, serializeSuppression(removed));
      io.out(`Removed suppression ${removed.id}: ${removed.channel} ${removed.address} receives again.`);
    });
}

function evidenceText(evidence: Record<string, unknown> | null): string {
  if (!evidence) return "-";
  if (typeof evidence.note === "string") return evidence.note;
  const code =
    evidence.provider_code === null || evidence.provider_code === undefined
      ? ""
      : `${evidence.provider_code} `;
  return `${code}${String(evidence.text ?? "")}`.slice(0, 80);
}
