/**
 * One-click unsubscribe (RFC 8058), outside /api/: no API key and no cookie, as mail providers
 * POST to the List-Unsubscribe link. A GET only shows a page with a button, because link scanners
 * follow GETs; the button POSTs. The token alone says who and what, signed (unsubscribe-token.ts).
 */
import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { unsubscribe } from "../../audiences/audience-usecases.js";
import type { UnsubscribeTarget } from "../../audiences/unsubscribe-token.js";
import type { HttpDeps } from "./http-deps.js";
import { webhookEmitterFor } from "./webhook-events.js";

const TokenParams = Type.Object({
  token: Type.String({ maxLength: 200, description: "The token of the List-Unsubscribe link" }),
});

const HtmlPage = (description: string) => ({
  description,
  content: {
    "text/html": {
      schema: Type.String(),
      example: `<!doctype html>\n<html lang="en"><head><title>${description}</title></head><body>...</body></html>\n`,
    },
  },
});

const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

export const unsubscribeRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  // Mail providers POST "List-Unsubscribe=One-Click" as a form (urlencoded or multipart); the
  // body says nothing the token does not, so any body is taken and ignored, in this scope only.
  app.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 4096 }, (_request, _body, done) =>
    done(null),
  );

  const webhooks = webhookEmitterFor(app, deps);
  const targetOf = (token: string): UnsubscribeTarget | null =>
    deps.core.unsubscribeLinks?.verify(token) ?? null;

  app.get(
    "/u/:token",
    {
      schema: {
        tags: ["audiences"],
        operationId: "unsubscribePage",
        summary: "The unsubscribe page of an email's link (changes nothing)",
        description:
          "Shows a button that POSTs to the same address. A GET never unsubscribes: link scanners follow links in mail. No API key.",
        security: [],
        params: TokenParams,
        response: { 200: HtmlPage("The page with the button"), 400: HtmlPage("The link is not valid") },
      },
    },
    async (request, reply) => {
      const target = targetOf(request.params.token);
      if (!target) return invalidLink(reply);
      return page(
        reply,
        200,
        "Unsubscribe",
        `<p>Stop receiving <b>${escapeHtml(target.category)}</b> emails?</p>
<form method="post"><button type="submit">Unsubscribe</button></form>`,
      );
    },
  );

  app.post(
    "/u/:token",
    {
      schema: {
        tags: ["audiences"],
        operationId: "unsubscribe",
        summary: "One-click unsubscribe (RFC 8058)",
        description:
          "Turns the link's category off for email, for the link's user (a preference, which they can turn on again). Sent by mail providers with the body List-Unsubscribe=One-Click, and by the page's button. No API key, no cookie.",
        security: [],
        params: TokenParams,
        response: { 200: HtmlPage("Unsubscribed"), 400: HtmlPage("The link is not valid; nothing changed") },
      },
    },
    async (request, reply) => {
      const target = targetOf(request.params.token);
      if (!target || !(await unsubscribe({ ...deps.core, webhooks }, target))) {
        return invalidLink(reply);
      }
      return page(
        reply,
        200,
        "Unsubscribed",
        `<p>You will no longer receive <b>${escapeHtml(target.category)}</b> emails.</p>`,
      );
    },
  );
};

function invalidLink(reply: FastifyReply) {
  return page(reply, 400, "Invalid link", "<p>This unsubscribe link is not valid. Nothing was changed.</p>");
}

function page(reply: FastifyReply, status: number, title: string, body: string) {
  return reply
    .code(status)
    .header("content-type", "text/html; charset=utf-8")
    .header("content-security-policy", PAGE_CSP)
    .header("cache-control", "no-store")
    .send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}button{font:inherit;padding:.5rem 1rem}</style>
</head><body><h1>${title}</h1>
${body}
</body></html>
`);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
