/** The API's error body, as Django REST Framework clients parse it: `{"detail"}` or `{"field": [...]}`. */
export type ErrorBody = { detail?: string } & { [field: string]: string[] | string | undefined };

/**
 * Every failed call: the HTTP status (0 when the service could not be reached at all, after the
 * retries) and the error body the service answered.
 */
export class NotificationServiceError extends Error {
  override readonly name = "NotificationServiceError";

  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    options?: { cause?: unknown },
  ) {
    super(describe(status, body), options);
  }

  /** `{"detail": "..."}`'s text, when the error is not about particular fields. */
  get detail(): string | undefined {
    return typeof this.body.detail === "string" ? this.body.detail : undefined;
  }

  /** `{"field": ["what is wrong"]}`: the fields at fault and their messages (empty for a `detail`). */
  get fieldErrors(): Record<string, string[]> {
    const fields: Record<string, string[]> = {};
    for (const [field, messages] of Object.entries(this.body)) {
      if (Array.isArray(messages)) fields[field] = messages;
    }
    return fields;
  }
}

/** A webhook whose signature, timestamp or headers do not check out: do not act on it. */
export class WebhookVerificationError extends Error {
  override readonly name = "WebhookVerificationError";
}

function describe(status: number, body: ErrorBody): string {
  const text = Object.entries(body)
    .map(([field, value]) => (field === "detail" ? String(value) : `${field}: ${[value].flat().join(" ")}`))
    .join("; ");
  return status === 0 ? text : `HTTP ${status}: ${text}`;
}
