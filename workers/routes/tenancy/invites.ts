import { z } from "@hono/zod-openapi";
import { findInOrg, pageInOrg } from "../../../shared/db/org-scoped.ts";
import { and, eq } from "drizzle-orm";
import { auditedBatch } from "../../../shared/audit/repository.ts";
import { sha256Hex } from "../../../shared/crypto/hash.ts";
import { randomBase62 } from "../../../shared/crypto/tokens.ts";
import { invites, memberships, users } from "../../../shared/db/schema/tenancy.ts";
import { newId } from "../../../shared/ids.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { ApiError, notFound } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { checkRoleAssignment, roleInputSchema } from "./members.ts";

const inviteSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    role: roleInputSchema,
    customRoleId: z.string().nullable(),
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    expiresAt: z.number().int(),
    createdAt: z.number().int(),
  })
  .openapi("Invite");

const tags = ["Invites"];

function toInvite(row: typeof invites.$inferSelect, now = Date.now()) {
  const status = row.acceptedAt
    ? "accepted"
    : row.revokedAt
      ? "revoked"
      : row.expiresAt <= now
        ? "expired"
        : "pending";
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    customRoleId: row.customRoleId,
    status: status as "pending" | "accepted" | "revoked" | "expired",
    expiresAt: row.expiresAt,
    createdAt: row.createdAt,
  };
}

export function registerInviteRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/invites",
      tags,
      summary: "List invites",
      permission: "members:read",
      request: { query: pageQuerySchema },
      responses: { 200: jsonContent(pageOf(inviteSchema), "Invites") },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const page = await pageInOrg(c.get("services").db, invites, orgId, c.req.valid("query"));
      return c.json({ ...page, items: page.items.map((r) => toInvite(r)) }, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/invites",
      tags,
      summary: "Invite someone by email; the token is shown once",
      permission: "members:manage",
      request: {
        body: jsonBody(
          z.strictObject({
            email: z.string().trim().toLowerCase().pipe(z.email().max(254)),
            role: roleInputSchema,
            customRoleId: z.string().max(64).optional(),
            expiresInHours: z
              .number()
              .int()
              .min(1)
              .max(24 * 30)
              .default(72),
          }),
        ),
      },
      responses: {
        201: jsonContent(
          z.object({ invite: inviteSchema, token: z.string() }),
          "The invite and its one-time token",
        ),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const body = c.req.valid("json");
      const { db } = c.get("services");
      await checkRoleAssignment(c, db, orgId, body.role, body.customRoleId);
      const token = `inv_${randomBase62(40)}`;
      const now = Date.now();
      const row = {
        id: newId("inv", now),
        orgId,
        email: body.email,
        role: body.role,
        customRoleId: body.customRoleId ?? null,
        tokenHash: await sha256Hex(token),
        createdBy: c.get("principal").actorId,
        expiresAt: now + body.expiresInHours * 3_600_000,
        acceptedAt: null,
        acceptedBy: null,
        revokedAt: null,
        createdAt: now,
      };
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "invite.create",
          targetType: "invite",
          targetId: row.id,
          changes: { email: row.email, role: row.role },
        },
        () => [db.insert(invites).values(row)],
      );
      return c.json({ invite: toInvite(row, now), token }, 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "delete",
      path: "/invites/{inviteId}",
      tags,
      summary: "Revoke a pending invite",
      permission: "members:manage",
      request: { params: idParam("inviteId", "inv") },
      responses: { 204: { description: "Revoked" } },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { inviteId } = c.req.valid("param");
      const { db } = c.get("services");
      const invite = await findInOrg(db, invites, orgId, inviteId);
      if (!invite) throw notFound("Invite");
      if (invite.acceptedAt) throw new ApiError("conflict", "The invite was already accepted");
      await auditedBatch(
        db,
        orgId,
        auditContext(c),
        {
          action: "invite.revoke",
          targetType: "invite",
          targetId: inviteId,
          changes: { email: invite.email },
        },
        () => [
          db
            .update(invites)
            .set({ revokedAt: Date.now() })
            .where(and(eq(invites.orgId, orgId), eq(invites.id, inviteId))),
        ],
      );
      return c.body(null, 204);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/invites/accept",
      access: "orgless",
      errors: [410],
      tags,
      summary: "Accept an invite as the signed-in user (the invite's email must be yours)",
      request: { body: jsonBody(z.strictObject({ token: z.string().min(10).max(100) })) },
      responses: {
        200: jsonContent(z.object({ orgId: z.string(), role: z.string() }), "Joined"),
      },
    }),
    async (c) => {
      const p = c.get("principal");
      if (!p.userId) throw new ApiError("forbidden", "Sign in as a user to accept an invite");
      const { db } = c.get("services");
      const tokenHash = await sha256Hex(c.req.valid("json").token);
      const rows = await db.select().from(invites).where(eq(invites.tokenHash, tokenHash)).limit(1);
      const invite = rows[0];
      const user = (await db.select().from(users).where(eq(users.id, p.userId)).limit(1))[0];
      if (!invite || !user || invite.email !== user.email) throw notFound("Invite");
      const status = toInvite(invite).status;
      if (status !== "pending") throw new ApiError("gone", `The invite is ${status}`);
      const now = Date.now();
      await auditedBatch(
        db,
        invite.orgId,
        { ...auditContext(c), actor: { type: "user", id: user.id } },
        {
          action: "invite.accept",
          targetType: "invite",
          targetId: invite.id,
          changes: { email: user.email, role: invite.role },
        },
        () => [
          db.update(invites).set({ acceptedAt: now, acceptedBy: user.id }).where(eq(invites.id, invite.id)),
          db
            .insert(memberships)
            .values({
              orgId: invite.orgId,
              userId: user.id,
              role: invite.role,
              customRoleId: invite.customRoleId,
              createdAt: now,
            })
            .onConflictDoUpdate({
              target: [memberships.orgId, memberships.userId],
              set: { role: invite.role, customRoleId: invite.customRoleId },
            }),
        ],
      );
      return c.json({ orgId: invite.orgId, role: invite.role }, 200);
    },
  );
}
