import { z } from "zod";
import { forceOutreachSchema, leadCardSchema, snoozeSchema } from "../../../shared/contract/pipeline.ts";
import { snoozeLead, suppressLead } from "../../../shared/pipeline/leads.ts";
import { forceOutreach } from "../../../shared/pipeline/overrides.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { notifyBoard, pipelineDeps } from "../../queues/pipeline.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { leadParams, tags } from "./leads.ts";

const pipeline = routeGroup({ tags, permission: "leads:manage" });

const overrideResult = z
  .object({ card: leadCardSchema, experimentId: z.string().optional(), variantKey: z.string().optional() })
  .meta({ id: "LeadOverrideResult" });

const snoozeRoute = pipeline.post("/leads/{leadId}/snooze", {
  summary: "Hold a lead back from outreach until a time (ISO 8601 or epoch ms)",
  errors: [409, 422],
  request: { params: leadParams, body: jsonBody(snoozeSchema) },
  responses: { 200: jsonContent(overrideResult, "The lead's card, snoozed") },
});

const forceRoute = pipeline.post("/leads/{leadId}/outreach", {
  summary: "Send outreach now, with the given variant or the bandit's choice",
  errors: [409, 422],
  request: {
    params: leadParams,
    body: {
      required: false,
      description: "Optional variant",
      content: { "application/json": { schema: forceOutreachSchema } },
    },
  },
  responses: { 200: jsonContent(overrideResult, "The lead's card, contacted") },
});

const suppressRoute = pipeline.post("/leads/{leadId}/suppress", {
  summary: "Never contact this lead again",
  errors: [409],
  request: { params: leadParams },
  responses: { 200: jsonContent(overrideResult, "The lead's card, suppressed") },
});

pipeline.handle(snoozeRoute, async function snoozeLeadHandler(c) {
  const services = c.get("services");
  const orgId = orgIdOf(c);
  const { until } = c.req.valid("json");
  const at = typeof until === "number" ? until : Date.parse(until);
  const frame = await snoozeLead(
    services.db,
    orgId,
    c.req.valid("param").leadId,
    at,
    auditContext(c),
    services.clock(),
  );
  await notifyBoard(services, orgId, [frame]);
  return c.json({ card: frame.card }, 200);
});
pipeline.handle(forceRoute, async function forceOutreachHandler(c) {
  const services = c.get("services");
  const orgId = orgIdOf(c);
  const result = await forceOutreach(
    pipelineDeps(services),
    orgId,
    c.req.valid("param").leadId,
    (c.req.valid("json") as { variantKey?: string } | undefined)?.variantKey,
    auditContext(c),
  );
  await notifyBoard(services, orgId, [result.frame]);
  return c.json(
    {
      card: result.frame.card,
      experimentId: result.experimentId,
      variantKey: result.variantKey,
    },
    200,
  );
});
pipeline.handle(suppressRoute, async function suppressLeadHandler(c) {
  const services = c.get("services");
  const orgId = orgIdOf(c);
  const frame = await suppressLead(
    services.db,
    orgId,
    c.req.valid("param").leadId,
    auditContext(c),
    services.clock(),
  );
  await notifyBoard(services, orgId, [frame]);
  return c.json({ card: frame.card }, 200);
});

export const registerLeadOverrideRoutes = (app: Router) => pipeline.register(app);
