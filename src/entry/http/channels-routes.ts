import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { fallbackAddresses } from "../../channels/build-providers.js";
import { channelOverview, FAILURE_SAMPLE, OVERVIEW_WINDOW_SECONDS } from "../../usecases/channel-overview.js";
import { serializeSuppression } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { ChannelOverview } from "./schemas.js";

export const channelsRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  const fallbacks = fallbackAddresses(deps.config);
  app.get(
    "/api/channels/overview/",
    {
      schema: {
        tags: ["channels"],
        operationId: "getChannelOverview",
        summary:
          "Per channel: configured or not, sent and failed in the last hour, last success, common failures",
        description:
          "Channels in CHANNEL_ORDER first. Counts are of attempts finished in the last hour; common_failures groups each channel's last 100 failed attempts by reason (top 3). fallback_address is the address the channel uses for users without one of their own (Telegram's TELEGRAM_CHAT_ID) and its suppression: while suppressed, those users are skipped on the channel.",
        response: { 200: ChannelOverview },
      },
    },
    async () => {
      const channels = await channelOverview({
        ...deps.core,
        channelOrder: deps.config.channelOrder,
        missingChannels: deps.config.missingChannels,
        deliverySandbox: deps.config.deliverySandbox,
        fallbackAddresses: fallbacks,
      });
      return {
        window_seconds: OVERVIEW_WINDOW_SECONDS,
        failure_sample: FAILURE_SAMPLE,
        channels: channels.map((summary) => ({
          channel: summary.channel,
          configured: summary.configured,
          not_configured_reason: summary.notConfiguredReason,
          paused_reason: summary.pausedReason,
          order_position: summary.orderPosition,
          last_hour: summary.lastHour,
          last_success_at: summary.lastSuccessAt?.toISOString() ?? null,
          fallback_address: summary.fallback && {
            address: summary.fallback.address,
            suppression: summary.fallback.suppression && serializeSuppression(summary.fallback.suppression),
          },
          common_failures: summary.commonFailures.map((failure) => ({
            reason: failure.reason,
            error_kind: failure.errorKind,
            provider_code: failure.providerCode,
            count: failure.count,
            last_seen_at: failure.lastSeenAt.toISOString(),
          })),
        })),
      };
    },
  );
};
