/**
 * The interactive API docs at / (Scalar), reading /openapi.json. Scalar's page and its 5 MB
 * script are rendered once, on the first visit, by its Fastify plugin on a throwaway instance:
 * loading it at start would cost every API process ~30 MiB that only people reading the docs use.
 */
import type { FastifyInstance } from "fastify";

interface RenderedDocs {
  html: string;
  script: string;
}

const SCRIPT_PATH = "/js/scalar.js";

export function registerApiDocs(app: FastifyInstance, title: string): void {
  let rendered: Promise<RenderedDocs> | null = null;
  const render = () => {
    rendered ??= renderDocs(title).catch((error: unknown) => {
      rendered = null;
      throw error;
    });
    return rendered;
  };
  app.get("/", { schema: { hide: true } }, async (_request, reply) =>
    reply.type("text/html; charset=utf-8").send((await render()).html),
  );
  app.get(SCRIPT_PATH, { schema: { hide: true } }, async (_request, reply) =>
    reply
      .type("application/javascript; charset=utf-8")
      .header("cache-control", "public, max-age=3600")
      .send((await render()).script),
  );
}

async function renderDocs(title: string): Promise<RenderedDocs> {
  const [{ default: Fastify }, { default: scalar }] = await Promise.all([
    import("fastify"),
    import("@scalar/fastify-api-reference"),
  ]);
  const docs = Fastify();
  try {
    await docs.register(scalar, {
      routePrefix: "/",
      configuration: {
        url: "/openapi.json",
        title,
        // A self-hosted service's docs: no hosted AI chat, no vendor toolbar.
        showDeveloperTools: "never",
        agent: { disabled: true },
        // "Try it" calls the API that served this page, at whatever address it was opened: the
        // document's server (PUBLIC_URL, else 127.0.0.1) is another origin for a page opened at
        // localhost or through a proxy, and the browser would refuse the call (no CORS there).
        servers: [{ url: "/", description: "The service serving these docs" }],
      },
    });
    const [page, script] = await Promise.all([docs.inject("/"), docs.inject(SCRIPT_PATH)]);
    if (page.statusCode !== 200 || script.statusCode !== 200)
      throw new Error("could not render the API docs");
    return { html: page.body, script: script.body };
  } finally {
    await docs.close();
  }
}
