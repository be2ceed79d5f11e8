import {
  ingestLeadsSchema,
  ingestResultSchema,
  leadDetailSchema,
  leadListQuerySchema,
  leadPageSchema,
} from "../../../shared/contract/pipeline.ts";
import { getLead, ingestLeads, listLeads } from "../../../shared/pipeline/leads.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { publishRaw } from "../../queues/pipeline.ts";
import { routeGroup } from "../../route.ts";

export const tags = ["Lead pipeline"];
const pipeline = routeGroup({ tags, permission: "leads:read" });
export const leadParams = idParam("leadId", "lead");

/** A batch of 500 leads is about 250 KiB; leave room for attributes. */
const INGEST_BODY_BYTES = 1024 * 1024;

const ingestRoute = pipeline.post("/leads", {
  summary: "Ingest up to 500 leads (idempotent on externalId per organisation)",
  description:
    "Stores new leads and publishes them to the leads.raw topic; scoring and outreach follow on queues.",
  permission: "leads:manage",
  bodyLimitBytes: INGEST_BODY_BYTES,
  request: { body: jsonBody(ingestLeadsSchema) },
  responses: { 202: jsonContent(ingestResultSchema, "Accepted (new) and duplicate counts") },
});

const listRoute = pipeline.get("/leads", {
  summary: "List leads, newest first, filtered by status, persona and minimum score",
  request: { query: leadListQuerySchema },
  responses: { 200: jsonContent(leadPageSchema, "A page of leads") },
});

const getRoute = pipeline.get("/leads/{leadId}", {
  summary: "One lead with its event timeline",
  request: { params: leadParams },
  responses: { 200: jsonContent(leadDetailSchema, "The lead and its timeline") },
});

pipeline.answer(ingestRoute, function ingestLeadsHandler({ services, orgId, json }) {
  const deps = { db: services.db, now: services.clock, publishRaw: publishRaw(services) };
  return ingestLeads(deps, orgId, json.leads);
});
pipeline.answer(listRoute, function listLeadsHandler({ db, orgId, query }) {
  return listLeads(db, orgId, query);
});
pipeline.answer(getRoute, function getLeadHandler({ db, orgId, param }) {
  return getLead(db, orgId, param.leadId);
});

export const registerLeadRoutes = (app: Router) => pipeline.register(app);
