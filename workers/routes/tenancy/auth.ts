import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { audit, auditedBatch } from "../../../shared/audit/repository.ts";
import { hashPassword, verifyPassword } from "../../../shared/crypto/password.ts";
import { isUniqueViolation } from "../../../shared/db/client.ts";
import { memberships, organizations, users } from "../../../shared/db/schema/tenancy.ts";
import { newId } from "../../../shared/ids.ts";
import { newOrganization } from "../../../shared/tenancy/organizations.ts";
import { issueSessionToken } from "../../../shared/tenancy/sessions.ts";
import { ApiError } from "../../errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import type { Context } from "hono";

const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "must be an email address" }).max(254));
const password = z.string().min(10, { error: "must be at least 10 characters" }).max(256);

const userSchema = z
  .object({ id: z.string(), email: z.string(), name: z.string(), isPlatformAdmin: z.boolean() })
  .openapi("User");
const membershipSchema = z.object({
  orgId: z.string(),
  name: z.string(),
  role: z.string(),
  plan: z.string(),
});
const sessionSchema = z
  .object({
    token: z.string(),
    expiresAt: z.number().int(),
    user: userSchema,
    orgs: z.array(membershipSchema),
  })
  .openapi("Session");

const tags = ["Auth"];

async function sessionFor(c: Context<HonoEnv>, user: typeof users.$inferSelect) {
  const { config, db } = c.get("services");
  const { token, expiresAt } = await issueSessionToken(
    { secret: config.jwtSecret, issuer: config.jwtIssuer, audience: config.jwtAudience },
    user.id,
  );
  return { token, expiresAt, user: toUser(user), orgs: await listMemberships(db, user.id) };
}

export async function listMemberships(db: import("../../../shared/db/client.ts").Db, userId: string) {
  return db
    .select({
      orgId: organizations.id,
      name: organizations.name,
      role: memberships.role,
      plan: organizations.plan,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(memberships.createdAt);
}

const toUser = (u: typeof users.$inferSelect) => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isPlatformAdmin: u.isPlatformAdmin,
});

export function registerAuthRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/auth/signup",
      access: "public",
      errors: [400, 409],
      tags,
      summary: "Create an account and its first organisation",
      request: {
        body: jsonBody(
          z.strictObject({
            email,
            password,
            name: z.string().trim().min(1).max(100),
            orgName: z.string().trim().min(1).max(100).optional(),
          }),
        ),
      },
      responses: {
        201: jsonContent(sessionSchema, "Signed in"),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const { db } = c.get("services");
      const now = Date.now();
      const user = {
        id: newId("usr", now),
        email: body.email,
        name: body.name,
        passwordHash: await hashPassword(body.password),
        isPlatformAdmin: false,
        createdAt: now,
      };
      const created = newOrganization(db, { name: body.orgName ?? `${body.name}'s team`, ownerId: user.id });
      try {
        await auditedBatch(
          db,
          created.org.id,
          {
            actor: { type: "user", id: user.id },
            ip: c.req.header("cf-connecting-ip") ?? null,
            userAgent: c.req.header("user-agent") ?? null,
            requestId: c.get("requestId"),
          },
          {
            action: "org.create",
            targetType: "organization",
            targetId: created.org.id,
            changes: { name: created.org.name, owner: user.email },
          },
          () => [db.insert(users).values(user), ...created.statements()],
        );
      } catch (error) {
        if (isUniqueViolation(error, "users.email"))
          throw new ApiError("conflict", "An account with this email exists");
        throw error;
      }
      return c.json(await sessionFor(c, user), 201);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/auth/signin",
      access: "public",
      errors: [400, 401],
      tags,
      summary: "Sign in with email and password",
      request: { body: jsonBody(z.strictObject({ email, password: z.string().min(1).max(256) })) },
      responses: {
        200: jsonContent(sessionSchema, "Signed in"),
      },
    }),
    async (c) => {
      const { email: address, password: presented } = c.req.valid("json");
      const { db } = c.get("services");
      const rows = await db.select().from(users).where(eq(users.email, address)).limit(1);
      const user = rows[0];
      // Verify against a dummy hash for unknown emails too, so timing does not reveal accounts.
      const ok = await verifyPassword(presented, user?.passwordHash ?? DUMMY_HASH);
      if (!user || !ok) throw new ApiError("unauthenticated", "Email or password is wrong");
      const session = await sessionFor(c, user);
      const firstOrg = session.orgs[0];
      if (firstOrg) {
        c.executionCtx.waitUntil(
          audit(
            db,
            firstOrg.orgId,
            {
              actor: { type: "user", id: user.id },
              ip: c.req.header("cf-connecting-ip") ?? null,
              userAgent: c.req.header("user-agent") ?? null,
              requestId: c.get("requestId"),
            },
            {
              action: "user.signin",
              targetType: "user",
              targetId: user.id,
            },
          ).catch(() => undefined),
        );
      }
      return c.json(session, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/me",
      access: "orgless",
      tags,
      summary: "Who am I: the user or API key and the current organisation",
      responses: {
        200: jsonContent(
          z.object({
            kind: z.enum(["user", "api_key"]),
            user: userSchema.nullable(),
            keyId: z.string().nullable(),
            orgId: z.string().nullable(),
            role: z.string().nullable(),
            plan: z.string(),
            permissions: z.array(z.string()),
            orgs: z.array(membershipSchema),
          }),
          "The principal",
        ),
      },
    }),
    async (c) => {
      const p = c.get("principal");
      const { db } = c.get("services");
      const user = p.userId
        ? (await db.select().from(users).where(eq(users.id, p.userId)).limit(1))[0]
        : undefined;
      return c.json(
        {
          kind: p.kind,
          user: user ? toUser(user) : null,
          keyId: p.keyId,
          orgId: p.orgId,
          role: p.role,
          plan: p.plan,
          permissions: [...p.permissions].sort(),
          orgs: p.userId ? await listMemberships(db, p.userId) : [],
        },
        200,
      );
    },
  );
}

// A valid PBKDF2 record of a random password, used only to equalise sign-in timing.
const DUMMY_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
