import { type Command, InvalidArgumentError } from "commander";
import type { BroadcastWithCounts } from "../../broadcasts/broadcast-model.js";
import { createBroadcast, getBroadcast } from "../../broadcasts/manage-broadcasts.js";
import { NOTIFICATION_STATUSES } from "../../core/model.js";
import { serializeBroadcast } from "../broadcasts-json.js";
import { collectMetadata, parseId, parseJsonObject, refuseUnstorableText } from "./arguments.js";
import { CliFailure, type Io, isoOrDash, printJson } from "./output.js";
import { withAnnouncingCore, withCore } from "./with-core.js";

export function addBroadcastCommands(program: Command, io: Io): void {
  const broadcast = program
    .command("broadcast")
    .description("send one message to many users, as POST /api/broadcasts/ does (docs/audiences.md)");

  broadcast
    .command("send")
    .description("create a broadcast; the workers create and deliver its notifications in batches")
    .option("--users <ids>", "comma-separated user ids (duplicates removed, unknown ones skipped)", parseIds)
    .option("--all-users", "every user that exists now")
    .option("--message <text>", "the text to deliver")
    .option("--template <key>", "a template to render per recipient, in their locale, instead of --message")
    .option("--data <json>", "the template's data, as a JSON object", parseJsonObject)
    .option("--subject <subject>", "email subject (with --message)")
    .option("--channels <list>", "channels to try in order instead of CHANNEL_ORDER, e.g. sms,email")
    .option("--category <slug>", "what kind of message this is, e.g. product-news")
    .option("--send-at <time>", "not before this time (RFC 3339 with an offset)")
    .option(
      "--metadata <key=value>",
      "your own label, copied to each notification (repeat for more)",
      collectMetadata,
    )
    .option("--json", "print the broadcast as JSON")
    .action(async (options) => {
      if ((options.users === undefined) === !options.allUsers) {
        throw new CliFailure("give exactly one of --users 1,2,3 and --all-users");
      }
      const input = {
        users: options.users ?? null,
        all_users: options.allUsers ? true : null,
        message: options.message ?? null,
        template: options.template ?? null,
        data: options.data ?? null,
        subject: options.subject ?? null,
        channels: options.channels === undefined ? null : splitList(options.channels),
        category: options.category ?? null,
        metadata: options.metadata ?? null,
        send_at: options.sendAt ?? null,
      };
      refuseUnstorableText(input);
      const created = await withAnnouncingCore((core) =>
        createBroadcast({ ...core, broadcastBatchSize: core.config.broadcasts.batchSize }, input, {
          callerId: null,
          key: undefined,
        }),
      );
      const { broadcast: made } = created;
      if (options.json) return printJson(io, serializeBroadcast(made));
      io.out(`Created broadcast ${made.id} to ${made.total} user${made.total === 1 ? "" : "s"} (pending).`);
      if (made.unknownUserCount > 0) {
        io.out(
          `Skipped ${made.unknownUserCount} unknown id${made.unknownUserCount === 1 ? "" : "s"}: ${made.unknownUsers.join(", ")}${made.unknownUserCount > made.unknownUsers.length ? ", ..." : ""}`,
        );
      }
      io.out(`Follow it with: notification-service broadcast status ${made.id}`);
    });

  broadcast
    .command("status")
    .description("show a broadcast's progress and its notifications by status")
    .argument("<id>", "the broadcast id", parseId)
    .option("--json", "print it as JSON, in the shape GET /api/broadcasts/{id}/ answers")
    .action(async (id: number, options) => {
      const found = await withCore((core) => getBroadcast(core, id));
      if (options.json) return printJson(io, serializeBroadcast(found));
      io.out(describeBroadcast(found));
    });
}

function describeBroadcast(broadcast: BroadcastWithCounts): string {
  const counts = NOTIFICATION_STATUSES.map((status) => `${status} ${broadcast.counts[status]}`).join(", ");
  return [
    `Broadcast ${broadcast.id}: ${broadcast.status}, ${broadcast.fannedOut} of ${broadcast.total} fanned out`,
    `  notifications: ${counts}`,
    `  ${broadcast.template ? `template ${broadcast.template}` : `message: ${broadcast.message}`}`,
    `  created ${isoOrDash(broadcast.createdAt)}, finished ${isoOrDash(broadcast.finishedAt)}`,
    ...(broadcast.unknownUserCount > 0 ? [`  unknown ids skipped: ${broadcast.unknownUserCount}`] : []),
  ].join("\n");
}

function parseIds(value: string): number[] {
  const ids = splitList(value).map(Number);
  if (ids.length === 0 || !ids.every((id) => Number.isSafeInteger(id) && id >= 1)) {
    throw new InvalidArgumentError("expected comma-separated whole numbers of at least 1.");
  }
  return ids;
}

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}
