import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "typebox";
import type { OutboxEntry } from "../../core/model.js";
import { CHANNELS, type Channel, isChannel } from "../../core/model.js";
import { listOutbox } from "../../usecases/read-outbox.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate, positiveInteger } from "./pagination.js";
import { CursorPageQuery, ErrorBody, Page } from "./schemas.js";

const OutboxQuery = Type.Object({
  channel: Type.Optional(Type.String({ description: `Only this channel: ${CHANNELS.join(", ")}` })),
  notification: Type.Optional(Type.String({ description: "Only this notification's messages" })),
  ...CursorPageQuery.properties,
});

const OutboxMessage = Type.Object(
  {
    id: Type.Integer(),
    notification: Type.Integer(),
    channel: Type.Enum(CHANNELS),
    to: Type.String({ description: "The address the real provider would have used" }),
    subject: Type.Union([Type.String(), Type.Null()], { description: "Email only" }),
    text: Type.String(),
    created_at: Type.String({ format: "date-time" }),
  },
  {
    examples: [
      {
        id: 3,
        notification: 41,
        channel: "sms",
        to: "+79990001122",
        subject: null,
        text: "Your code is 1234",
        created_at: "2026-11-19T08:29:23.100Z",
      },
    ],
  },
);

const OutboxPage = Page(OutboxMessage);

const serializeOutboxEntry = (entry: OutboxEntry) => ({
  id: entry.id,
  notification: entry.notificationId,
  channel: entry.channel,
  to: entry.to,
  subject: entry.subject,
  text: entry.text,
  created_at: entry.createdAt.toISOString(),
});

export const outboxRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.get(
    "/api/outbox/",
    {
      schema: {
        tags: ["outbox"],
        operationId: "listOutbox",
        summary: "What the delivery sandbox sent instead of the real providers, newest first",
        querystring: OutboxQuery,
        response: { 200: OutboxPage, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const query = parseOutboxQuery(request.query);
      const found = await listOutbox(deps.core, query, query.window);
      return paginate(request, query.page, query.pageSize, {
        ...found,
        results: found.results.map(serializeOutboxEntry),
      });
    },
  );
};

function parseOutboxQuery(query: Static<typeof OutboxQuery>) {
  const problems: Record<string, string[]> = {};
  let channel: Channel | undefined;
  if (query.channel !== undefined && query.channel !== "") {
    if (isChannel(query.channel)) channel = query.channel;
    else problems.channel = [`Select a valid choice: ${CHANNELS.join(", ")}.`];
  }
  const notificationId =
    query.notification === undefined || query.notification === ""
      ? undefined
      : positiveInteger(problems, "notification", query.notification, 0);
  return { channel, notificationId, ...pageParams(query, problems) };
}
