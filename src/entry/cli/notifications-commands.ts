import type { Command } from "commander";
import type { Core } from "../../app.js";
import { createNotification } from "../../usecases/create-notification.js";
import { deleteOldNotifications } from "../../usecases/delete-old-notifications.js";
import { cancelNotification, retryNotification } from "../../usecases/notification-actions.js";
import { getNotification, type NotificationWithAttempts } from "../../usecases/read-notifications.js";
import { serializeNotification } from "../public-json.js";
import {
  collectMetadata,
  parseDays,
  parseId,
  parseJsonObject,
  parseWholeNumber,
  refuseUnstorableText,
} from "./arguments.js";
import { CliFailure, type Io, isoOrDash, oneLine, orDash, printJson, table } from "./output.js";
import { withAnnouncingCore, withCore, withWebhookEvents } from "./with-core.js";

export function addNotificationCommands(program: Command, io: Io): void {
  program
    .command("send")
    .description("create a notification, as POST /api/notifications/ does; a worker delivers it")
    .requiredOption("--user <id>", "the recipient's user id", parseId)
    .option("--message <text>", "the text to deliver")
    .option("--template <key>", "a template to render in the user's locale, instead of --message")
    .option("--data <json>", "the template's data, as a JSON object", parseJsonObject)
    .option("--subject <subject>", 'email subject, with --message (default "Notification")')
    .option("--channels <list>", "channels to try in order instead of CHANNEL_ORDER, e.g. sms,email")
    .option(
      "--category <slug>",
      "what kind of message it is, e.g. marketing: the user's preferences for it apply",
    )
    .option("--send-at <time>", "not before this time (RFC 3339 with an offset)")
    .option("--ttl-seconds <n>", "never delivered after this many seconds from now", parseWholeNumber)
    .option("--priority <level>", "normal, or critical: delivered even in the user's quiet hours")
    .option(
      "--metadata <key=value>",
      "your own label, shown and sent in webhooks (repeat for more)",
      collectMetadata,
    )
    .option("--json", "print the notification as JSON")
    .action(async (options) => {
      const input = {
        user: options.user,
        message: options.message ?? null,
        template: options.template ?? null,
        data: options.data ?? null,
        subject: options.subject ?? null,
        channels: options.channels === undefined ? null : splitList(options.channels),
        category: options.category ?? null,
        metadata: options.metadata ?? null,
        send_at: options.sendAt ?? null,
        ttl_seconds: options.ttlSeconds ?? null,
        priority: options.priority ?? null,
      };
      refuseUnstorableText(input);
      const notification = await withAnnouncingCore((core) => createNotification(core, input));
      if (options.json) return printJson(io, serializeNotification(notification, []));
      io.out(`Created notification ${notification.id} (pending); a worker will deliver it.`);
      io.out(`Follow it with: notification-service status ${notification.id}`);
    });

  program
    .command("status")
    .description("show a notification and every delivery attempt")
    .argument("<id>", "the notification id", parseId)
    .option("--json", "print it as JSON, in the shape GET /api/notifications/{id}/ answers")
    .action(async (id: number, options) => {
      const notification = await withCore((core) => getNotification(core, id));
      if (options.json) return printJson(io, serializeNotification(notification, notification.attempts));
      io.out(describeNotification(notification));
    });

  program
    .command("retry")
    .description(
      "send a failed or cancelled notification again now, in a fresh round, as POST /api/notifications/{id}/retry/ does",
    )
    .argument("<id>", "the notification id", parseId)
    .option("--json", "print the notification as JSON")
    .action(async (id: number, options: { json?: boolean }) => {
      const retried = await withAnnouncingCore(async (core) => {
        await retryNotification(actionDeps(core), id);
        return getNotification(core, id);
      });
      if (options.json) return printJson(io, serializeNotification(retried, retried.attempts));
      io.out(
        `Notification ${id} is pending again (round ${retried.historyFromRound}); a worker will deliver it.`,
      );
    });

  program
    .command("cancel")
    .description(
      "stop a pending (or scheduled) notification for good, as POST /api/notifications/{id}/cancel/ does",
    )
    .argument("<id>", "the notification id", parseId)
    .option("--json", "print the notification as JSON")
    .action(async (id: number, options: { json?: boolean }) => {
      const cancelled = await withAnnouncingCore((core) =>
        withWebhookEvents(core, async (webhookEvents) => {
          await cancelNotification({ ...actionDeps(core), webhookEvents }, id);
          return getNotification(core, id);
        }),
      );
      if (options.json) return printJson(io, serializeNotification(cancelled, cancelled.attempts));
      io.out(`Cancelled notification ${id}.`);
    });

  program
    .command("prune")
    .description(
      "delete finished notifications (sent, failed, cancelled, expired) created more than N days ago, with their attempts; workers do this on their own when RETENTION_DAYS is set",
    )
    .option("--days <n>", "age in days (default: RETENTION_DAYS)", parseDays)
    .option("--json", "print the count as JSON")
    .action(async (options: { days?: number; json?: boolean }) => {
      const { days, deleted } = await withAnnouncingCore(async (core) => {
        const days = options.days ?? core.config.retentionDays;
        if (!(days > 0)) {
          throw new CliFailure("give --days, or set RETENTION_DAYS: nothing is deleted by default");
        }
        return { days, deleted: await deleteOldNotifications(core, days) };
      });
      if (options.json) return printJson(io, { deleted, days });
      io.out(
        `Deleted ${deleted} finished notification${deleted === 1 ? "" : "s"} created more than ${days} days ago.`,
      );
    });
}

