import { z } from "@hono/zod-openapi";
import { findInOrg, pageInOrg } from "../../../shared/db/org-scoped.ts";
import type { Context } from "hono";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { decryptSecret, encryptSecret } from "../../../shared/crypto/secret-box.ts";
import type { Db } from "../../../shared/db/client.ts";
import { ENVIRONMENTS, webhookEndpoints } from "../../../shared/db/schema/webhooks.ts";
import { newId } from "../../../shared/ids.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { EVENT_TYPE_PATTERN, newStandardSecret } from "../../../shared/webhooks/routing.ts";
import { checkOutboundUrl } from "../../../shared/webhooks/ssrf.ts";
import { ApiError, notFound } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";

export const webhookEndpointSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    eventTypes: z.array(z.string()),
    environment: z.enum(ENVIRONMENTS).nullable(),
    status: z.enum(["active", "disabled"]),
    disabledReason: z.string().nullable(),
    disabledAt: z.number().int().nullable(),
    consecutiveFailures: z.number().int(),
    previousSecretExpiresAt: z.number().int().nullable(),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("WebhookEndpoint");

const withSecret = webhookEndpointSchema
  .extend({ secret: z.string().describe("whsec_… Standard Webhooks signing secret; shown once") })
  .openapi("WebhookEndpointWithSecret");

const eventTypesSchema = z
  .array(
    z
      .string()
      .max(128)
      .regex(EVENT_TYPE_PATTERN, { error: "use `*`, `<provider>.*` or `<provider>.<type>`" }),
  )
  .min(1)
  .max(50);

const createEndpointSchema = z.strictObject({
  url: z.string().max(2048),
  eventTypes: eventTypesSchema,
  environment: z.enum(ENVIRONMENTS).optional(),
  description: z.string().max(500).optional(),
});

const updateEndpointSchema = z.strictObject({
  url: z.string().max(2048).optional(),
  eventTypes: eventTypesSchema.optional(),
  environment: z.enum(ENVIRONMENTS).nullable().optional(),
  description: z.string().max(500).nullable().optional(),
  enabled: z
    .boolean()
    .optional()
    .describe("true re-enables a disabled endpoint and resets its circuit breaker"),
});

const rotateSchema = z.strictObject({
  graceSeconds: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600)
    .default(24 * 3600)
    .describe("How long deliveries are also signed with the old secret"),
});

const params = idParam("endpointId", "whe");
const tags = ["Webhook endpoints"];

/** 422 for a URL the SSRF guard refuses (loopback only in local development with ALLOW_LOOPBACK_WEBHOOKS). */
function checkedUrl(c: Context<HonoEnv>, raw: string): string {
  const { config } = c.get("services");
  const verdict = checkOutboundUrl(raw, {
    allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
  });
  if (!verdict.ok) {
    throw new ApiError("unprocessable", "The endpoint URL is not allowed", {
      errors: [{ path: "url", message: verdict.reason }],
    });
  }
  return verdict.url.toString();
}

