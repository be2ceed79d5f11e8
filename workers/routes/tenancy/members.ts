import { z } from "@hono/zod-openapi";
import { and, asc, count, eq, gt } from "drizzle-orm";
import type { Context } from "hono";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import type { Db } from "../../../shared/db/client.ts";
import { customRoles, memberships, users } from "../../../shared/db/schema/tenancy.ts";
import { ApiError, notFound } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";

export const roleInputSchema = z.enum(["owner", "admin", "member", "viewer", "custom"]);

const memberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: roleInputSchema,
    customRoleId: z.string().nullable(),
    joinedAt: z.number().int(),
  })
  .openapi("Member");

const tags = ["Members"];
const params = idParam("userId", "usr");

/** A role assignment is valid when a custom role names one of this org's roles, and only owners make owners. */
export async function checkRoleAssignment(
  c: Context<HonoEnv>,
  db: Db,
  orgId: string,
  role: z.infer<typeof roleInputSchema>,
  customRoleId: string | undefined | null,
) {
  if (role === "owner" && c.get("principal").role !== "owner") {
    throw new ApiError("forbidden", "Only owners can grant the owner role");
  }
  if (role === "custom") {
    if (!customRoleId)
      throw new ApiError("validation_failed", "customRoleId is required for role custom", {
        errors: [{ path: "customRoleId", message: "required when role is custom" }],
      });
    const found = await db
      .select({ id: customRoles.id })
      .from(customRoles)
      .where(and(eq(customRoles.orgId, orgId), eq(customRoles.id, customRoleId)))
      .limit(1);
    if (!found[0]) throw notFound("Role");
  } else if (customRoleId) {
    throw new ApiError("validation_failed", "customRoleId is only allowed with role custom", {
      errors: [{ path: "customRoleId", message: "only with role custom" }],
    });
  }
}

async function ownerCount(db: Db, orgId: string) {
  const rows = await db
    .select({ n: count() })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, "owner")));
  return rows[0]?.n ?? 0;
}

async function requireMember(db: Db, orgId: string, userId: string) {
  const rows = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .limit(1);
  if (!rows[0]) throw notFound("Member");
  return rows[0];
}

export function registerMemberRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/members",
      tags,
      summary: "List members",
      permission: "members:read",
      request: {
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(50),
          cursor: z
            .string()
            .regex(/^usr_[0-9a-z]{26}$/)
            .optional(),
        }),
      },
      responses: {
        200: jsonContent(
          z.object({ items: z.array(memberSchema), nextCursor: z.string().nullable() }),
          "Members",
        ),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { limit, cursor } = c.req.valid("query");
      const rows = await c
        .get("services")
        .db.select({
          userId: users.id,
          email: users.email,
          name: users.name,
          role: memberships.role,
          customRoleId: memberships.customRoleId,
          joinedAt: memberships.createdAt,
        })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .where(and(eq(memberships.orgId, orgId), cursor ? gt(users.id, cursor) : undefined))
        .orderBy(asc(users.id))
        .limit(limit + 1);
      const items = rows.slice(0, limit);
      return c.json({ items, nextCursor: rows.length > limit ? (items.at(-1)?.userId ?? null) : null }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "patch",
      path: "/members/{userId}",
      tags,
      summary: "Change a member's role",
      permission: "members:manage",
      request: {
        params,
        body: jsonBody(
          z.strictObject({ role: roleInputSchema, customRoleId: z.string().max(64).nullable().optional() }),
        ),
      },
      responses: {
        200: jsonContent(memberSchema.omit({ email: true, name: true }), "Updated"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { userId } = c.req.valid("param");
      const { role, customRoleId } = c.req.valid("json");
      const { db } = c.get("services");
      const member = await requireMember(db, orgId, userId);
      await checkRoleAssignment(c, db, orgId, role, customRoleId);
      if (member.role === "owner" && c.get("principal").role !== "owner") {
        throw new ApiError("forbidden", "Only owners can change an owner's role");
      }
      if (member.role === "owner" && role !== "owner" && (await ownerCount(db, orgId)) <= 1) {
        throw new ApiError("conflict", "An organisation needs at least one owner");
      }
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "member.role.change",
          targetType: "user",
          targetId: userId,
          changes: { from: member.role, to: role, customRoleId: customRoleId ?? null },
        },
        () => [
          db
            .update(memberships)
            .set({ role, customRoleId: role === "custom" ? customRoleId : null })
            .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))),
        ],
      );
      return c.json(
        {
          userId,
          role,
          customRoleId: role === "custom" ? (customRoleId ?? null) : null,
          joinedAt: member.createdAt,
        },
        200,
      );
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/members/{userId}",
      tags,
      summary: "Remove a member (or leave, for yourself)",
      request: { params },
      responses: { 204: { description: "Removed" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { userId } = c.req.valid("param");
      const p = c.get("principal");
      const self = p.userId === userId;
      if (!self && !p.permissions.has("members:manage"))
        throw new ApiError("forbidden", "Missing permission: members:manage");
      const { db } = c.get("services");
      const member = await requireMember(db, orgId, userId);
      if (member.role === "owner" && !self && p.role !== "owner")
        throw new ApiError("forbidden", "Only owners can remove an owner");
      if (member.role === "owner" && (await ownerCount(db, orgId)) <= 1) {
        throw new ApiError("conflict", "An organisation needs at least one owner");
      }
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: self ? "member.leave" : "member.remove",
          targetType: "user",
          targetId: userId,
          changes: { role: member.role },
        },
        () => [
          db.delete(memberships).where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId))),
        ],
      );
      return c.body(null, 204);
    },
  );
}
