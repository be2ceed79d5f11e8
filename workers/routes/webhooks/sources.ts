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
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
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

sources.answer(createSourceRoute, async function createSourceHandler({ services, orgId, audit, json }) {
  const { db, config, clock } = services;
  const { source, secret } = await createSource(db, config.encryptionKey, orgId, audit, json, clock());
  return { ...toSource(source), secret };
});

const listSourcesRoute = sources.get("/webhook-sources", {
  summary: "List webhook sources",
  permission: "webhooks:read",
  request: { query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(webhookSourceSchema), "A page of sources") },
});

sources.answer(listSourcesRoute, async function listSourcesHandler({ db, orgId, query }) {
  return mapPage(await listSources(db, orgId, query), toSource);
});

const getSourceRoute = sources.get("/webhook-sources/{sourceId}", {
  summary: "Get a webhook source",
  permission: "webhooks:read",
  request: { params },
  responses: { 200: jsonContent(webhookSourceSchema, "The source") },
});

sources.answer(getSourceRoute, async function getSourceHandler({ db, orgId, param }) {
  return toSource(await requireSource(db, orgId, param.sourceId));
});

const deleteSourceRoute = sources.delete("/webhook-sources/{sourceId}", {
  summary: "Delete a webhook source (its URL stops accepting; stored events stay)",
  request: { params },
  responses: { 204: { description: "Deleted" } },
});

sources.answer(deleteSourceRoute, function deleteSourceHandler({ db, orgId, audit, param }) {
  return deleteSource(db, orgId, audit, param.sourceId);
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
