import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { type Static, Type } from "typebox";
import { createUser } from "../../usecases/create-user.js";
import { eraseUser } from "../../usecases/erase-user.js";
import { findUsers } from "../../usecases/find-users.js";
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
  Page,
  UpdateUserBody,
  User,
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

export const usersRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
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
