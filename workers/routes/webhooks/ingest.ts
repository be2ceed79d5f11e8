import { type RouteHandler, z } from "@hono/zod-openapi";
import { webhookAcceptedSchema, webhookDuplicateSchema } from "../../../shared/contract/webhooks.ts";
import { MAX_INBOUND_BODY_BYTES, receiveWebhook, tooLarge } from "../../../shared/webhooks/ingest.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { consumeForPlan } from "../../middleware/rate-limit.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

/**
 * `POST /hooks/{sourceId}`: the public receiver. No Authorization header (the provider's signature is
 * the credential) and any content type; verify, store, queue and answer 202 (docs/webhooks.md).
 */
const ingestRoute = defineRoute({
  method: "post",
  path: "/hooks/{sourceId}",
  access: "public",
  bodyLimitBytes: MAX_INBOUND_BODY_BYTES,
  bodyTypes: "any", // providers send JSON or form bodies; the signature covers the raw bytes
  errors: [400, 401, 404, 413, 429],
  tags: ["Webhooks"],
  summary: "Receive a provider webhook",
  description:
    "Public ingest URL returned when a webhook source is created. Verifies the provider's signature, stores the event and answers 202; the work happens on the WEBHOOKS queue.",
  request: {
    params: z.object({ sourceId: z.string().openapi({ example: "src_01jd0000000000000000000000" }) }),
    query: z.object({
      env: z.string().optional().openapi({ description: "prod, stg, int or dev (or X-Env header)" }),
    }),
  },
  responses: {
    202: jsonContent(webhookAcceptedSchema, "Stored and queued"),
    200: jsonContent(
      webhookDuplicateSchema,
      "Already received (same provider delivery id); not processed again",
    ),
  },
});

const ingestHandler: RouteHandler<typeof ingestRoute, HonoEnv> = async (c) => {
  const services = c.get("services");
  const receivedAt = services.clock();
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_INBOUND_BODY_BYTES) throw tooLarge();
  const result = await receiveWebhook(
    {
      ...services,
      encryptionKey: services.config.encryptionKey,
      admit: async (source) => {
        c.set("logOrgId", source.orgId);
        await consumeForPlan(c, source.orgId, source.plan, "webhooks", 1);
      },
    },
    {
      sourceId: c.req.param("sourceId"),
      headers: c.req.raw.headers,
      readBody: () => c.req.arrayBuffer(),
      requestedEnv: c.req.query("env") ?? c.req.header("x-env"),
      receivedAt,
    },
  );
  switch (result.kind) {
    case "challenge":
      return c.json({ challenge: result.challenge } as never, 200);
    case "duplicate":
      return c.json({ duplicate: true as const }, 200);
    case "accepted":
      return c.json({ id: result.id, duplicate: false as const }, 202);
  }
};

export function registerIngestRoute(app: Router) {
  app.openapi(ingestRoute, ingestHandler);
}
