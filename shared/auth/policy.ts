import { eq } from "drizzle-orm";
import { auditedBatch } from "../audit/repository.ts";
import type { AuthPolicy } from "../contract/auth.ts";
import type { Db } from "../db/client.ts";
import { organizations } from "../db/schema/tenancy.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor } from "../tenancy/actor.ts";
import type { SignInMethod } from "./sign-ins.ts";
import { findSsoConnection } from "./sso-connections.ts";

/**
 * An organisation's sign-in policy: "require MFA" and "require SSO". The auth middleware
 * (workers/middleware/auth.ts) enforces them on every org route. Turning one on must not lock out
 * the admin doing it, so the admin's own sign-in has to meet the new policy first.
 */
export async function getAuthPolicy(db: Db, orgId: string): Promise<AuthPolicy> {
  const rows = await db
    .select({ requireMfa: organizations.requireMfa, requireSso: organizations.requireSso })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .limit(1);
  if (!rows[0]) throw notFound("Organization");
  return rows[0];
}

export async function updateAuthPolicy(
  db: Db,
  orgId: string,
  actor: Actor,
  signIn: SignInMethod | undefined,
  patch: Partial<AuthPolicy>,
): Promise<AuthPolicy> {
  if (!signIn) throw new ApiError("forbidden", "The sign-in policy is changed by a signed-in admin");
  const before = await getAuthPolicy(db, orgId);
  const next = { ...before, ...patch };
  const viaOwnSso = signIn.method === "sso" && signIn.ssoOrgId === orgId;
  if (next.requireSso && !before.requireSso) {
    const connection = await findSsoConnection(db, orgId);
    if (!connection?.enabled) throw new ApiError("conflict", "Set up and enable single sign-on first");
    if (!viaOwnSso) {
      throw new ApiError("conflict", "Sign in through this organisation's SSO before requiring it");
    }
  }
  if (next.requireMfa && !before.requireMfa && !viaOwnSso && signIn.method !== "password+totp") {
    throw new ApiError("conflict", "Turn on two-factor sign-in and sign in with it before requiring it");
  }
  await auditedBatch(
    db,
    orgId,
    actor.audit,
    { action: "org.auth_policy", targetType: "organization", targetId: orgId, changes: { ...patch } },
    () => [
      db
        .update(organizations)
        .set({ ...next, updatedAt: Date.now() })
        .where(eq(organizations.id, orgId)),
    ],
  );
  return next;
}
