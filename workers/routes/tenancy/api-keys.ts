import { z } from "@hono/zod-openapi";
import { findInOrg, pageInOrg } from "../../../shared/db/org-scoped.ts";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { sha256Hex } from "../../../shared/crypto/hash.ts";
import { newApiKey } from "../../../shared/crypto/tokens.ts";
import type { Db } from "../../../shared/db/client.ts";
import { apiKeys } from "../../../shared/db/schema/tenancy.ts";
import { newId } from "../../../shared/ids.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { forgetCachedKeys } from "../../../shared/tenancy/api-keys.ts";
import { PERMISSIONS } from "../../../shared/tenancy/permissions.ts";
import { ApiError, notFound } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";

const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string(),
    permissions: z.array(z.string()),
    status: z.enum(["active", "expired", "revoked"]),
    expiresAt: z.number().int().nullable(),
    lastUsedAt: z.number().int().nullable(),
    replacedBy: z.string().nullable(),
    createdAt: z.number().int(),
  })
  .openapi("ApiKey");
const createdKeySchema = z.object({
  apiKey: apiKeySchema,
  key: z.string().describe("Shown once; store it now"),
});

const tags = ["API keys"];
const params = idParam("keyId", "key");

function toApiKey(row: typeof apiKeys.$inferSelect, now = Date.now()) {
  const status = row.revokedAt
    ? "revoked"
    : row.expiresAt !== null && row.expiresAt <= now
      ? "expired"
      : "active";
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    permissions: row.permissions,
    status: status as "active" | "expired" | "revoked",
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    replacedBy: row.replacedBy,
    createdAt: row.createdAt,
  };
}

async function requireKey(db: Db, orgId: string, keyId: string) {
  const row = await findInOrg(db, apiKeys, orgId, keyId);
  if (!row) throw notFound("API key");
  return row;
}

/** A new key row; the plaintext is returned to the caller once and never stored. */
export async function mintKey(input: {
  orgId: string;
  name: string;
  permissions: string[];
  createdBy: string;
  expiresAt: number | null;
}) {
  const key = newApiKey();
  const now = Date.now();
  const row = {
    id: newId("key", now),
    orgId: input.orgId,
    name: input.name,
    prefix: key.slice(0, 10),
    keyHash: await sha256Hex(key),
    permissions: input.permissions,
    createdBy: input.createdBy,
    expiresAt: input.expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    replacedBy: null,
    createdAt: now,
  };
  return { key, row };
}

function grantable(c: Context<HonoEnv>, requested: string[] | undefined): string[] {
  const held = [...c.get("principal").permissions];
  if (!requested) return held;
  const beyond = requested.filter((p) => !held.includes(p as never));
  if (beyond.length)
    throw new ApiError("forbidden", `A key cannot hold permissions you do not: ${beyond.join(", ")}`);
  return [...new Set(requested)];
}

export function registerApiKeyRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/api-keys",
      tags,
      summary: "List API keys (never the keys themselves)",
      permission: "keys:manage",
      request: { query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(apiKeySchema), "Keys") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const page = await pageInOrg(c.get("services").db, apiKeys, orgId, c.req.valid("query"));
      return c.json({ ...page, items: page.items.map((r) => toApiKey(r)) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api-keys",
      tags,
      summary: "Create an API key; the key is in the response once",
      permission: "keys:manage",
      request: {
        body: jsonBody(
          z.strictObject({
            name: z.string().trim().min(1).max(100),
            permissions: z.array(z.enum(PERMISSIONS)).min(1).optional(),
            expiresAt: z.number().int().positive().optional(),
          }),
        ),
      },
      responses: { 201: jsonContent(createdKeySchema, "The key") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      if (body.expiresAt !== undefined && body.expiresAt <= Date.now()) {
        throw new ApiError("unprocessable", "expiresAt must be in the future");
      }
      const { key, row } = await mintKey({
        orgId,
        name: body.name,
        permissions: grantable(c, body.permissions),
        createdBy: c.get("principal").actorId,
        expiresAt: body.expiresAt ?? null,
      });
      const { db } = c.get("services");
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "api_key.create",
          targetType: "api_key",
          targetId: row.id,
          changes: { name: row.name, permissions: row.permissions },
        },
        () => [db.insert(apiKeys).values(row)],
      );
      return c.json({ apiKey: toApiKey(row), key }, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/api-keys/{keyId}",
      tags,
      summary: "Revoke an API key (effective at once)",
      permission: "keys:manage",
      request: { params },
      responses: { 204: { description: "Revoked" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { keyId } = c.req.valid("param");
      const { db } = c.get("services");
      const key = await requireKey(db, orgId, keyId);
      if (!key.revokedAt) {
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          { action: "api_key.revoke", targetType: "api_key", targetId: keyId, changes: { name: key.name } },
          () => [
            db
              .update(apiKeys)
              .set({ revokedAt: Date.now() })
              .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId))),
          ],
        );
      }
      await forgetCachedKeys(db, c.get("services").cache, orgId, keyId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/api-keys/{keyId}/rotate",
      tags,
      summary: "Rotate: a new key with the same permissions; the old one keeps working for the grace period",
      permission: "keys:manage",
      request: {
        params,
        body: jsonBody(
          z.strictObject({
            gracePeriodSeconds: z
              .number()
              .int()
              .min(0)
              .max(30 * 86_400)
              .default(86_400),
          }),
        ),
      },
      responses: { 201: jsonContent(createdKeySchema, "The new key") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { keyId } = c.req.valid("param");
      const { gracePeriodSeconds } = c.req.valid("json");
      const { db } = c.get("services");
      const old = await requireKey(db, orgId, keyId);
      if (toApiKey(old).status !== "active")
        throw new ApiError("conflict", "Only an active key can be rotated");
      const { key, row } = await mintKey({
        orgId,
        name: old.name,
        permissions: grantable(c, old.permissions),
        createdBy: c.get("principal").actorId,
        expiresAt: old.expiresAt,
      });
      const graceEnds = Date.now() + gracePeriodSeconds * 1000;
      const oldExpiry = old.expiresAt === null ? graceEnds : Math.min(old.expiresAt, graceEnds);
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "api_key.rotate",
          targetType: "api_key",
          targetId: keyId,
          changes: { newKeyId: row.id, oldExpiresAt: oldExpiry },
        },
        () => [
          db.insert(apiKeys).values(row),
          db
            .update(apiKeys)
            .set({ expiresAt: oldExpiry, replacedBy: row.id })
            .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId))),
        ],
      );
      await forgetCachedKeys(db, c.get("services").cache, orgId, keyId);
      return c.json({ apiKey: toApiKey(row), key }, 201);
    },
  );
}
