import { outreachAcceptedSchema, outreachEventsSchema } from "../../../shared/contract/pipeline.ts";
import type { EngagementMessage } from "../../../shared/pipeline/messages.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { publish } from "../../queues/pipeline.ts";
import { defineRoute } from "../../route.ts";
import { tags } from "./leads.ts";

const eventsRoute = defineRoute({
  method: "post",
  path: "/outreach/events",
  tags,
  summary: "Report opens, replies, conversions, bounces and unsubscribes (idempotent on id)",
  description:
    "Published to the outreach.events topic and applied once per event id: a conversion counts once in its " +
    "variant's posterior, an unsubscribe suppresses the lead, opened/replied → engaged, converted → converted.",
  permission: "leads:manage",
  request: { body: jsonBody(outreachEventsSchema) },
  responses: { 202: jsonContent(outreachAcceptedSchema, "Queued") },
});

export function registerOutreachRoutes(app: Router) {
  app.openapi(eventsRoute, async function outreachEventsHandler(c) {
    const services = c.get("services");
    const orgId = orgIdOf(c);
    const receivedAt = services.clock();
    const unique = [...new Map(c.req.valid("json").events.map((e) => [e.id, e])).values()];
    const messages: EngagementMessage[] = unique.map((event) => ({
      topic: "outreach.events",
      kind: "event",
      orgId,
      receivedAt,
      event,
    }));
    await publish(services.queues.outreachEvents, messages);
    return c.json({ accepted: unique.length }, 202);
  });
}