export function registerWebhookEndpointRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/webhook-endpoints",
      errors: [422],
      tags,
      summary: "Subscribe an endpoint to events (signed per Standard Webhooks)",
      permission: "webhooks:manage",
      request: { body: jsonBody(createEndpointSchema) },
      responses: {
        201: jsonContent(withSecret, "The endpoint and its signing secret (shown once)"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      const url = checkedUrl(c, body.url);
      const { db, config } = c.get("services");
      const now = Date.now();
      const id = newId("whe", now);
      const secret = newStandardSecret();
      const row = {
        id,
        orgId,
        url,
        description: body.description ?? null,
        eventTypes: [...new Set(body.eventTypes)],
        environment: body.environment ?? null,
        secretSealed: await encryptSecret(config.encryptionKey, secret, id),
        previousSecretSealed: null,
        previousSecretExpiresAt: null,
        status: "active" as const,
        disabledReason: null,
        disabledAt: null,
        consecutiveFailures: 0,
        firstFailureAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "webhook_endpoint.create",
          targetType: "webhook_endpoint",
          targetId: id,
          changes: { url, eventTypes: row.eventTypes, environment: row.environment },
        },
        () => [db.insert(webhookEndpoints).values(row)],
      );
      return c.json({ ...toEndpoint(row), secret }, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-endpoints",
      tags,
      summary: "List webhook endpoints",
      permission: "webhooks:read",
      request: { query: pageQuerySchema },
      responses: {
        200: jsonContent(pageOf(webhookEndpointSchema), "A page of endpoints"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const page = await pageInOrg(c.get("services").db, webhookEndpoints, orgId, c.req.valid("query"));
      return c.json({ ...page, items: page.items.map(toEndpoint) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-endpoints/{endpointId}",
      tags,
      summary: "Get a webhook endpoint",
      permission: "webhooks:read",
      request: { params },
      responses: { 200: jsonContent(webhookEndpointSchema, "The endpoint") },
    }),
    async (c) => {
      const endpoint = await requireEndpoint(
        c.get("services").db,
        orgIdOf(c),
        c.req.valid("param").endpointId,
      );
      return c.json(toEndpoint(endpoint), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "patch",
      path: "/webhook-endpoints/{endpointId}",
      errors: [422],
      tags,
      summary: "Update, disable or re-enable a webhook endpoint",
      permission: "webhooks:manage",
      request: { params, body: jsonBody(updateEndpointSchema) },
      responses: {
        200: jsonContent(webhookEndpointSchema, "The updated endpoint"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { endpointId } = c.req.valid("param");
      const patch = c.req.valid("json");
      const { db } = c.get("services");
      const before = await requireEndpoint(db, orgId, endpointId);
      const now = Date.now();
      const after = {
        ...before,
        url: patch.url === undefined ? before.url : checkedUrl(c, patch.url),
        eventTypes: patch.eventTypes ? [...new Set(patch.eventTypes)] : before.eventTypes,
        environment: patch.environment === undefined ? before.environment : patch.environment,
        description: patch.description === undefined ? before.description : patch.description,
        updatedAt: now,
      };
      if (patch.enabled === true) {
        Object.assign(after, {
          status: "active",
          disabledReason: null,
          disabledAt: null,
          consecutiveFailures: 0,
          firstFailureAt: null,
        });
      } else if (patch.enabled === false && before.status === "active") {
        Object.assign(after, { status: "disabled", disabledReason: "Disabled by a user", disabledAt: now });
      }
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "webhook_endpoint.update",
          targetType: "webhook_endpoint",
          targetId: endpointId,
          changes: patch,
        },
        () => [
          db
            .update(webhookEndpoints)
            .set({
              url: after.url,
              eventTypes: after.eventTypes,
              environment: after.environment,
              description: after.description,
              status: after.status,
              disabledReason: after.disabledReason,
              disabledAt: after.disabledAt,
              consecutiveFailures: after.consecutiveFailures,
              firstFailureAt: after.firstFailureAt,
              updatedAt: now,
            })
            .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId))),
        ],
      );
      return c.json(toEndpoint(after), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/webhook-endpoints/{endpointId}/rotate-secret",
      tags,
      summary: "Rotate the signing secret; the old one keeps signing for the grace period",
      permission: "webhooks:manage",
      request: { params, body: jsonBody(rotateSchema) },
      responses: {
        200: jsonContent(withSecret, "The endpoint and its new secret (shown once)"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { endpointId } = c.req.valid("param");
      const { graceSeconds } = c.req.valid("json");
      const { db, config } = c.get("services");
      const before = await requireEndpoint(db, orgId, endpointId);
      const now = Date.now();
      const secret = newStandardSecret();
      const oldSecret = await decryptSecret(config.encryptionKey, before.secretSealed, endpointId);
      const after = {
        ...before,
        secretSealed: await encryptSecret(config.encryptionKey, secret, endpointId),
        previousSecretSealed:
          graceSeconds > 0
            ? await encryptSecret(config.encryptionKey, oldSecret, `${endpointId}:previous`)
            : null,
        previousSecretExpiresAt: graceSeconds > 0 ? now + graceSeconds * 1000 : null,
        updatedAt: now,
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "webhook_endpoint.rotate_secret",
          targetType: "webhook_endpoint",
          targetId: endpointId,
          changes: { graceSeconds },
        },
        () => [
          db
            .update(webhookEndpoints)
            .set({
              secretSealed: after.secretSealed,
              previousSecretSealed: after.previousSecretSealed,
              previousSecretExpiresAt: after.previousSecretExpiresAt,
              updatedAt: now,
            })
            .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId))),
        ],
      );
      return c.json({ ...toEndpoint(after), secret }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/webhook-endpoints/{endpointId}",
      tags,
      summary: "Delete a webhook endpoint (pending deliveries are cancelled)",
      permission: "webhooks:manage",
      request: { params },
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { endpointId } = c.req.valid("param");
      const { db } = c.get("services");
      const endpoint = await requireEndpoint(db, orgId, endpointId);
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "webhook_endpoint.delete",
          targetType: "webhook_endpoint",
          targetId: endpointId,
          changes: { url: endpoint.url },
        },
        () => [
          db
            .delete(webhookEndpoints)
            .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId))),
        ],
      );
      return c.body(null, 204);
    },
  );
}

export async function requireEndpoint(db: Db, orgId: string, endpointId: string) {
  const row = await findInOrg(db, webhookEndpoints, orgId, endpointId);
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

function toEndpoint(row: typeof webhookEndpoints.$inferSelect) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    environment: row.environment,
    status: row.status,
    disabledReason: row.disabledReason,
    disabledAt: row.disabledAt,
    consecutiveFailures: row.consecutiveFailures,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
