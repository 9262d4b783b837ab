/**
 * What one recipient of a broadcast gets: the broadcast's message, or its template rendered in the
 * recipient's locale, due at send_at (or now). As for any notification, the worker applies the
 * recipient's quiet hours and the expiry when it falls due. Pure apart from the renderer it is
 * given, so a batch of a thousand costs no query per recipient.
 */
import { ValidationError } from "../core/errors.js";
import type { Channel, UserProfile } from "../core/model.js";
import type { RenderedTemplate, RenderRequest } from "../templates/template-catalog.js";
import { userScope } from "../templates/template-catalog.js";
import type { Broadcast, FannedOutNotification } from "./broadcast-model.js";

export type TemplateRenderer = (request: Omit<RenderRequest, "template">) => RenderedTemplate;

/** The recipient's one-click unsubscribe link for this broadcast's category, or null (see unsubscribeUrlOf). */
export type UnsubscribeUrlFor = (userId: number) => string | null;

export function broadcastNotification(
  broadcast: Broadcast,
  user: UserProfile,
  render: TemplateRenderer | null,
  channelOrder: readonly Channel[],
  now: Date,
  unsubscribeUrlFor: UnsubscribeUrlFor = () => null,
): FannedOutNotification {
  const base = {
    userId: user.id,
    channels: broadcast.channels,
    expiresAt: broadcast.expiresAt,
    priority: broadcast.priority,
  };
  let content: Pick<FannedOutNotification, "message" | "subject" | "template" | "locale" | "rendered">;
  if (broadcast.template !== null && render !== null) {
    const channels = broadcast.channels ?? channelOrder;
    try {
      const { template, locale, rendered } = render({
        data: broadcast.data,
        user: userScope(user),
        locale: user.locale,
        channels,
        unsubscribeUrl: unsubscribeUrlFor(user.id),
      });
      // As for a single notification: `message` and `subject` show the first channel's text.
      const first = channels.map((channel) => rendered[channel]).find((body) => body !== undefined)!;
      content = { message: first.text, subject: rendered.email?.subject ?? null, template, locale, rendered };
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      // The template was checked against a sample at creation; what fails here fails for this
      // recipient only (their name made a text too long, say), and is recorded on their notification.
      return {
        ...base,
        message: `(template ${broadcast.template} did not render)`,
        subject: null,
        template: broadcast.template,
        locale: user.locale,
        rendered: null,
        failureReason: `the template did not render for this user: ${error.message}`,
      };
    }
  } else {
    content = {
      message: broadcast.message!,
      subject: broadcast.subject,
      template: null,
      locale: null,
      rendered: null,
    };
  }
  return {
    ...base,
    ...content,
    nextAttemptAt: broadcast.sendAt && broadcast.sendAt > now ? broadcast.sendAt : null,
  };
}
