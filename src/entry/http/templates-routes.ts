import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { Type } from "typebox";
import { renderedToJson } from "../../db/rows.js";
import {
  createTemplate,
  deleteTemplate,
  getTemplate,
  listTemplates,
  previewDraft,
  previewTemplate,
  updateTemplate,
} from "../../templates/template-usecases.js";
import { serializeTemplate } from "../public-json.js";
import type { HttpDeps } from "./http-deps.js";
import { pageParams, paginate } from "./pagination.js";
import {
  CreateTemplateBody,
  ErrorBody,
  Page,
  PageQuery,
  RenderDraftBody,
  RenderedTemplateSchema,
  RenderTemplateBody,
  TemplateKeyParams,
  TemplateSchema,
  UpdateTemplateBody,
} from "./schemas.js";

const tags = ["templates"];

export const templatesRoutes: FastifyPluginAsyncTypebox<HttpDeps> = async (app, deps) => {
  app.post(
    "/api/templates/",
    {
      schema: {
        tags,
        operationId: "createTemplate",
        summary: "Create a template",
        description:
          "Each body is Liquid (liquidjs, strict). A syntax error or an unknown filter is a 400 naming the field and its line.",
        body: CreateTemplateBody,
        response: { 201: TemplateSchema, 400: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return serializeTemplate(await createTemplate(deps.core, request.body));
    },
  );

  app.get(
    "/api/templates/",
    {
      schema: {
        tags,
        operationId: "listTemplates",
        summary: "List templates by key",
        querystring: PageQuery,
        response: { 200: Page(TemplateSchema), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { page, pageSize } = pageParams(request.query);
      const { count, results } = await listTemplates(deps.core, { page, pageSize });
      return paginate(request, page, pageSize, { count, results: results.map(serializeTemplate) });
    },
  );

  app.get(
    "/api/templates/:key/",
    {
      schema: {
        tags,
        operationId: "getTemplate",
        summary: "Get a template",
        params: TemplateKeyParams,
        response: { 200: TemplateSchema, 404: ErrorBody },
      },
    },
    async (request) => serializeTemplate(await getTemplate(deps.core, request.params.key)),
  );

  app.put(
    "/api/templates/:key/",
    {
      schema: {
        tags,
        operationId: "updateTemplate",
        summary: "Replace a template",
        description:
          "Replaces the whole template. Notifications already created from it keep the text they were rendered with.",
        params: TemplateKeyParams,
        body: UpdateTemplateBody,
        response: { 200: TemplateSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => serializeTemplate(await updateTemplate(deps.core, request.params.key, request.body)),
  );

  app.delete(
    "/api/templates/:key/",
    {
      schema: {
        tags,
        operationId: "deleteTemplate",
        summary: "Delete a template",
        description: "Notifications already created from it keep their rendered text.",
        params: TemplateKeyParams,
        response: { 204: Type.Null({ description: "Deleted" }), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await deleteTemplate(deps.core, request.params.key);
      return reply.code(204).send(null);
    },
  );

  app.post(
    "/api/templates/render/",
    {
      schema: {
        tags,
        operationId: "renderTemplateDraft",
        summary: "Preview a template that is not saved",
        description:
          "Checks and renders the template given in the body, with no side effect: what the dashboard's editor shows while you type. Syntax errors come back per field with their line, as saving would answer; render errors as creating a notification would.",
        body: RenderDraftBody,
        response: { 200: RenderedTemplateSchema, 400: ErrorBody },
      },
    },
    async (request) => {
      const { template, ...preview } = request.body;
      const result = await previewDraft(deps.core, template, preview);
      return { template: result.template, locale: result.locale, rendered: renderedToJson(result.rendered) };
    },
  );

  app.post(
    "/api/templates/:key/render/",
    {
      schema: {
        tags,
        operationId: "renderTemplate",
        summary: "Preview a template's rendering",
        description:
          "Renders as creating a notification would, with no side effect: the bodies, or the same 400 creation would answer.",
        params: TemplateKeyParams,
        body: RenderTemplateBody,
        response: { 200: RenderedTemplateSchema, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const result = await previewTemplate(deps.core, request.params.key, request.body);
      return { template: result.template, locale: result.locale, rendered: renderedToJson(result.rendered) };
    },
  );
};
