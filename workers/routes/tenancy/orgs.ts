import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { organizations } from "../../../shared/db/schema/tenancy.ts";
import { forgetCachedKeys } from "../../../shared/tenancy/api-keys.ts";
import { newOrganization, getOrganization } from "../../../shared/tenancy/organizations.ts";
import { PLANS, PLAN_QUOTAS, POLICIES } from "../../../shared/tenancy/plans.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { listMemberships } from "./auth.ts";

export const orgSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    plan: z.enum(PLANS),
    createdAt: z.number().int(),
    updatedAt: z.number().int(),
  })
  .openapi("Organization");

const tags = ["Organizations"];
const toOrg = (o: typeof organizations.$inferSelect) => ({
  id: o.id,
  name: o.name,
  slug: o.slug,
  plan: o.plan,
  createdAt: o.createdAt,
  updatedAt: o.updatedAt,
});

export function registerOrgRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/orgs",
      access: "orgless",
      tags,
      summary: "Organisations of the caller (a key sees its own)",
      responses: {
        200: jsonContent(
          z.object({
            items: z.array(
              z.object({ orgId: z.string(), name: z.string(), role: z.string(), plan: z.string() }),
            ),
          }),
          "Memberships",
        ),
      },
    }),
    async (c) => {
      const p = c.get("principal");
      const { db } = c.get("services");
      if (p.userId) return c.json({ items: await listMemberships(db, p.userId) }, 200);
      const org = await getOrganization(db, orgIdOf(c));
      return c.json(
        { items: org ? [{ orgId: org.id, name: org.name, role: "api_key", plan: org.plan }] : [] },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/orgs",
      access: "orgless",
      tags,
      summary: "Create an organisation (signed-in users); the caller becomes its owner",
      request: { body: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(100) })) },
      responses: { 201: jsonContent(orgSchema, "The new organisation") },
    }),
    async (c) => {
      const p = c.get("principal");
      if (!p.userId) throw new ApiError("forbidden", "API keys cannot create organisations");
      const { db } = c.get("services");
      const created = newOrganization(db, { name: c.req.valid("json").name, ownerId: p.userId });
      await auditedBatch(
        db,
        created.org.id,
        { ...auditContext(c), actor: { type: "user", id: p.userId } },
        {
          action: "org.create",
          targetType: "organization",
          targetId: created.org.id,
          changes: { name: created.org.name },
        },
        () => [...created.statements()],
      );
      return c.json(toOrg(created.org), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/org",
      tags,
      summary: "The current organisation",
      permission: "org:read",
      responses: { 200: jsonContent(orgSchema, "The organisation") },
    }),
    async (c) => {
      const org = await getOrganization(c.get("services").db, orgIdOf(c));
      if (!org) throw notFound("Organisation");
      return c.json(toOrg(org), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "patch",
      path: "/org",
      tags,
      summary: "Rename the current organisation",
      permission: "org:manage",
      request: { body: jsonBody(z.strictObject({ name: z.string().trim().min(1).max(100) })) },
      responses: { 200: jsonContent(orgSchema, "The organisation") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { db } = c.get("services");
      const { name } = c.req.valid("json");
      const now = Date.now();
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "org.update", targetType: "organization", targetId: orgId, changes: { name } },
        () => [db.update(organizations).set({ name, updatedAt: now }).where(eq(organizations.id, orgId))],
      );
      const org = await getOrganization(db, orgId);
      if (!org) throw notFound("Organisation");
      return c.json(toOrg(org), 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/usage",
      tags,
      summary: "Rate-limit usage of the current organisation (owners and admins)",
      permission: "usage:read",
      responses: {
        200: jsonContent(
          z.object({
            plan: z.enum(PLANS),
            policies: z.array(
              z.object({
                policy: z.string(),
                quota: z.number(),
                windowSeconds: z.number(),
                burst: z.number(),
                remaining: z.number(),
                resetSeconds: z.number(),
              }),
            ),
          }),
          "Usage per policy",
        ),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const plan = c.get("principal").plan;
      const stub = c.get("services").rateLimiter.get(c.get("services").rateLimiter.idFromName(orgId));
      const state = await stub.usage();
      const policies = POLICIES.map((policy) => {
        const q = PLAN_QUOTAS[plan][policy];
        const s = state[policy];
        return {
          policy,
          ...q,
          remaining: s ? Math.min(s.remaining, q.burst) : q.burst,
          resetSeconds: s?.resetSeconds ?? 0,
        };
      });
      return c.json({ plan, policies }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "put",
      path: "/admin/orgs/{orgId}/plan",
      tags: ["Platform admin"],
      summary: "Change an organisation's plan (platform admins only)",
      request: { params: idParam("orgId", "org"), body: jsonBody(z.strictObject({ plan: z.enum(PLANS) })) },
      responses: { 200: jsonContent(orgSchema, "The organisation") },
    }),
    async (c) => {
      if (!c.get("principal").isPlatformAdmin)
        throw new ApiError("forbidden", "Platform administrators only");
      const { orgId } = c.req.valid("param");
      const { plan } = c.req.valid("json");
      const { db } = c.get("services");
      const before = await getOrganization(db, orgId);
      if (!before) throw notFound("Organisation");
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "org.plan.change",
          targetType: "organization",
          targetId: orgId,
          changes: { from: before.plan, to: plan },
        },
        () => [
          db.update(organizations).set({ plan, updatedAt: Date.now() }).where(eq(organizations.id, orgId)),
        ],
      );
      // Cached key lookups carry the plan: drop them so the new quotas apply on the next request.
      await forgetCachedKeys(db, c.get("services").cache, orgId);
      return c.json(toOrg({ ...before, plan, updatedAt: Date.now() }), 200);
    },
  );
}
