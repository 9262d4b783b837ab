import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "typebox";
import { createUser } from "../../usecases/create-user.js";
import { eraseUser } from "../../usecases/erase-user.js";
import { findUsers } from "../../usecases/find-users.js";
import { importUsers, MAX_IMPORTED_USERS } from "../../usecases/import-users.js";
import { getUser } from "../../usecases/read-notifications.js";
import { updateUser } from "../../usecases/update-user.js";
import { serializeUser } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate } from "./pagination.js";
import {
  CreateUserBody,
  CursorPageQuery,
  ErrorBody,
  IdParams,
  ImportUserBody,
  Page,
  UpdateUserBody,
  User,
  userExample,
} from "./schemas.js";

const UserQuery = Type.Object({
  email: Type.Optional(
    Type.String({ maxLength: 254, description: "Only the user with this email, whatever its case" }),
  ),
  phone_number: Type.Optional(
    Type.String({
      maxLength: 64,
      description: "Only users with this number, written any way POST /api/users/ accepts it",
      examples: ["+7 999 000-11-22"],
    }),
  ),
  telegram_id: Type.Optional(Type.String({ maxLength: 32, description: "Only users with this chat id" })),
  ...CursorPageQuery.properties,
});

/** An import's body may hold a thousand users: more than one request's limit. */
const IMPORT_BODY_LIMIT = 2 * 1024 * 1024;

const ImportBody = Type.Object(
  {
    users: Type.Array(ImportUserBody, {
      minItems: 1,
      maxItems: MAX_IMPORTED_USERS,
      description: `1 to ${MAX_IMPORTED_USERS} users, each as POST /api/users/ takes one (the password optional)`,
    }),
    update_existing: Type.Optional(
      Type.Boolean({
        default: false,
        description:
          "false: an email already taken fails the whole import. true: that user's given fields are changed as PATCH would; the others, and the password, stay",
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        users: [
          { email: "bob@example.com", first_name: "Bob", phone_number: "+79990001122" },
          { email: "alice@example.com", telegram_id: "123456789", locale: "de" },
        ],
        update_existing: true,
      },
    ],
  },
);

const Imported = Type.Object(
  {
    results: Type.Array(User, { description: "Every user of the request, in its order, as stored now" }),
    created: Type.Integer({ description: "How many were created" }),
    updated: Type.Integer({ description: "How many existed and were updated (update_existing)" }),
  },
  { examples: [{ results: [userExample], created: 1, updated: 0 }] },
);

export const usersRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.post(
    "/api/users/bulk/",
    {
      bodyLimit: Math.max(IMPORT_BODY_LIMIT, deps.config.bodyLimitBytes),
      schema: {
        tags: ["users"],
        operationId: "importUsers",
        summary: "Create or update many recipients at once",
        description: `Up to ${MAX_IMPORTED_USERS} users, each as POST /api/users/ takes one but with the password optional, in one transaction: all of them or none. A problem with any item is a 400 naming it as users.<index>.<field>. An email already taken is such a problem, unless update_existing is true: then that user's given fields change as PATCH /api/users/{id}/ would change them. Answers 201 when it created any user, 200 when it only updated. Repeating an import with update_existing is safe.`,
        body: ImportBody,
        response: { 200: Imported, 201: Imported, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const imported = await importUsers(deps.core, request.body.users, {
        updateExisting: request.body.update_existing ?? false,
      });
      reply.code(imported.created > 0 ? 201 : 200);
      return { ...imported, results: imported.results.map(serializeUser) };
    },
  );

  const create = {
    schema: {
      tags: ["users"],
      operationId: "createUser",
      summary: "Create a recipient",
      body: CreateUserBody,
      response: { 201: User, 400: ErrorBody },
    },
    handler: async (
      request: { body: Static<typeof CreateUserBody> },
      reply: { code(status: number): unknown },
    ) => {
      const user = await createUser(deps.core, request.body);
      reply.code(201);
      return serializeUser(user);
    },
  } as const;
  app.post("/api/users/", create);
  // The original service's path, kept so its clients work unchanged.
  app.post("/api/users/create/", { ...create, schema: { ...create.schema, hide: true } });

  app.get(
    "/api/users/",
    {
      schema: {
        tags: ["users"],
        operationId: "listUsers",
        summary: "List or find recipients, newest first",
        description:
          "With email, phone_number or telegram_id, only the users who have that contact: how a backend finds the id of a user it created before. A contact that could not be stored is a 400 naming it.",
        querystring: UserQuery,
        response: { 200: Page(User), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { page, pageSize, window } = pageParams(request.query);
      const found = await findUsers(deps.core, request.query, window);
      return paginate(request, page, pageSize, { ...found, results: found.results.map(serializeUser) });
    },
  );

  app.get(
    "/api/users/:id/",
    {
      schema: {
        tags: ["users"],
        operationId: "getUser",
        summary: "Get a recipient",
        params: IdParams,
        response: { 200: User, 404: ErrorBody },
      },
    },
    async (request) => serializeUser(await getUser(deps.core, request.params.id)),
  );

  app.patch(
    "/api/users/:id/",
    {
      schema: {
        tags: ["users"],
        operationId: "updateUser",
        summary: "Change a recipient",
        description:
          "Changes only the fields given (contacts, locale, timezone, quiet_hours); null clears an optional field. The password cannot be changed here. Notifications already scheduled keep their time.",
        params: IdParams,
        body: UpdateUserBody,
        response: { 200: User, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => serializeUser(await updateUser(deps.core, request.params.id, request.body)),
  );

  app.delete(
    "/api/users/:id/",
    {
      schema: {
        tags: ["users"],
        operationId: "deleteUser",
        summary: "Erase a recipient and their notifications",
        description:
          "Deletes the user with their notifications, attempts, outbox entries and preferences, for good. Pending notifications are never sent; a provider call already under way cannot be called back. Suppressed addresses stay suppressed (DELETE /api/suppressions/{id}/ lifts one).",
        params: IdParams,
        response: { 204: Type.Null({ description: "Erased" }), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const erased = await eraseUser(deps.core, request.params.id);
      // Ids and a count only: what was erased must not reach the logs either.
      request.log.info({ userId: erased.id, notifications: erased.notifications }, "user erased");
      return reply.code(204).send(null);
    },
  );
};
