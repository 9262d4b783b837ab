/**
 * How /openapi.json describes the API as a whole: where it is served (PUBLIC_URL, else the local
 * address), its license, authentication, tags, and the answers every /api/ operation can give
 * (401 without a valid key, 429 over the rate limit) added once here rather than on each route.
 * The committed openapi.json is this document; the contract test keeps the two equal.
 */
import type { FastifyDynamicSwaggerOptions } from "@fastify/swagger";
import type { Config } from "../../config.js";
import { ErrorBody } from "./schemas.js";

const UNAUTHORIZED = {
  ...ErrorBody,
  description: "No API key, or one that is unknown or revoked",
  examples: [{ detail: "Invalid API key: it is unknown or has been revoked." }],
};
const RATE_LIMITED = {
  ...ErrorBody,
  description: "Over API_RATE_LIMIT_PER_MINUTE for this API key; the Retry-After header says when to retry",
  examples: [
    { detail: "Rate limit exceeded: at most 6000 requests a minute per API key; retry in 1 second." },
  ],
};

/** Where the document says the API is: PUBLIC_URL, else the address it listens on. */
export interface ServedAt {
  publicUrl: string | null;
  host: Config["host"];
  port: Config["port"];
}

export function openApiOptions(servedAt: ServedAt): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Notification Service",
        version: "0.1.0",
        description:
          'Send a notification to a user by SMS (SMS.ru), email (SMTP) or Telegram: the first channel that works wins, failed rounds are retried, and every attempt is recorded. Errors have the shape Django REST Framework clients parse: {"field": ["what is wrong"]} or {"detail": "..."}. Typed clients: clients/typescript and clients/python in the repository.',
        license: { name: "MIT", identifier: "MIT" },
      },
      servers: [serverOf(servedAt)],
      components: {
        securitySchemes: {
          apiKey: { type: "http", scheme: "bearer", description: "An API key: API_KEYS or `keys create`" },
        },
      },
      security: [{ apiKey: [] }],
      tags: [
        { name: "users", description: "Recipients and their contacts" },
        { name: "notifications", description: "Messages and their delivery" },
        { name: "outbox", description: "What the delivery sandbox sent instead of the real providers" },
        { name: "channels", description: "The delivery channels at a glance" },
        { name: "templates", description: "Message templates per locale and channel (Liquid)" },
        { name: "webhooks", description: "Signed status webhooks (Standard Webhooks) and their deliveries" },
        { name: "broadcasts", description: "One message to many users, fanned out by the workers" },
        {
          name: "audiences",
          description: "Users' channel preferences, suppressed addresses and one-click unsubscribe",
        },
        { name: "callbacks", description: "What providers post to the service: SMS.ru's delivery statuses" },
      ],
    },
    transform: ({ schema, url }) => {
      if (!url.startsWith("/api/") || !schema || schema.hide) return { schema, url };
      const response = Object.fromEntries(
        Object.entries((schema.response ?? {}) as Record<string, JsonSchema>).map(([status, body]) => [
          status,
          withPageExample(body),
        ]),
      );
      return { schema: { ...schema, response: { ...response, 401: UNAUTHORIZED, 429: RATE_LIMITED } }, url };
    },
  };
}

interface JsonSchema {
  examples?: unknown[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

/** A DRF page ({count, next, previous, results}) is exemplified by its item's example, once here. */
function withPageExample(body: JsonSchema): JsonSchema {
  const properties = body.properties;
  const item = properties?.results?.items?.examples?.[0];
  if (body.examples || !properties || !("count" in properties) || !("next" in properties) || !item)
    return body;
  return {
    ...body,
    examples: [{ count: 1, count_exact: true, next: null, previous: null, results: [item] }],
  };
}

function serverOf(config: ServedAt) {
  if (config.publicUrl) return { url: config.publicUrl, description: "This deployment (PUBLIC_URL)" };
  const host = ["0.0.0.0", "::", ""].includes(config.host) ? "127.0.0.1" : config.host;
  const name = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${name}:${config.port}`,
    description: "This service (set PUBLIC_URL to its public address)",
  };
}
