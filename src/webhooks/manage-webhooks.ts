/**
 * What a caller does with webhook endpoints: register, list, change, delete, rotate a secret,
 * look at deliveries, replay one, send a test event. Shared by the HTTP API and the CLI.
 */
import { ConflictError, lengthProblem, NotFoundError, tooMany, ValidationError } from "../core/errors.js";
import type { Logger } from "../core/logger.js";
import type { ListedPage, PageWindow } from "../core/model.js";
import type { WorkWakeUps } from "../usecases/ports.js";
import { webhookUrlProblem } from "./webhook-address.js";
import {
  ALL_EVENTS,
  isWebhookEventType,
  TEST_EVENT_TYPE,
  WEBHOOK_EVENT_TYPES,
} from "./webhook-event-types.js";
import {
  WEBHOOK_LIMITS,
  type WebhookDelivery,
  type WebhookEndpoint,
  type WebhookEndpointChanges,
  type WebhookEndpointWithSecret,
  type WebhookStore,
} from "./webhook-model.js";
import { newWebhookEventId, newWebhookSecret } from "./webhook-signature.js";

/** How long a rotated-out secret goes on signing, so receivers can switch without losing events. */
export const SECRET_OVERLAP_SECONDS = 24 * 3600;

export interface WebhookDeps {
  webhooks: WebhookStore;
  /** Wakes webhook workers when a delivery is made due now. */
  webhookWakeUps: Pick<WorkWakeUps, "wake">;
  allowPrivateNetworks: boolean;
  logger: Logger;
}

export interface WebhookInput {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}

export async function createWebhook(
  deps: WebhookDeps,
  input: WebhookInput,
): Promise<WebhookEndpointWithSecret> {
  if (input.url === undefined) throw ValidationError.of("url", "This field is required.");
  if (input.events === undefined) throw ValidationError.of("events", "This field is required.");
  const changes = await checkedChanges(deps, input);
  const secret = newWebhookSecret();
  const endpoint = await deps.webhooks.createEndpoint({
    url: changes.url ?? input.url,
    description: changes.description ?? "",
    events: changes.events ?? input.events,
    enabled: changes.enabled ?? true,
    secret,
  });
  deps.logger.info({ endpointId: endpoint.id, events: endpoint.events }, "webhook endpoint created");
  return { ...endpoint, secret };
}

export async function getWebhook(deps: WebhookDeps, id: number): Promise<WebhookEndpoint> {
  const endpoint = await deps.webhooks.findEndpoint(id);
  if (!endpoint) throw notFound(id);
  return endpoint;
}

export function listWebhooks(deps: WebhookDeps, page: { limit: number; offset: number }) {
  return deps.webhooks.listEndpoints(page);
}

export async function updateWebhook(
  deps: WebhookDeps,
  id: number,
  input: WebhookInput,
): Promise<WebhookEndpoint> {
  const changes = await checkedChanges(deps, input);
  const endpoint = await deps.webhooks.updateEndpoint(id, changes);
  if (!endpoint) throw notFound(id);
  deps.logger.info({ endpointId: id, changed: Object.keys(changes) }, "webhook endpoint changed");
  return endpoint;
}

export async function deleteWebhook(deps: WebhookDeps, id: number): Promise<void> {
  if (!(await deps.webhooks.deleteEndpoint(id))) throw notFound(id);
  deps.logger.info({ endpointId: id }, "webhook endpoint deleted");
}

/** A new secret signs from now on; the previous one goes on signing too for 24 hours. */
export async function rotateWebhookSecret(deps: WebhookDeps, id: number): Promise<WebhookEndpointWithSecret> {
  const secret = newWebhookSecret();
  const endpoint = await deps.webhooks.rotateSecret(id, secret, SECRET_OVERLAP_SECONDS);
  if (!endpoint) throw notFound(id);
  deps.logger.info({ endpointId: id }, "webhook secret rotated");
  return { ...endpoint, secret };
}

export async function listWebhookDeliveries(
  deps: WebhookDeps,
  id: number,
  page: PageWindow,
): Promise<ListedPage<WebhookDelivery>> {
  await getWebhook(deps, id);
  return deps.webhooks.listDeliveries(id, page);
}

/** Sends a delivery again, now, with the same webhook-id (receivers deduplicate on it). */
export async function replayWebhookDelivery(
  deps: WebhookDeps,
  id: number,
  deliveryId: number,
): Promise<WebhookDelivery> {
  const endpoint = await getWebhook(deps, id);
  if (!endpoint.enabled) throw new ConflictError(`Webhook ${id} is disabled; enable it before replaying.`);
  const replayed = await deps.webhooks.replayDelivery(id, deliveryId);
  if (!replayed) {
    throw new NotFoundError(
      `Delivery ${deliveryId} of webhook ${id} not found, or it is being sent right now.`,
    );
  }
  deps.webhookWakeUps.wake();
  deps.logger.info({ endpointId: id, deliveryId }, "webhook delivery replayed");
  return replayed;
}

/** A `webhook.test` event to this endpoint only, whatever it subscribes to. */
export async function sendTestWebhook(deps: WebhookDeps, id: number): Promise<WebhookDelivery> {
  const endpoint = await getWebhook(deps, id);
  if (!endpoint.enabled) throw new ConflictError(`Webhook ${id} is disabled; enable it before testing it.`);
  const delivery = await deps.webhooks.recordEventFor(id, {
    id: newWebhookEventId(),
    type: TEST_EVENT_TYPE,
    payload: {
      type: TEST_EVENT_TYPE,
      timestamp: new Date().toISOString(),
      data: { webhook: id, message: "A test event sent on request; it is about no notification." },
    },
  });
  if (!delivery) throw notFound(id);
  deps.webhookWakeUps.wake();
  return delivery;
}

async function checkedChanges(deps: WebhookDeps, input: WebhookInput): Promise<WebhookEndpointChanges> {
  const problems: Record<string, string[]> = {};
  const changes: WebhookEndpointChanges = {};
  // The schema's limits, for the command line, which does not pass through it: an over-long url is
  // refused before its host is looked up.
  const urlTooLong = input.url === undefined ? null : lengthProblem(input.url, WEBHOOK_LIMITS.url);
  if (urlTooLong !== null) problems.url = [urlTooLong];
  else if (input.url !== undefined) {
    const problem = await webhookUrlProblem(input.url, deps.allowPrivateNetworks);
    if (problem) problems.url = [problem];
    else changes.url = input.url;
  }
  if (input.events !== undefined && input.events.length > WEBHOOK_LIMITS.events) {
    problems.events = [tooMany(WEBHOOK_LIMITS.events)];
  } else if (input.events !== undefined) {
    const unknown = input.events.filter((event) => event !== ALL_EVENTS && !isWebhookEventType(event));
    if (input.events.length === 0) problems.events = ['Choose at least one event type, or ["*"] for all.'];
    else if (unknown.length > 0) {
      problems.events = [
        `Unknown event type${unknown.length > 1 ? "s" : ""} ${unknown.map((event) => `"${event}"`).join(", ")}; choose from ${WEBHOOK_EVENT_TYPES.join(", ")} or "*".`,
      ];
    } else changes.events = [...new Set(input.events)];
  }
  const descriptionTooLong =
    input.description == null ? null : lengthProblem(input.description, WEBHOOK_LIMITS.description);
  if (descriptionTooLong !== null) problems.description = [descriptionTooLong];
  else if (input.description !== undefined) changes.description = input.description;
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
  return changes;
}

const notFound = (id: number) => new NotFoundError(`Webhook ${id} not found.`);
