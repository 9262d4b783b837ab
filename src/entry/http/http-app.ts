/**
 * The HTTP API as a plain Fastify instance: tests build it and call `inject`, the api entry point
 * listens with it. It only translates HTTP to use-case calls and back.
 */
import swagger from "@fastify/swagger";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import { registerApiDocs } from "./api-docs.js";
import { audiencesRoutes } from "./audiences-routes.js";
import { registerAuthentication } from "./authentication.js";
import { broadcastsRoutes } from "./broadcasts-routes.js";
import { channelsRoutes } from "./channels-routes.js";
import { dashboardRoutes } from "./dashboard-routes.js";
import { answerFrameworkError, registerErrorHandler } from "./error-handler.js";
import type { HttpDeps } from "./http-deps.js";
import { notificationActionsRoutes } from "./notification-actions-routes.js";
import { notificationEventsRoute } from "./notification-events-route.js";
import { notificationsRoutes } from "./notifications-routes.js";
import { serializerFactoryWithNullableTypes } from "./nullable-types.js";
import { observabilityRoutes } from "./observability-routes.js";
import { openApiOptions } from "./openapi.js";
import { outboxRoutes } from "./outbox-routes.js";
import { registerProtection } from "./protection.js";
import { registerUnstorableCharacterCheck } from "./reject-unstorable-characters.js";
import { acceptEmptyJsonBodies, validatorFactoryWithStrictCoercion } from "./request-bodies.js";
import { smsRuCallbackRoutes } from "./sms-ru-callback-routes.js";
import { telegramLinksRoutes } from "./telegram-links-routes.js";
import { templatesRoutes } from "./templates-routes.js";
import { unsubscribeRoutes } from "./unsubscribe-routes.js";
import { usersRoutes } from "./users-routes.js";
import { webhooksRoutes } from "./webhooks-routes.js";

export async function buildHttpApp(
  deps: HttpDeps,
  logger: FastifyBaseLogger | boolean = false,
): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: typeof logger === "object" ? logger : undefined,
    logger: typeof logger === "boolean" ? logger : undefined,
    bodyLimit: deps.config.bodyLimitBytes,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    ajv: {
      customOptions: {
        // Unknown fields are an error the client should hear about, not something to drop silently.
        removeAdditional: false,
        allErrors: true,
        // Scalars only ("5" -> 5 for ids); a string is never silently wrapped into a list.
        coerceTypes: true,
      },
    },
    schemaController: {
      compilersFactory: {
        buildValidator: validatorFactoryWithStrictCoercion(),
        buildSerializer: serializerFactoryWithNullableTypes(),
      },
    },
    frameworkErrors: answerFrameworkError,
    // A line per request would cost more than the request; deliveries are logged by the worker.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a text/plain body would otherwise reach validation as a string.
  app.removeContentTypeParser("text/plain");
  acceptEmptyJsonBodies(app);
  registerErrorHandler(app);
  // Protection first: CORS must answer preflights before authentication asks them for a key.
  await registerProtection(app, deps.config, deps.core.sideChannels.apiRateLimitStore);
  registerAuthentication(app, deps.core.authenticator, deps.config.authDisabled);
  registerUnstorableCharacterCheck(app);
  const { host, port, audiences } = deps.config;
  await app.register(swagger, openApiOptions({ publicUrl: audiences.publicUrl, host, port }));
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  registerApiDocs(app, "Notification Service API");

  await app.register(usersRoutes, deps);
  await app.register(telegramLinksRoutes, deps);
  await app.register(notificationsRoutes, deps);
  await app.register(outboxRoutes, deps);
  await app.register(observabilityRoutes, deps);
  await app.register(notificationActionsRoutes, deps);
  await app.register(notificationEventsRoute, deps);
  await app.register(channelsRoutes, deps);
  await app.register(templatesRoutes, deps);
  await app.register(webhooksRoutes, deps);
  await app.register(broadcastsRoutes, deps);
  await app.register(audiencesRoutes, deps);
  await app.register(unsubscribeRoutes, deps);
  await app.register(smsRuCallbackRoutes, deps);
  await app.register(dashboardRoutes);
  return app;
}
