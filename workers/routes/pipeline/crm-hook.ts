import { z } from "zod";
import { ingestLeadsSchema, ingestResultSchema } from "../../../shared/contract/pipeline.ts";
import { decryptSecret } from "../../../shared/crypto/secret-box.ts";
import { ingestLeads } from "../../../shared/pipeline/leads.ts";
import { verifyStandardWebhook } from "../../../shared/webhooks/signatures.ts";
import { findSourceForIngestCached } from "../../../shared/webhooks/sources.ts";
import { ApiError, validationError } from "../../errors.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { publishRaw } from "../../queues/pipeline.ts";
import { defineRoute } from "../../route.ts";
import { tags } from "./leads.ts";

const badSignature = () => new ApiError("unauthenticated", "Webhook signature verification failed");

const hookRoute = defineRoute({
  method: "post",
  path: "/leads/hooks/{sourceId}",
  access: "public",
  bodyTypes: "any",
  bodyLimitBytes: 1024 * 1024,
  errors: [401, 404],
  tags,
  summary: "Receive leads from a CRM (Standard Webhooks signed; same body as POST /v1/leads)",
  description:
    "The source is a webhook source with provider `standard` (POST /v1/webhook-sources); its secret signs " +
    "the body (`webhook-id`, `webhook-timestamp`, `webhook-signature`). The leads join the leads.raw topic.",
  request: {
    params: z.object({
      sourceId: z
        .string()
        .max(64)
        .meta({ param: { name: "sourceId", in: "path" } }),
    }),
  },
  responses: { 202: jsonContent(ingestResultSchema, "Accepted (new) and duplicate counts") },
});

export function registerCrmHookRoute(app: Router) {
  app.openapi(hookRoute, async function crmLeadsHookHandler(c) {
    const services = c.get("services");
    const { db, config } = services;
    const source = await findSourceForIngestCached(db, c.req.valid("param").sourceId, services.clock());
    if (source?.provider !== "standard") throw new ApiError("not_found", "Webhook source not found");
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const secret = await decryptSecret(config.encryptionKey, source.secretSealed, source.id);
    const verdict = await verifyStandardWebhook(
      secret,
      bytes,
      {
        id: c.req.header("webhook-id") ?? null,
        timestamp: c.req.header("webhook-timestamp") ?? null,
        signature: c.req.header("webhook-signature") ?? null,
      },
      services.clock(),
    );
    if (!verdict.ok) throw badSignature();
    let json: unknown;
    try {
      json = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      throw new ApiError("malformed_json", "The request body is not valid JSON");
    }
    const parsed = ingestLeadsSchema.safeParse(json);
    if (!parsed.success) throw validationError(parsed.error, "body");
    c.set("logOrgId", source.orgId);
    const result = await ingestLeads(
      { db, now: services.clock, publishRaw: publishRaw(services) },
      source.orgId,
      parsed.data.leads,
    );
    return c.json(result, 202);
  });
}
