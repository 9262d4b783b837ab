import type { Command } from "commander";
import type { Core } from "../../app.js";
import {
  createWebhook,
  listWebhooks,
  rotateWebhookSecret,
  sendTestWebhook,
  type WebhookDeps,
} from "../../webhooks/manage-webhooks.js";
import { serializeDelivery, serializeEndpoint, serializeWithSecret } from "../webhooks-json.js";
import { parseId } from "./arguments.js";
import { type Io, isoOrDash, orDash, printJson, table } from "./output.js";
import { withAnnouncingCore, withCore } from "./with-core.js";

const webhookDeps = (core: Core): WebhookDeps => ({
  webhooks: core.webhooks,
  webhookWakeUps: core.webhookWakeUps,
  allowPrivateNetworks: core.config.webhooks.allowPrivateNetworks,
  logger: core.logger,
});

/** Most endpoints a deployment has; list shows them all. */
const LIST_LIMIT = 1000;

export function addWebhooksCommands(program: Command, io: Io): void {
  const webhooks = program
    .command("webhooks")
    .description("manage the endpoints that receive signed status events (docs/webhooks.md)");

  webhooks
    .command("list")
    .description("list webhook endpoints (never their secrets)")
    .option("--json", "print them as JSON")
    .action(async (options) => {
      const found = await withCore((core) =>
        listWebhooks(webhookDeps(core), { limit: LIST_LIMIT, offset: 0 }),
      );
      if (options.json) return printJson(io, found.results.map(serializeEndpoint));
      if (found.count === 0)
        return io.out(
          "No webhooks. Create one with: notification-service webhooks create --url URL --events '*'",
        );
      io.out(
        table([
          ["ID", "URL", "EVENTS", "ENABLED", "FAILING SINCE", "DISABLED BECAUSE"],
          ...found.results.map((endpoint) => [
            String(endpoint.id),
            endpoint.url,
            endpoint.events.join(","),
            endpoint.enabled ? "yes" : "no",
            isoOrDash(endpoint.failingSince),
            orDash(endpoint.disabledReason),
          ]),
        ]),
      );
    });

  webhooks
    .command("create")
    .description("register an endpoint and print its signing secret; it is shown only this once")
    .requiredOption("--url <url>", "http(s) URL that receives the events")
    .requiredOption("--events <types>", 'comma-separated event types, or "*" for all')
    .option("--description <text>", "what the endpoint is for")
    .option("--json", "print the endpoint and its secret as JSON")
    .action(async (options) => {
      const events = String(options.events)
        .split(",")
        .map((event) => event.trim())
        .filter(Boolean);
      const created = await withCore((core) =>
        createWebhook(webhookDeps(core), { url: options.url, events, description: options.description }),
      );
      if (options.json) return printJson(io, serializeWithSecret(created));
      // The secret alone on stdout, so SECRET=$(notification-service webhooks create ...) works.
      io.out(created.secret);
      io.err(
        `Created webhook ${created.id} for ${created.url}. Its secret is shown only this once: store it now.`,
      );
    });

  webhooks
    .command("rotate")
    .description("issue a new signing secret and print it; the previous one keeps signing for 24 hours")
    .argument("<id>", "the webhook's id, as webhooks list shows it", parseId)
    .option("--json", "print the endpoint and its new secret as JSON")
    .action(async (id: number, options) => {
      const rotated = await withCore((core) => rotateWebhookSecret(webhookDeps(core), id));
      if (options.json) return printJson(io, serializeWithSecret(rotated));
      io.out(rotated.secret);
      io.err(`New secret for webhook ${id}; the previous one keeps signing for 24 hours.`);
    });

  webhooks
    .command("test")
    .description("send a webhook.test event to one endpoint; a worker sends it")
    .argument("<id>", "the webhook's id", parseId)
    .option("--json", "print the delivery as JSON")
    .action(async (id: number, options) => {
      const delivery = await withAnnouncingCore((core) => sendTestWebhook(webhookDeps(core), id));
      if (options.json) return printJson(io, serializeDelivery(delivery));
      io.out(
        `Queued delivery ${delivery.id} (${delivery.eventId}); see GET /api/webhooks/${id}/deliveries/ for how it went.`,
      );
    });
}
