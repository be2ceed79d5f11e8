import {
  createSourceSchema,
  type WebhookSource,
  webhookSourceCreatedSchema,
  webhookSourceSchema,
} from "../../../shared/contract/webhooks.ts";
import { mapPage, pageQuerySchema } from "../../../shared/pagination.ts";
import {
  createSource,
  deleteSource,
  listSources,
  requireSource,
  type WebhookSourceRow,
} from "../../../shared/webhooks/sources.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const params = idParam("sourceId", "src");
const sources = routeGroup({ tags: ["Webhook sources"], permission: "webhooks:manage" });

const createSourceRoute = sources.post("/webhook-sources", {
  summary: "Create an inbound webhook source",
  request: { body: jsonBody(createSourceSchema) },
  responses: {
    201: jsonContent(webhookSourceCreatedSchema, "The source, with its secret (shown once)"),
  },
});

sources.handle(createSourceRoute, async function createSourceHandler(c) {
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
});

const listSourcesRoute = sources.get("/webhook-sources", {
  summary: "List webhook sources",
  permission: "webhooks:read",
  request: { query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(webhookSourceSchema), "A page of sources") },
});

sources.handle(listSourcesRoute, async function listSourcesHandler(c) {
  const page = await listSources(c.get("services").db, orgIdOf(c), c.req.valid("query"));
  return c.json(mapPage(page, toSource), 200);
});

const getSourceRoute = sources.get("/webhook-sources/{sourceId}", {
  summary: "Get a webhook source",
  permission: "webhooks:read",
  request: { params },
  responses: { 200: jsonContent(webhookSourceSchema, "The source") },
});

sources.handle(getSourceRoute, async function getSourceHandler(c) {
  const source = await requireSource(c.get("services").db, orgIdOf(c), c.req.valid("param").sourceId);
  return c.json(toSource(source), 200);
});

const deleteSourceRoute = sources.delete("/webhook-sources/{sourceId}", {
  summary: "Delete a webhook source (its URL stops accepting; stored events stay)",
  request: { params },
  responses: { 204: { description: "Deleted" } },
});

sources.handle(deleteSourceRoute, async function deleteSourceHandler(c) {
  await deleteSource(c.get("services").db, orgIdOf(c), auditContext(c), c.req.valid("param").sourceId);
  return c.body(null, 204);
});

export const registerWebhookSourceRoutes = (app: Router) => sources.register(app);

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
