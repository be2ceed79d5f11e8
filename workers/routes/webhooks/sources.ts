import type { RouteHandler } from "@hono/zod-openapi";
import {
  createSourceSchema,
  type WebhookSource,
  webhookSourceCreatedSchema,
  webhookSourceSchema,
} from "../../../shared/contract/webhooks.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import {
  createSource,
  deleteSource,
  listSources,
  requireSource,
  type WebhookSourceRow,
} from "../../../shared/webhooks/sources.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";

const params = idParam("sourceId", "src");
const tags = ["Webhook sources"];

const createSourceRoute = defineRoute({
  method: "post",
  path: "/webhook-sources",
  tags,
  summary: "Create an inbound webhook source",
  permission: "webhooks:manage",
  request: { body: jsonBody(createSourceSchema) },
  responses: {
    201: jsonContent(webhookSourceCreatedSchema, "The source, with its secret (shown once)"),
  },
});

const createSourceHandler: RouteHandler<typeof createSourceRoute, HonoEnv> = async (c) => {
  const { db, config, clock } = c.get("services");
  const { source, secret } = await createSource(
    db,
    config.encryptionKey,
    orgIdOf(c),
    auditContext(c),
    c.req.valid("json"),
    clock(),
  );
  return c.json({ ...toSource(source), secret }, 201);
};

const listSourcesRoute = defineRoute({
  method: "get",
  path: "/webhook-sources",
  tags,
  summary: "List webhook sources",
  permission: "webhooks:read",
  request: { query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(webhookSourceSchema), "A page of sources") },
});

const listSourcesHandler: RouteHandler<typeof listSourcesRoute, HonoEnv> = async (c) => {
  const page = await listSources(c.get("services").db, orgIdOf(c), c.req.valid("query"));
  return c.json({ ...page, items: page.items.map(toSource) }, 200);
};

const getSourceRoute = defineRoute({
  method: "get",
  path: "/webhook-sources/{sourceId}",
  tags,
  summary: "Get a webhook source",
  permission: "webhooks:read",
  request: { params },
  responses: { 200: jsonContent(webhookSourceSchema, "The source") },
});

const getSourceHandler: RouteHandler<typeof getSourceRoute, HonoEnv> = async (c) => {
  const source = await requireSource(c.get("services").db, orgIdOf(c), c.req.valid("param").sourceId);
  return c.json(toSource(source), 200);
};

const deleteSourceRoute = defineRoute({
  method: "delete",
  path: "/webhook-sources/{sourceId}",
  tags,
  summary: "Delete a webhook source (its URL stops accepting; stored events stay)",
  permission: "webhooks:manage",
  request: { params },
  responses: { 204: { description: "Deleted" } },
});

const deleteSourceHandler: RouteHandler<typeof deleteSourceRoute, HonoEnv> = async (c) => {
  await deleteSource(c.get("services").db, orgIdOf(c), auditContext(c), c.req.valid("param").sourceId);
  return c.body(null, 204);
};

export function registerWebhookSourceRoutes(app: Router) {
  app.openapi(createSourceRoute, createSourceHandler);
  app.openapi(listSourcesRoute, listSourcesHandler);
  app.openapi(getSourceRoute, getSourceHandler);
  app.openapi(deleteSourceRoute, deleteSourceHandler);
}

/** The public ingest URL is `/hooks/{id}` (routes/webhooks/ingest.ts). */
function toSource(row: WebhookSourceRow): WebhookSource {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    environment: row.environment,
    projectId: row.projectId,
    url: `/hooks/${row.id}`,
    createdAt: row.createdAt,
  };
}