const actionDeps = (core: Core) => ({ ...core, leaseSeconds: core.config.leaseSeconds });

function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

function describeNotification(n: NotificationWithAttempts): string {
  const headline =
    n.status === "sent"
      ? `sent via ${n.lastChannel}`
      : n.status === "failed"
        ? "failed"
        : n.status === "pending"
          ? n.retryCount > 0
            ? `pending, waiting for retry ${n.retryCount + 1}`
            : "pending"
          : n.status;
  const fields: string[][] = [
    ["  user", String(n.userId)],
    ["  created", isoOrDash(n.createdAt)],
  ];
  if (n.sentAt) {
    const seconds = ((n.sentAt.getTime() - n.createdAt.getTime()) / 1000).toFixed(1);
    fields.push(["  sent", `${n.sentAt.toISOString()} (${seconds} s after creation)`]);
  }
  if (n.status === "pending") fields.push(["  next round", isoOrDash(n.nextAttemptAt)]);
  if (n.failureReason) fields.push(["  failure", n.failureReason]);
  if (n.expiresAt) fields.push(["  expires", isoOrDash(n.expiresAt)]);
  if (n.priority !== "normal") fields.push(["  priority", n.priority]);
  if (n.metadata) {
    fields.push([
      "  metadata",
      Object.entries(n.metadata)
        .map(([key, value]) => `${key}=${value}`)
        .join(", "),
    ]);
  }
  fields.push(
    ["  retries", String(n.retryCount)],
    ["  channels", n.channels ? n.channels.join(", ") : "CHANNEL_ORDER"],
    ["  subject", orDash(n.subject)],
    ["  message", oneLine(n.message, 200)],
  );
  if (n.template) fields.push(["  template", `${n.template} (${n.locale})`]);
  for (const [channel, body] of Object.entries(n.rendered ?? {})) {
    const html = body.html ? ` [+ html, ${body.html.length} characters]` : "";
    const mode = body.parseMode ? ` [${body.parseMode}]` : "";
    fields.push([`  ${channel}`, `${oneLine(body.text, 200)}${html}${mode}`]);
  }
  const lines = [`Notification ${n.id}: ${headline}`, table(fields), ""];
  if (n.attempts.length === 0) {
    lines.push("No attempts yet.");
  } else {
    lines.push(
      "Attempts:",
      table([
        ["  ROUND", "CHANNEL", "STATUS", "DELIVERY", "KIND", "CODE", "FINISHED", "DETAIL"],
        ...n.attempts.map((a) => [
          `  ${a.round}`,
          a.channel,
          a.status,
          a.delivery ? `${a.delivery}${a.receiptCode ? ` (${a.receiptCode})` : ""}` : "-",
          orDash(a.errorKind),
          orDash(a.providerCode),
          isoOrDash(a.finishedAt),
          a.status === "sent" ? orDash(a.providerMessageId) : oneLine(a.error ?? "-"),
        ]),
      ]),
    );
  }
  return lines.join("\n");
}
