import { eq } from "drizzle-orm";
import { auditedBatch, auditedUpsert } from "../audit/repository.ts";
import type { SsoConnection, SsoConnectionInput } from "../contract/auth.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { ssoConnections } from "../db/schema/auth.ts";
import { organizations } from "../db/schema/tenancy.ts";
import { ApiError, notFound } from "../errors.ts";
import type { Actor } from "../tenancy/actor.ts";
import { checkRoleAssignment } from "../tenancy/role-assignment.ts";
import { discover, type OidcDeps, OidcError } from "./oidc-client.ts";

/**
 * An organisation's OpenID provider (docs/sso-mfa.md). The client secret is sealed under
 * ENCRYPTION_KEY and bound to the org; the default role of provisioned users is checked against the
 * configuring admin's permissions when saved and again at each provisioning (shared/auth/sso.ts).
 */
export type SsoConnectionRow = typeof ssoConnections.$inferSelect;

const sealContext = (orgId: string) => `sso:${orgId}`;
const mask = (secret: string) => `${"*".repeat(8)}${secret.slice(-4)}`;

export const ssoRedirectUri = (publicUrl: string) => `${publicUrl.replace(/\/+$/, "")}/v1/auth/sso/callback`;

async function slugOf(db: Db, orgId: string) {
  const rows = await db
    .select({ slug: organizations.slug })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .limit(1);
  return rows[0]?.slug ?? orgId;
}

async function toConnection(row: SsoConnectionRow, secret: string, publicUrl: string, slug: string) {
  return {
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecret: mask(secret),
    allowedDomains: row.allowedDomains,
    defaultRole: row.defaultRole,
    customRoleId: row.customRoleId,
    enabled: row.enabled,
    redirectUri: ssoRedirectUri(publicUrl),
    signInUrl: `${publicUrl.replace(/\/+$/, "")}/v1/auth/sso/start?org=${encodeURIComponent(slug)}`,
    updatedAt: row.updatedAt,
  } satisfies SsoConnection;
}

export async function findSsoConnection(db: Db, orgId: string): Promise<SsoConnectionRow | null> {
  const rows = await db.select().from(ssoConnections).where(eq(ssoConnections.orgId, orgId)).limit(1);
  return rows[0] ?? null;
}

export function ssoClientSecret(encryptionKey: string, row: SsoConnectionRow): Promise<string> {
  return decryptSecret(encryptionKey, row.clientSecretSealed, sealContext(row.orgId));
}

export type SsoAdminDeps = { db: Db; encryptionKey: string; publicUrl: string; oidc: OidcDeps };

/**
 * Saves the org's provider after reading its discovery document (a typo'd issuer fails here, not at
 * the first sign-in). Only a signed-in user configures SSO: provisioning later acts on their authority.
 */
export async function configureSso(
  deps: SsoAdminDeps,
  orgId: string,
  actor: Actor,
  input: SsoConnectionInput,
  now = Date.now(),
): Promise<SsoConnection> {
  const { db } = deps;
  if (!actor.role) throw new ApiError("forbidden", "Single sign-on is configured by a signed-in admin");
  await checkRoleAssignment(db, orgId, actor, input.defaultRole, input.customRoleId);
  const provider = await discover(input.issuer, deps.oidc).catch((error: unknown) => {
    if (error instanceof OidcError) throw new ApiError("unprocessable", `Discovery failed: ${error.message}`);
    throw error;
  });
  const before = await findSsoConnection(db, orgId);
  const row: SsoConnectionRow = {
    orgId,
    issuer: provider.issuer,
    clientId: input.clientId,
    clientSecretSealed: await encryptSecret(deps.encryptionKey, input.clientSecret, sealContext(orgId)),
    allowedDomains: [...new Set(input.allowedDomains)],
    defaultRole: input.defaultRole,
    customRoleId: input.customRoleId ?? null,
    enabled: input.enabled,
    configuredBy: actor.id,
    createdAt: before?.createdAt ?? now,
    updatedAt: now,
  };
  const { orgId: _org, createdAt: _created, clientSecretSealed: _sealed, ...changes } = row;
  await auditedUpsert(
    db,
    orgId,
    actor.audit,
    ssoConnections,
    row,
    { target: ssoConnections.orgId, set: { ...changes, clientSecretSealed: row.clientSecretSealed } },
    { action: "sso.configure", targetType: "organization", targetId: orgId, changes },
  );
  return toConnection(row, input.clientSecret, deps.publicUrl, await slugOf(db, orgId));
}

export async function getSsoConnection(deps: Omit<SsoAdminDeps, "oidc">, orgId: string) {
  const row = await findSsoConnection(deps.db, orgId);
  if (!row) throw notFound("SSO connection");
  const secret = await ssoClientSecret(deps.encryptionKey, row);
  return toConnection(row, secret, deps.publicUrl, await slugOf(deps.db, orgId));
}

/** Removes the provider; an org that requires SSO must turn that off first (or nobody could sign in). */
export async function deleteSsoConnection(db: Db, orgId: string, actor: Actor) {
  const row = await findSsoConnection(db, orgId);
  if (!row) throw notFound("SSO connection");
  const org = await db
    .select({ requireSso: organizations.requireSso })
    .from(organizations)
    .where(eq(organizations.id, orgId))
    .limit(1);
  if (org[0]?.requireSso)
    throw new ApiError("conflict", "Turn off “require SSO” before removing the provider");
  await auditedBatch(
    db,
    orgId,
    actor.audit,
    { action: "sso.delete", targetType: "organization", targetId: orgId },
    () => [db.delete(ssoConnections).where(eq(ssoConnections.orgId, orgId))],
  );
}
