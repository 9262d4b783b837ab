export * from "./client.js";
export { type ErrorBody, NotificationServiceError, WebhookVerificationError } from "./errors.js";
export type { components, operations, paths } from "./openapi-types.js";
export type { RetryOptions } from "./retry-policy.js";
export { type VerifyWebhookOptions, verifyWebhook, type WebhookHeaders } from "./verify-webhook.js";
