/** Webhook endpoints, the deliveries of events to them and each attempt, as the core sees them. */
import type { ListedPage, PageWindow } from "../core/model.js";

export interface WebhookEndpoint {
  id: number;
  url: string;
  description: string;
  /** Event types it receives, or ["*"] for all. */
  events: string[];
  enabled: boolean;
  /** Since when every attempt to it has failed; null after a success. */
  failingSince: Date | null;
  /** Why it was disabled, when the service disabled it. */
  disabledReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The endpoint with its signing secret: only what create and rotate return carries one. */
export type WebhookEndpointWithSecret = WebhookEndpoint & { secret: string };

/**
 * The most characters an endpoint's url and description take, and the most event types it lists.
 * The HTTP schema declares them; the use case checks them again for the command line.
 */
export const WEBHOOK_LIMITS = { url: 2000, description: 500, events: 50 } as const;

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;
export type WebhookDeliveryStatus = (typeof WEBHOOK_DELIVERY_STATUSES)[number];

export interface WebhookAttempt {
  attemptedAt: Date;
  /** The endpoint's HTTP status; null when it gave none (refused, timed out). */
  responseStatus: number | null;
  /** The first 1 KB of its answer. */
  responseBody: string | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookDelivery {
  id: number;
  endpointId: number;
  /** The event's id: the webhook-id header, the same on every attempt and replay. */
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  finishedAt: Date | null;
  attempts: WebhookAttempt[];
}

/** A delivery a worker holds under its lease, with what it needs to send it. */
export interface ClaimedWebhookDelivery {
  id: number;
  /** Attempts before this one (since its last replay). */
  attemptCount: number;
  eventId: string;
  body: string;
  endpointId: number;
  url: string;
  enabled: boolean;
  /** The secrets that sign now, newest first: two while a rotated-out one is still honoured. */
  secrets: string[];
}

export interface NewWebhookEndpoint {
  url: string;
  description: string;
  events: string[];
  enabled: boolean;
  secret: string;
}

export interface WebhookEndpointChanges {
  url?: string;
  description?: string;
  events?: string[];
  enabled?: boolean;
}

/** How one attempt ended, and what becomes of the delivery: due again in `retryInSeconds`, or finished. */
export interface WebhookAttemptRecord extends Omit<WebhookAttempt, "attemptedAt"> {
  outcome: "succeeded" | "retry" | "failed";
  retryInSeconds: number | null;
}

/** Webhooks as stored: endpoints, events with their deliveries, and the lease-guarded worker statements. */
export interface WebhookStore {
  createEndpoint(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint>;
  listEndpoints(page: {
    limit: number;
    offset: number;
  }): Promise<{ count: number; results: WebhookEndpoint[] }>;
  findEndpoint(id: number): Promise<WebhookEndpoint | null>;
  updateEndpoint(id: number, changes: WebhookEndpointChanges): Promise<WebhookEndpoint | null>;
  deleteEndpoint(id: number): Promise<boolean>;
  /** The new secret signs from now on; the old one too until `overlapSeconds` have passed. */
  rotateSecret(id: number, secret: string, overlapSeconds: number): Promise<WebhookEndpoint | null>;
  /** Every event type some enabled endpoint subscribes to ("*" included). */
  subscribedEventTypes(): Promise<string[]>;
  /**
   * Stores the event and one delivery, due now, per enabled endpoint subscribed to its type, in
   * one statement; stores nothing when there is none. The payload's data.sequence is numbered
   * here, per notification (or per user, for an event about a user). How many deliveries were made.
   */
  recordEvent(event: {
    id: string;
    type: string;
    notificationId: number | null;
    userId?: number | null;
    payload: object;
  }): Promise<number>;
  /** Stores the event with one delivery to this endpoint only, whatever it subscribes to. */
  recordEventFor(
    endpointId: number,
    event: { id: string; type: string; payload: object },
  ): Promise<WebhookDelivery | null>;
  listDeliveries(endpointId: number, page: PageWindow): Promise<ListedPage<WebhookDelivery>>;
  /** Pending again, due now, with a fresh retry schedule; null when it is unknown or being sent right now. */
  replayDelivery(endpointId: number, deliveryId: number): Promise<WebhookDelivery | null>;
  claimDue(
    owner: string,
    leaseSeconds: number,
    limit: number,
  ): Promise<{ items: ClaimedWebhookDelivery[]; nextDueInSeconds: number | null }>;
  /** Records the attempt and moves the delivery on; false when the lease was lost meanwhile. */
  finishAttempt(deliveryId: number, owner: string, attempt: WebhookAttemptRecord): Promise<boolean>;
  /** A success: the endpoint is healthy again. */
  markEndpointHealthy(endpointId: number): Promise<void>;
  /**
   * A failure: the endpoint is failing since now unless it already was; when it has been failing
   * for longer than `disableAfterSeconds` it is disabled with `reason` and its pending deliveries
   * fail. True when this call disabled it.
   */
  markEndpointFailing(endpointId: number, disableAfterSeconds: number, reason: string): Promise<boolean>;
  /**
   * Retention: deletes up to `limit` events created more than `days` ago with none of their
   * deliveries still pending, with those deliveries and attempts. How many events went.
   */
  deleteFinishedEventsOlderThan(days: number, limit: number): Promise<number>;
}
