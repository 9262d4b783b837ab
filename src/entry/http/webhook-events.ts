/** The API's webhook emitter: events of what its routes change (cancels, suppressions, unsubscribes). */
import type { FastifyInstance } from "fastify";
import type { WebhookEmitter } from "../../webhooks/webhook-emitter.js";
import { webhookEmitterOf } from "../webhook-emitter-of-core.js";
import type { HttpDeps } from "./http-deps.js";

/** An emitter whose pending events are stored before the app closes. */
export function webhookEmitterFor(app: FastifyInstance, deps: HttpDeps): WebhookEmitter {
  const webhookEvents = webhookEmitterOf(deps.core, deps.config, app.log);
  app.addHook("onClose", () => webhookEvents.flush());
  return webhookEvents;
}
