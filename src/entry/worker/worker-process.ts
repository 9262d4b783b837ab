import type { Core } from "../../app.js";
import { createDeliveryRuntime, type DeliveryOptions } from "../../app.js";
import type { ClaimedBroadcast } from "../../broadcasts/broadcast-model.js";
import { fanOutBroadcast } from "../../broadcasts/fan-out-broadcast.js";
import { botIdOf, TelegramBotApi } from "../../channels/telegram/telegram-bot-api.js";
import type { ClaimedDelivery } from "../../core/model.js";
import { DueWorkRunner } from "../../queue/due-work-runner.js";
import { checkReceipts } from "../../receipts/check-receipts.js";
import { earlyWindowSeconds } from "../../receipts/receipt-schedule.js";
import type { ReceiptCheck } from "../../receipts/receipts-repository.js";
import { handleTelegramUpdates } from "../../telegram-links/handle-telegram-updates.js";
import { TelegramUpdatesPoller } from "../../telegram-links/telegram-updates-poller.js";
import { abandonDeliveries, deliverNotification } from "../../usecases/deliver-notification.js";
import { runHousekeepingIfDue } from "../../usecases/housekeeping.js";
import type { SuppressionWebhookEvents, UserWebhookEvents } from "../../usecases/ports.js";
import { deliverWebhook } from "../../webhooks/deliver-webhook.js";
import type { ClaimedWebhookDelivery } from "../../webhooks/webhook-model.js";
import { WebhookSender } from "../../webhooks/webhook-sender.js";
import { webhookEmitterOf } from "../webhook-emitter-of-core.js";

/** At most this many notifications per claim, so a backlog spreads over several workers. */
const CLAIM_BATCH = 32;
/** Accepted messages asked about per claim, in calls of as many as each provider takes. */
const RECEIPT_BATCH = 500;
/** The receipt checker's lease outlasts a claim's provider calls by this much. */
const RECEIPT_LEASE_MARGIN_SECONDS = 30;
/** A webhook delivery's lease outlasts its request timeout by this much. */
const WEBHOOK_LEASE_MARGIN_SECONDS = 15;
/** Broadcasts a worker fans out at once: each is a loop of batches, so more would only compete. */
const BROADCAST_CONCURRENCY = 2;
/** A broadcast held back by its own undelivered notifications looks again after this long. */
const BROADCAST_BACKLOG_WAIT_SECONDS = 0.2;

export interface RunningWorker {
  /** Stops taking work, lets deliveries in flight finish (bounded by the grace period), closes. */
  stop(): Promise<void>;
  /** Housekeeping now, if it is this deployment's turn; true when this worker did it. */
  housekeep(): Promise<boolean>;
}

/**
 * Delivers notifications as they fall due: claims them from PostgreSQL when woken, when the next
 * one is due and on a slow poll, and takes its turn at the deployment's housekeeping.
 */
