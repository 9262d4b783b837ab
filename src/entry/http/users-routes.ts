import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { Static } from "typebox";
import { createUser } from "../../usecases/create-user.js";
import { getUser } from "../../usecases/read-notifications.js";
import { updateUser } from "../../usecases/update-user.js";
import { serializeUser } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { CreateUserBody, ErrorBody, IdParams, UpdateUserBody, User } from "./schemas.js";

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
};
