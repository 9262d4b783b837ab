/** Users' preferences and suppressed addresses (docs/audiences.md). */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "typebox";
import {
  addSuppression,
  getPreferences,
  listSuppressions,
  removeSuppression,
  replacePreferences,
} from "../../audiences/audience-usecases.js";
import { SUPPRESSION_LIMITS } from "../../audiences/suppression.js";
import { CHANNELS, SUPPRESSION_REASONS } from "../../core/model.js";
import { serializeSuppression } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate, positiveInteger } from "./pagination.js";
import { CursorPageQuery, ErrorBody, IdParams, Page, SuppressionSchema } from "./schemas.js";
import { webhookEmitterFor } from "./webhook-events.js";

const ChannelSwitches = Type.Object(
  {
    sms: Type.Optional(Type.Boolean()),
    email: Type.Optional(Type.Boolean()),
    telegram: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, description: "false turns a channel off; a channel left out is allowed" },
);

const PreferencesSchema = Type.Object(
  {
    channels: Type.Optional(ChannelSwitches),
    categories: Type.Optional(
      Type.Record(Type.String(), ChannelSwitches, {
        description: "Per category (a notification's category slug): the channels turned off for it",
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      "The channels the user turned off, everywhere (channels) or for one category (categories). Anything not set is allowed. A channel turned off is skipped with reason preference, except for critical notifications (priority critical, or a category in CRITICAL_CATEGORIES).",
    examples: [{ channels: { sms: false }, categories: { marketing: { email: false, telegram: false } } }],
  },
);

const PreferencesResponse = Type.Object(
  { channels: ChannelSwitches, categories: Type.Record(Type.String(), ChannelSwitches) },
  { examples: [{ channels: { sms: false }, categories: { marketing: { email: false, telegram: false } } }] },
);

const SuppressionPage = Page(SuppressionSchema);

const SuppressionQuery = Type.Object({
  channel: Type.Optional(Type.String({ description: `Only this channel: ${CHANNELS.join(", ")}` })),
  address: Type.Optional(
    Type.String({
      maxLength: 254,
      description: "Only this address, however it is spelled (it is normalised as contacts are)",
      examples: ["+7 999 000-11-22"],
    }),
  ),
  user: Type.Optional(Type.String({ description: "Only the addresses this user has" })),
  ...CursorPageQuery.properties,
});

const NewSuppressionBody = Type.Object(
  {
    channel: Type.String({ description: CHANNELS.join(", ") }),
    address: Type.String({
      maxLength: SUPPRESSION_LIMITS.address,
      description: "A phone number, an email address or a chat id",
    }),
    reason: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description: `One of ${SUPPRESSION_REASONS.join(", ")}; default manual`,
      }),
    ),
    note: Type.Optional(
      Type.Union([Type.String({ maxLength: SUPPRESSION_LIMITS.note }), Type.Null()], {
        description: "Why, for the people reading the list",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ channel: "email", address: "bob@example.com", reason: "manual", note: "asked by phone" }],
  },
);

export const audiencesRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const webhookEvents = webhookEmitterFor(app, deps);
  app.get(
    "/api/users/:id/preferences/",
    {
      schema: {
        tags: ["audiences"],
        operationId: "getPreferences",
        summary: "Get a user's channel preferences",
        params: IdParams,
        response: { 200: PreferencesResponse, 404: ErrorBody },
      },
    },
    async (request) => getPreferences(deps.core, request.params.id),
  );

  app.put(
    "/api/users/:id/preferences/",
    {
      schema: {
        tags: ["audiences"],
        operationId: "replacePreferences",
        summary: "Replace a user's channel preferences",
        description:
          "Replaces the whole document: what is left out is allowed again. Applies to notifications delivered from now on, including those already pending.",
        params: IdParams,
        body: PreferencesSchema,
        response: { 200: PreferencesResponse, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => replacePreferences(deps.core, request.params.id, request.body),
  );

  app.get(
    "/api/suppressions/",
    {
      schema: {
        tags: ["audiences"],
        operationId: "listSuppressions",
        summary: "List suppressed addresses, newest first",
        querystring: SuppressionQuery,
        response: { 200: SuppressionPage, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const query = parseSuppressionQuery(request.query);
      const found = await listSuppressions(deps.core, query, query.window);
      return paginate(request, query.page, query.pageSize, {
        ...found,
        results: found.results.map(serializeSuppression),
      });
    },
  );

  app.post(
    "/api/suppressions/",
    {
      schema: {
        tags: ["audiences"],
        operationId: "addSuppression",
        summary: "Suppress an address by hand",
        description:
          "Nothing is sent to the address on that channel, for any user who has it, until the suppression is removed. 409 when it is suppressed already.",
        body: NewSuppressionBody,
        response: { 201: SuppressionSchema, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const added = await addSuppression({ ...deps.core, webhookEvents }, request.body, "api");
      reply.code(201);
      return serializeSuppression(added);
    },
  );

  app.delete(
    "/api/suppressions/:id/",
    {
      schema: {
        tags: ["audiences"],
        operationId: "removeSuppression",
        summary: "Remove a suppression",
        description:
          "For an address that works again (the user unblocked the bot, fixed the mailbox): deliveries to it resume. Answers the removed suppression.",
        params: IdParams,
        response: { 200: SuppressionSchema, 404: ErrorBody },
      },
    },
    async (request) =>
      serializeSuppression(await removeSuppression({ ...deps.core, webhookEvents }, request.params.id)),
  );
};

function parseSuppressionQuery(query: Static<typeof SuppressionQuery>) {
  const problems: Record<string, string[]> = {};
  const user =
    query.user === undefined || query.user === ""
      ? undefined
      : positiveInteger(problems, "user", query.user, 0);
  return {
    channel: query.channel || undefined,
    address: query.address?.trim() || undefined,
    user,
    ...pageParams(query, problems),
  };
}