export function startWorker(core: Core, options: DeliveryOptions = {}): RunningWorker {
  const { config, logger } = core;
  let stopping = false;
  const runtime = createDeliveryRuntime(core, { ...options, stopping: () => stopping });
  const deps = runtime.deliverDeps;
  const runner = new DueWorkRunner<ClaimedDelivery>({
    name: "notifications",
    claim: async (limit) => {
      const batch = await core.deliveries.claimDue(deps.workerId, config.leaseSeconds, limit);
      return { items: batch.deliveries, nextDueInSeconds: batch.nextDueInSeconds };
    },
    handle: (claimed) => deliverNotification(deps, claimed),
    idOf: (claimed) => claimed.notification.id,
    concurrency: config.workerConcurrency,
    maxBatch: CLAIM_BATCH,
    pollIntervalMs: config.pollIntervalSeconds * 1000,
    wakeUps: core.wakeUps,
    logger,
  });
  deps.wakeIn = (seconds) => runner.wakeIn(seconds);
  const webhookEvents = webhookEmitterOf(core, config, logger);
  deps.webhooks = webhookEvents;
  void runner.start();

  // Webhook deliveries are due rows of their own, with their own slots: a slow or dead endpoint
  // holds only these, never a notification's delivery.
  const webhookSender = new WebhookSender(config.webhooks);
  const webhookRunner: DueWorkRunner<ClaimedWebhookDelivery> = new DueWorkRunner<ClaimedWebhookDelivery>({
    name: "webhook deliveries",
    claim: (limit) =>
      core.webhooks.claimDue(
        deps.workerId,
        config.webhooks.timeoutSeconds + WEBHOOK_LEASE_MARGIN_SECONDS,
        limit,
      ),
    handle: (claimed) =>
      deliverWebhook(
        {
          store: core.webhooks,
          sender: webhookSender,
          retryScheduleSeconds: config.webhooks.retryScheduleSeconds,
          disableAfterDays: config.webhooks.disableAfterDays,
          workerId: deps.workerId,
          logger,
          wakeIn: (seconds) => webhookRunner.wakeIn(seconds),
        },
        claimed,
      ),
    concurrency: config.webhooks.concurrency,
    maxBatch: CLAIM_BATCH,
    pollIntervalMs: config.pollIntervalSeconds * 1000,
    wakeUps: core.webhookWakeUps,
    logger,
  });
  void webhookRunner.start();

  // Broadcasts fan out here, batch by batch, as due rows of their own: a 100,000-user audience
  // takes one slot of this runner, never a notification's.
  const broadcastRunner: DueWorkRunner<ClaimedBroadcast> = new DueWorkRunner<ClaimedBroadcast>({
    name: "broadcast fan-out",
    claim: (limit) => core.broadcasts.claimDue(deps.workerId, config.leaseSeconds, limit),
    handle: (claimed) =>
      fanOutBroadcast(
        {
          store: core.broadcasts,
          templateCatalog: core.templateCatalog,
          channelOrder: config.channelOrder,
          wakeUps: core.wakeUps,
          workerId: deps.workerId,
          leaseSeconds: config.leaseSeconds,
          batchSize: config.broadcasts.batchSize,
          maxBacklog: config.broadcasts.maxBacklog,
          backlogWaitSeconds: BROADCAST_BACKLOG_WAIT_SECONDS,
          logger,
          wakeIn: (seconds) => broadcastRunner.wakeIn(seconds),
          stopping: () => stopping,
          clock: core.clock,
          unsubscribeLinks: core.unsubscribeLinks,
          criticalCategories: core.criticalCategories,
          webhooks: webhookEvents,
          events: core.notificationEvents,
        },
        claimed,
      ),
    concurrency: BROADCAST_CONCURRENCY,
    maxBatch: BROADCAST_CONCURRENCY,
    pollIntervalMs: config.pollIntervalSeconds * 1000,
    wakeUps: core.broadcastWakeUps,
    logger,
  });
  void broadcastRunner.start();
  // Receipt checks are due rows too: accepted SMS whose next check has come. One claimed item is
  // a whole batch, so one sms/status call asks about many messages.
  const receiptSources = new Map(
    [...deps.providers].flatMap(([channel, provider]) =>
      provider.receipts ? [[channel, provider.receipts] as const] : [],
    ),
  );
  const receiptSchedule = {
    pollSeconds: config.receipts.smsPollSeconds,
    pollMaxSeconds: config.receipts.smsPollMaxSeconds,
    maxAgeSeconds: config.receipts.smsMaxAgeSeconds,
  };
  // The claim's provider calls, one per source's batch, go one after the other under the lease.
  const receiptCalls = Math.max(
    1,
    ...[...receiptSources.values()].map((source) => Math.ceil(RECEIPT_BATCH / source.maxBatch)),
  );
  const receiptRunner = new DueWorkRunner<ReceiptCheck[]>({
    name: "receipt checks",
    claim: async () => {
      const claimed = await core.receipts.claimDue(
        deps.workerId,
        receiptCalls * config.providerTimeoutSeconds + RECEIPT_LEASE_MARGIN_SECONDS,
        earlyWindowSeconds(receiptSchedule),
        RECEIPT_BATCH,
      );
      return {
        items: claimed.checks.length > 0 ? [claimed.checks] : [],
        nextDueInSeconds: claimed.nextDueInSeconds,
      };
    },
    handle: (checks) =>
      checkReceipts(
        {
          store: core.receipts,
          sources: receiptSources,
          schedule: receiptSchedule,
          timeoutSeconds: config.providerTimeoutSeconds,
          wakeUps: core.wakeUps,
          events: core.notificationEvents,
          webhooks: webhookEvents,
          logger,
        },
        checks,
      ),
    // One batch at a time: the claim leaves the attempts as they are until the batch is recorded,
    // so a second one in this process would claim the same messages.
    concurrency: 1,
    maxBatch: 1,
    pollIntervalMs: config.pollIntervalSeconds * 1000,
    wakeUps: null,
    logger,
  });
  if (receiptSources.size > 0) void receiptRunner.start();

  const telegramUpdates = startTelegramUpdatesPoller(core, deps.workerId, webhookEvents);

  const housekeep = () => runHousekeepingIfDue({ ...core, retentionDays: config.retentionDays, logger });
  let housekeeping: Promise<boolean> | null = null;
  const housekeepOnce = () => {
    housekeeping ??= housekeep().finally(() => {
      housekeeping = null;
    });
    return housekeeping;
  };
  // Asking costs one statement that changes nothing until the turn has come.
  const housekeeper = setInterval(() => void housekeepOnce(), config.pollIntervalSeconds * 1000);
  void housekeepOnce();

  return {
    housekeep: housekeepOnce,
    async stop() {
      stopping = true;
      clearInterval(housekeeper);
      // Past the grace period we stop waiting: the calls still open are recorded as interrupted
      // and their notifications freed for another worker at once.
      const webhooksFinished = webhookRunner.stop(config.shutdownGraceSeconds * 1000);
      // A fan-out hands its broadcast back between two batches; one mid-batch is left to its lease.
      const broadcastsFinished = broadcastRunner.stop(config.shutdownGraceSeconds * 1000);
      const receiptsFinished = receiptRunner.stop(config.shutdownGraceSeconds * 1000);
      // Aborts the long poll at once; a batch of /start messages being answered finishes.
      const telegramUpdatesStopped = telegramUpdates?.stop();
      const finished = await runner.stop(config.shutdownGraceSeconds * 1000);
      if (!finished) {
        const abandoned = await abandonDeliveries(deps).catch((error: Error) => {
          logger.warn({ err: error.message }, "could not free the deliveries in flight; their leases will");
          return 0;
        });
        logger.warn({ abandoned }, "shutdown grace period over; deliveries in flight left to other workers");
      }
      // What this worker handed back (released or abandoned) is due now: other workers need not
      // wait for their next poll to take it.
      core.wakeUps.wake();
      await housekeeping?.catch(() => false);
      // Webhook sends still open past the grace period are left to their leases.
      await webhooksFinished;
      await broadcastsFinished;
      await receiptsFinished;
      await core.receipts.releaseLease(deps.workerId).catch(() => {});
      await telegramUpdatesStopped;
      await webhookEvents.flush();
      await webhookSender.close();
      await runtime.close();
    },
  };
}

