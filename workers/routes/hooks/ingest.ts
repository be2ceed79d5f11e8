import { z } from "@hono/zod-openapi";
import { decryptSecret } from "../../../shared/crypto/secret-box.ts";
import { ENVIRONMENTS } from "../../../shared/db/schema/webhooks.ts";
import {
  eventMessage,
  findSourceForIngestCached,
  persistEvent,
  setEnqueued,
} from "../../../shared/webhooks/events.ts";
import { parsePayload } from "../../../shared/webhooks/records.ts";
import { describeInbound, selectHeaders, verifyInbound } from "../../../shared/webhooks/signatures.ts";
import { ApiError } from "../../errors.ts";
import { consumeForPlan } from "../../middleware/rate-limit.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

/** Inbound bodies above this are refused with 413 (issue #5), whatever the global body limit is. */
export const MAX_INBOUND_BODY_BYTES = 1024 * 1024;

const acceptedSchema = z.object({ id: z.string(), duplicate: z.literal(false) }).openapi("WebhookAccepted");
const duplicateSchema = z.object({ duplicate: z.literal(true) }).openapi("WebhookDuplicate");

/** Same answer for every verification failure: which part failed is only in the server log. */
const badSignature = () => new ApiError("unauthenticated", "Webhook signature verification failed");
const unknownSource = () => new ApiError("not_found", "Webhook source not found");

/**
 * `POST /hooks/{sourceId}`: verify, persist (idempotent on the provider's delivery id), enqueue, 202.
 * No Authorization header (the provider's signature is the credential) and any content type.
 */
export function registerIngestRoute(app: Router) {
  app.openapi(
    defineRoute({
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
        202: jsonContent(acceptedSchema, "Stored and queued"),
        200: jsonContent(
          duplicateSchema,
          "Already received (same provider delivery id); not processed again",
        ),
      },
    }),
    async (c) => {
      const { db, config } = c.get("services");
      const receivedAt = Date.now();
      const declared = Number(c.req.header("content-length") ?? "0");
      if (declared > MAX_INBOUND_BODY_BYTES) throw tooLarge();
      const source = await findSourceForIngestCached(db, c.req.param("sourceId"), receivedAt);
      if (!source) throw unknownSource();
      const body = new Uint8Array(await c.req.arrayBuffer());
      if (body.byteLength > MAX_INBOUND_BODY_BYTES) throw tooLarge();
      const bodyText = new TextDecoder().decode(body);
      const json = parsePayload(bodyText);
      const request = {
        headers: c.req.raw.headers,
        body,
        json: typeof json === "string" ? undefined : json,
        nowMs: receivedAt,
      };

      const secret = await decryptSecret(config.encryptionKey, source.secretSealed, source.id);
      const verdict = await verifyInbound(source.provider, secret, request);
      if (!verdict.ok) {
        console.log(
          JSON.stringify({
            level: "info",
            msg: "webhook rejected",
            sourceId: source.id,
            reason: verdict.reason,
            requestId: c.get("requestId"),
          }),
        );
        throw badSignature();
      }
      c.set("logOrgId", source.orgId);
      // Counted after verification, so a stranger who learns the URL cannot drain the tenant's quota.
      await consumeForPlan(c, source.orgId, source.plan, "webhooks", 1);

      const requestedEnv = c.req.query("env") ?? c.req.header("x-env");
      const env =
        requestedEnv === undefined ? source.environment : z.enum(ENVIRONMENTS).safeParse(requestedEnv).data;
      if (env === undefined) {
        throw new ApiError("validation_failed", "The environment is invalid", {
          errors: [{ path: "env", message: `must be one of ${ENVIRONMENTS.join(", ")}` }],
        });
      }

      // Slack checks a new Events API URL with a signed challenge it expects echoed back.
      if (source.provider === "slack" && (json as { type?: unknown })?.type === "url_verification") {
        return c.json({ challenge: String((json as { challenge?: unknown }).challenge ?? "") } as never, 200);
      }

      const { type, deliveryId } = await describeInbound(source.provider, request);
      const { duplicate, event } = await persistEvent(db, {
        orgId: source.orgId,
        sourceId: source.id,
        provider: source.provider,
        type,
        deliveryId,
        environment: env,
        headers: selectHeaders(source.provider, c.req.raw.headers),
        body: bodyText,
        receivedAt,
      });
      if (duplicate && (event.status !== "received" || event.enqueuedAt !== null)) {
        return c.json({ duplicate: true as const }, 200);
      }
      // New, or a duplicate whose first enqueue failed (we answered 503, the provider retried): enqueue.
      try {
        await c.get("services").queues.webhooks.send(eventMessage(event));
      } catch (error) {
        console.error(
          JSON.stringify({
            level: "error",
            msg: "webhook enqueue failed",
            eventId: event.id,
            error: String(error),
          }),
        );
        // Not queued: the provider's retry (a duplicate) or the sweeper queues it again.
        await setEnqueued(db, event.orgId, event.id, null).catch(() => {});
        throw new ApiError(
          "unavailable",
          "The event was stored but could not be queued; retry the delivery",
          {
            headers: { "Retry-After": "5" },
          },
        );
      }
      if (duplicate) await setEnqueued(db, event.orgId, event.id, Date.now());
      if (duplicate) return c.json({ duplicate: true as const }, 200);
      return c.json({ id: event.id, duplicate: false as const }, 202);
    },
  );
}

const tooLarge = () =>
  new ApiError("payload_too_large", `Webhook bodies are limited to ${MAX_INBOUND_BODY_BYTES} bytes`);
