import { z } from "@hono/zod-openapi";
import { findInOrg, pageInOrg } from "../../../shared/db/org-scoped.ts";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { encryptSecret } from "../../../shared/crypto/secret-box.ts";
import type { Db } from "../../../shared/db/client.ts";
import { ENVIRONMENTS, WEBHOOK_PROVIDERS, webhookSources } from "../../../shared/db/schema/webhooks.ts";
import { newId } from "../../../shared/ids.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { forgetIngestSource } from "../../../shared/webhooks/events.ts";
import { newSharedSecret, newStandardSecret } from "../../../shared/webhooks/routing.ts";
import { notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";

export const webhookSourceSchema = z
  .object({
    id: z.string(),
    provider: z.enum(WEBHOOK_PROVIDERS),
    name: z.string(),
    environment: z.enum(ENVIRONMENTS).nullable(),
    projectId: z.string().nullable(),
    url: z.string().describe("Path of the public ingest URL: /hooks/{id}"),
    createdAt: z.number().int(),
  })
  .openapi("WebhookSource");

const createdSourceSchema = webhookSourceSchema
  .extend({
    secret: z.string().describe("Shown once. Configure it in the provider; Shifty keeps it encrypted"),
  })
  .openapi("WebhookSourceCreated");

/** Standard Webhooks secrets are `whsec_` + base64 of 24–64 bytes (the spec's range). */
const STANDARD_SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

const createSourceSchema = z
  .strictObject({
    provider: z.enum(WEBHOOK_PROVIDERS),
    name: z.string().trim().min(1).max(100),
    secret: z.string().min(16).max(256).optional().describe("Generated when omitted"),
    environment: z.enum(ENVIRONMENTS).optional().describe("Default environment of this source's events"),
    projectId: z
      .string()
      .regex(/^prj_[0-9a-z]{26}$/)
      .optional(),
  })
  .refine((b) => b.provider !== "standard" || b.secret === undefined || STANDARD_SECRET.test(b.secret), {
    path: ["secret"],
    error: "a Standard Webhooks secret looks like whsec_<base64 of 24–64 bytes>",
  });

const params = idParam("sourceId", "src");
const tags = ["Webhook sources"];

export function registerWebhookSourceRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/webhook-sources",
      tags,
      summary: "Create an inbound webhook source",
      permission: "webhooks:manage",
      request: { body: jsonBody(createSourceSchema) },
      responses: {
        201: jsonContent(createdSourceSchema, "The source, with its secret (shown once)"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      const { db, config } = c.get("services");
      if (body.projectId) await requireProject(db, orgId, body.projectId);
      const now = Date.now();
      const id = newId("src", now);
      const secret = body.secret ?? (body.provider === "standard" ? newStandardSecret() : newSharedSecret());
      const row = {
        id,
        orgId,
        provider: body.provider,
        name: body.name,
        environment: body.environment ?? null,
        projectId: body.projectId ?? null,
        secretSealed: await encryptSecret(config.encryptionKey, secret, id),
        createdAt: now,
        updatedAt: now,
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "webhook_source.create",
          targetType: "webhook_source",
          targetId: id,
          changes: { provider: row.provider, name: row.name, environment: row.environment },
        },
        () => [db.insert(webhookSources).values(row)],
      );
      return c.json({ ...toSource(row), secret }, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-sources",
      tags,
      summary: "List webhook sources",
      permission: "webhooks:read",
      request: { query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(webhookSourceSchema), "A page of sources") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const page = await pageInOrg(c.get("services").db, webhookSources, orgId, c.req.valid("query"));
      return c.json({ ...page, items: page.items.map(toSource) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/webhook-sources/{sourceId}",
      tags,
      summary: "Get a webhook source",
      permission: "webhooks:read",
      request: { params },
      responses: { 200: jsonContent(webhookSourceSchema, "The source") },
    }),
    async (c) => {
      const source = await requireSource(c.get("services").db, orgIdOf(c), c.req.valid("param").sourceId);
      return c.json(toSource(source), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/webhook-sources/{sourceId}",
      tags,
      summary: "Delete a webhook source (its URL stops accepting; stored events stay)",
      permission: "webhooks:manage",
      request: { params },
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { sourceId } = c.req.valid("param");
      const { db } = c.get("services");
      const source = await requireSource(db, orgId, sourceId);
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "webhook_source.delete",
          targetType: "webhook_source",
          targetId: sourceId,
          changes: { name: source.name },
        },
        () => [
          db
            .delete(webhookSources)
            .where(and(eq(webhookSources.orgId, orgId), eq(webhookSources.id, sourceId))),
        ],
      );
      forgetIngestSource(sourceId);
      return c.body(null, 204);
    },
  );
}

export async function requireSource(db: Db, orgId: string, sourceId: string) {
  const row = await findInOrg(db, webhookSources, orgId, sourceId);
  if (!row) throw notFound("Webhook source");
  return row;
}

function toSource(row: typeof webhookSources.$inferSelect) {
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
