import { z } from "@hono/zod-openapi";
import { findInOrg } from "../../../shared/db/org-scoped.ts";
import { and, asc, count, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { isUniqueViolation } from "../../../shared/db/client.ts";
import { customRoles, memberships } from "../../../shared/db/schema/tenancy.ts";
import { newId } from "../../../shared/ids.ts";
import { PERMISSIONS, ROLE_PERMISSIONS } from "../../../shared/tenancy/permissions.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import type { Context } from "hono";
import type { HonoEnv } from "../../hono-env.ts";

const permissionList = z.array(z.enum(PERMISSIONS)).min(1).max(PERMISSIONS.length);

const roleSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    builtIn: z.boolean(),
    permissions: z.array(z.string()),
  })
  .openapi("Role");

const tags = ["Roles"];
const params = idParam("roleId", "rol");

/** Nobody grants a permission they do not hold themselves. */
function checkGrantable(c: Context<HonoEnv>, permissions: readonly string[]) {
  const held = c.get("principal").permissions;
  const beyond = permissions.filter((p) => !held.has(p as never));
  if (beyond.length)
    throw new ApiError("forbidden", `You cannot grant permissions you do not hold: ${beyond.join(", ")}`);
}

export function registerRoleRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/roles",
      tags,
      summary: "Built-in and custom roles with their permissions",
      permission: "members:read",
      responses: { 200: jsonContent(z.object({ items: z.array(roleSchema) }), "Roles") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const custom = await c
        .get("services")
        .db.select()
        .from(customRoles)
        .where(eq(customRoles.orgId, orgId))
        .orderBy(asc(customRoles.name));
      const builtIn = Object.entries(ROLE_PERMISSIONS).map(([name, permissions]) => ({
        id: name,
        name,
        description: null,
        builtIn: true,
        permissions: [...permissions],
      }));
      return c.json(
        {
          items: [
            ...builtIn,
            ...custom.map((r) => ({
              id: r.id,
              name: r.name,
              description: r.description,
              builtIn: false,
              permissions: r.permissions,
            })),
          ],
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/roles",
      tags,
      summary: "Create a custom role (a named permission set)",
      permission: "roles:manage",
      request: {
        body: jsonBody(
          z.strictObject({
            name: z
              .string()
              .trim()
              .min(1)
              .max(64)
              .regex(/^[\p{L}\p{N} _.-]+$/u),
            description: z.string().max(500).optional(),
            permissions: permissionList,
          }),
        ),
      },
      responses: { 201: jsonContent(roleSchema, "The role") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      checkGrantable(c, body.permissions);
      const { db } = c.get("services");
      const now = Date.now();
      const row = {
        id: newId("rol", now),
        orgId,
        name: body.name,
        description: body.description ?? null,
        permissions: [...new Set(body.permissions)],
        createdAt: now,
        updatedAt: now,
      };
      try {
        await auditedBatch(
          db,
          orgId,
          auditContext(c),
          {
            action: "role.create",
            targetType: "role",
            targetId: row.id,
            changes: { name: row.name, permissions: row.permissions },
          },
          () => [db.insert(customRoles).values(row)],
        );
      } catch (error) {
        if (isUniqueViolation(error, "custom_roles"))
          throw new ApiError("conflict", `A role named "${row.name}" exists`);
        throw error;
      }
      return c.json(
        {
          id: row.id,
          name: row.name,
          description: row.description,
          builtIn: false,
          permissions: row.permissions,
        },
        201,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "patch",
      path: "/roles/{roleId}",
      tags,
      summary: "Update a custom role",
      permission: "roles:manage",
      request: {
        params,
        body: jsonBody(
          z.strictObject({
            description: z.string().max(500).nullable().optional(),
            permissions: permissionList.optional(),
          }),
        ),
      },
      responses: { 200: jsonContent(roleSchema, "The role") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { roleId } = c.req.valid("param");
      const body = c.req.valid("json");
      const { db } = c.get("services");
      const role = await findInOrg(db, customRoles, orgId, roleId);
      if (!role) throw notFound("Role");
      if (body.permissions) checkGrantable(c, body.permissions);
      const next = {
        description: body.description === undefined ? role.description : body.description,
        permissions: body.permissions ? [...new Set(body.permissions)] : role.permissions,
        updatedAt: Date.now(),
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "role.update",
          targetType: "role",
          targetId: roleId,
          changes: { from: role.permissions, to: next.permissions },
        },
        () => [
          db
            .update(customRoles)
            .set(next)
            .where(and(eq(customRoles.orgId, orgId), eq(customRoles.id, roleId))),
        ],
      );
      return c.json(
        {
          id: role.id,
          name: role.name,
          description: next.description,
          builtIn: false,
          permissions: next.permissions,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/roles/{roleId}",
      errors: [409],
      tags,
      summary: "Delete a custom role that nobody holds",
      permission: "roles:manage",
      request: { params },
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { roleId } = c.req.valid("param");
      const { db } = c.get("services");
      const role = await findInOrg(db, customRoles, orgId, roleId);
      if (!role) throw notFound("Role");
      const holders = await db
        .select({ n: count() })
        .from(memberships)
        .where(and(eq(memberships.orgId, orgId), eq(memberships.customRoleId, roleId)));
      if ((holders[0]?.n ?? 0) > 0)
        throw new ApiError("conflict", "Members still hold this role; reassign them first");
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        { action: "role.delete", targetType: "role", targetId: roleId, changes: { name: role.name } },
        () => [db.delete(customRoles).where(and(eq(customRoles.orgId, orgId), eq(customRoles.id, roleId)))],
      );
      return c.body(null, 204);
    },
  );
}