/**
 * With TELEGRAM_LINKS on, receives the messages people send the bot (a connect link's /start) in
 * whichever worker holds the poller's lease; off (the default), nothing polls Telegram.
 */
function startTelegramUpdatesPoller(
  core: Core,
  workerId: string,
  webhooks: UserWebhookEvents & SuppressionWebhookEvents,
): TelegramUpdatesPoller | null {
  const { config, logger } = core;
  const telegram = config.telegram;
  const links = telegram?.links;
  if (!telegram || !links) return null;
  const bot = new TelegramBotApi(telegram);
  const poller = new TelegramUpdatesPoller({
    telegramLinks: core.telegramLinks,
    bot,
    handle: (updates) =>
      handleTelegramUpdates(
        {
          telegramLinks: core.telegramLinks,
          bot,
          welcomeText: links.welcomeText,
          rateLimiter: core.sideChannels.forDelivery().telegramRateLimiter,
          webhooks,
          timeoutSeconds: config.providerTimeoutSeconds,
          logger,
          notificationEvents: core.notificationEvents,
        },
        updates,
      ),
    botId: botIdOf(telegram.botToken),
    holder: workerId,
    requestTimeoutSeconds: config.providerTimeoutSeconds,
    standbySeconds: config.pollIntervalSeconds,
    logger,
  });
  poller.start();
  return poller;
}
