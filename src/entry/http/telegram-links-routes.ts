import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { createTelegramLink } from "../../telegram-links/create-telegram-link.js";
import type { HttpDeps } from "./http-deps.js";
import { ErrorBody, IdParams, TelegramLinkSchema } from "./schemas.js";

/** POST /api/users/{id}/telegram-link/: a link that connects the user's Telegram chat. */
export const telegramLinksRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.post(
    "/api/users/:id/telegram-link/",
    {
      schema: {
        tags: ["users"],
        operationId: "createTelegramLink",
        summary: "Make a link that connects the user's Telegram chat",
        description:
          "A t.me link that opens the bot with a single-use code, valid TELEGRAM_LINK_TTL_SECONDS. When the person presses Start, a worker sets the user's telegram_id to their chat and the bot answers with TELEGRAM_LINK_WELCOME. 409 when Telegram or connect links are not configured (TELEGRAM_BOT_TOKEN, TELEGRAM_LINKS=true); 503 when Telegram does not tell the bot's username (getMe).",
        params: IdParams,
        response: { 201: TelegramLinkSchema, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody },
      },
    },
    async (request, reply) => {
      const link = await createTelegramLink(deps.core, request.params.id);
      reply.code(201);
      return { url: link.url, code: link.code, expires_at: link.expiresAt.toISOString() };
    },
  );
};
