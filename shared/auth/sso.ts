import { and, eq, lt, or } from "drizzle-orm";
import { audit, auditedBatch } from "../audit/repository.ts";
import type { AuthSession } from "../contract/tenancy.ts";
import { sha256Hex, timingSafeEqual, toBase64 } from "../crypto/hash.ts";
import { conflictOnDuplicate, type Db } from "../db/client.ts";
import { ssoFlows, ssoIdentities } from "../db/schema/auth.ts";
import { memberships, organizations, users } from "../db/schema/tenancy.ts";
import { ApiError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { beyondHeld } from "../tenancy/actor.ts";
import { findUser, resolveMembership } from "../tenancy/memberships.ts";
import { permissionsOfRole } from "../tenancy/role-assignment.ts";
import { authSessionFor, type RequestOrigin } from "./accounts.ts";
import { SSO_ONLY_PASSWORD } from "./mfa.ts";
import {
  authorizationUrl,
  discoverCached,
  exchangeCode,
  type IdClaims,
  type OidcDeps,
  OidcError,
  verifyIdToken,
} from "./oidc-client.ts";
import {
  findSsoConnection,
  type SsoConnectionRow,
  ssoClientSecret,
  ssoRedirectUri,
} from "./sso-connections.ts";
import type { AuthTokenSettings } from "./token.ts";

/**
 * Sign-in through an organisation's OpenID provider (docs/sso-mfa.md): `startSso` records a flow
 * (state hashed as its key, nonce, PKCE verifier; 10 minutes, used once) and returns the provider's
 * authorization URL; `finishSso` consumes the flow, exchanges the code, validates the ID token,
 * checks the email domain, finds or provisions the user, and opens a sign-in marked `sso` for the org.
 */
export type SsoDeps = {
  db: Db;
  encryptionKey: string;
  publicUrl: string;
  tokens: AuthTokenSettings;
  origin: RequestOrigin;
  oidc: OidcDeps;
};

const FLOW_TTL_MS = 10 * 60_000;

const randomToken = () =>
  toBase64(crypto.getRandomValues(new Uint8Array(32)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

async function pkceChallenge(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return toBase64(digest).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function asApiError(error: unknown): never {
  if (!(error instanceof OidcError)) throw error;
  if (error.kind === "unreachable") throw new ApiError("unavailable", `Identity provider: ${error.message}`);
  if (error.kind === "refused") throw new ApiError("bad_request", `Identity provider: ${error.message}`);
  throw new ApiError("unauthenticated", `The ID token was refused: ${error.message}`);
}

async function enabledConnection(db: Db, orgRef: string): Promise<SsoConnectionRow> {
  const org = await db
    .select({ id: organizations.id })
    .from(organizations)
    .where(or(eq(organizations.slug, orgRef), eq(organizations.id, orgRef)))
    .limit(1);
  const connection = org[0] ? await findSsoConnection(db, org[0].id) : null;
  if (!connection?.enabled) throw notFound("Single sign-on for this organisation");
  return connection;
}

/** The provider URL to send the browser to, and the state the browser must bring back (its cookie). */
export async function startSso(deps: SsoDeps, orgRef: string, now = Date.now()) {
  const { db } = deps;
  const connection = await enabledConnection(db, orgRef);
  const provider = await discoverCached(connection.issuer, deps.oidc).catch(asApiError);
  const [state, nonce, codeVerifier] = [randomToken(), randomToken(), randomToken()];
  await db.batch([
    db.delete(ssoFlows).where(lt(ssoFlows.expiresAt, now)),
    db.insert(ssoFlows).values({
      id: await sha256Hex(state),
      orgId: connection.orgId,
      nonce,
      codeVerifier,
      expiresAt: now + FLOW_TTL_MS,
      createdAt: now,
    }),
  ]);
  const url = authorizationUrl(provider, {
    clientId: connection.clientId,
    redirectUri: ssoRedirectUri(deps.publicUrl),
    state,
    nonce,
    codeChallenge: await pkceChallenge(codeVerifier),
  });
  return { url, state };
}

export type SsoCallback = {
  code?: string;
  state: string;
  error?: string;
  /** The state this browser was given at the start (its cookie); binds the flow to the browser. */
  browserState: string | undefined;
};

/** Consumes the flow named by `state` (deleted whatever happens next); 400 when unknown or expired. */
async function consumeFlow(db: Db, cb: SsoCallback, now: number) {
  if (!cb.browserState || !timingSafeEqual(cb.browserState, cb.state)) {
    throw new ApiError(
      "bad_request",
      "The sign-in state does not match this browser; start the sign-in again",
    );
  }
  const taken = await db
    .delete(ssoFlows)
    .where(eq(ssoFlows.id, await sha256Hex(cb.state)))
    .returning();
  const flow = taken[0];
  if (!flow || flow.expiresAt <= now) {
    throw new ApiError("bad_request", "The sign-in state is unknown, expired or already used");
  }
  return flow;
}

export async function finishSso(
  deps: SsoDeps,
  cb: SsoCallback,
  now = Date.now(),
): Promise<{ session: AuthSession; orgId: string }> {
  const { db } = deps;
  const flow = await consumeFlow(db, cb, now);
  if (cb.error) throw new ApiError("unauthenticated", `The identity provider answered: ${cb.error}`);
  if (!cb.code) throw new ApiError("bad_request", "The callback has no authorization code");
  const connection = await findSsoConnection(db, flow.orgId);
  if (!connection?.enabled) throw notFound("Single sign-on for this organisation");
  const claims = await (async () => {
    const provider = await discoverCached(connection.issuer, deps.oidc);
    const idToken = await exchangeCode(
      provider,
      {
        clientId: connection.clientId,
        clientSecret: await ssoClientSecret(deps.encryptionKey, connection),
        code: cb.code as string,
        redirectUri: ssoRedirectUri(deps.publicUrl),
        codeVerifier: flow.codeVerifier,
      },
      deps.oidc,
    );
    return verifyIdToken(
      provider,
      idToken,
      { clientId: connection.clientId, nonce: flow.nonce, now },
      deps.oidc,
    );
  })().catch(asApiError);
  const email = allowedEmail(connection, claims);
  const userId = await userFor(deps, connection, claims, email, now);
  const user = await findUser(db, userId);
  if (!user) throw new ApiError("unauthenticated", "The account no longer exists");
  const session = await authSessionFor(db, deps.tokens, deps.origin, user, {
    method: "sso",
    ssoOrgId: connection.orgId,
  });
  await audit(
    db,
    connection.orgId,
    { ...deps.origin, actor: { type: "user", id: userId } },
    { action: "user.signin", targetType: "user", targetId: userId, changes: { method: "sso" } },
  );
  return { session, orgId: connection.orgId };
}

function allowedEmail(connection: SsoConnectionRow, claims: IdClaims): string {
  if (!claims.email || !claims.emailVerified) {
    throw new ApiError("forbidden", "The provider did not assert a verified email address");
  }
  const domain = claims.email.split("@").pop() ?? "";
  if (!connection.allowedDomains.includes(domain)) {
    throw new ApiError("forbidden", `Email domain ${domain} is not allowed to sign in to this organisation`);
  }
  return claims.email;
}

/**
 * The provider's subject is linked to one user per org. An unlinked email that already has an account
 * is linked only if that account is a member of this org already: an org's provider must not take
 * over an account that never joined the org (that account may hold other organisations).
 */
async function userFor(deps: SsoDeps, c: SsoConnectionRow, claims: IdClaims, email: string, now: number) {
  const { db } = deps;
  const linked = await db
    .select({ userId: ssoIdentities.userId })
    .from(ssoIdentities)
    .where(
      and(
        eq(ssoIdentities.orgId, c.orgId),
        eq(ssoIdentities.issuer, c.issuer),
        eq(ssoIdentities.subject, claims.subject),
      ),
    )
    .limit(1);
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  const userId = linked[0]?.userId ?? existing[0]?.id ?? null;
  const member = userId ? Boolean(await resolveMembership(db, userId, c.orgId)) : false;
  if (userId && member && linked[0]) return userId;
  if (existing[0] && !linked[0] && !member) {
    throw new ApiError(
      "conflict",
      "An account with this email exists outside this organisation: sign in with its password and accept an invite",
    );
  }
  return provision(deps, c, claims, email, { userId, member, linked: Boolean(linked[0]) }, now);
}

/** Just-in-time: creates the user and/or membership (default role) and the identity link, audited. */
async function provision(
  deps: SsoDeps,
  c: SsoConnectionRow,
  claims: IdClaims,
  email: string,
  have: { userId: string | null; member: boolean; linked: boolean },
  now: number,
): Promise<string> {
  const { db } = deps;
  if (!have.member) await checkDefaultRole(db, c);
  const userId = have.userId ?? newId("usr", now);
  // Two first sign-ins racing: the loser's batch fails on a unique key and is told to retry.
  const write = auditedBatch(
    db,
    c.orgId,
    { ...deps.origin, actor: { type: "user", id: userId } },
    {
      action: "member.sso_provision",
      targetType: "user",
      targetId: userId,
      changes: { email, role: have.member ? null : c.defaultRole, newAccount: !have.userId },
    },
    () => [
      ...(have.userId
        ? []
        : [
            db.insert(users).values({
              id: userId,
              email,
              name: claims.name ?? email.split("@")[0]!,
              // Not a PBKDF2 record: no password ever matches it (shared/crypto/password.ts).
              passwordHash: SSO_ONLY_PASSWORD,
              isPlatformAdmin: false,
              createdAt: now,
            }),
          ]),
      ...(have.member
        ? []
        : [
            db.insert(memberships).values({
              orgId: c.orgId,
              userId,
              role: c.defaultRole,
              customRoleId: c.customRoleId,
              createdAt: now,
            }),
          ]),
      ...(have.linked
        ? []
        : [
            db
              .insert(ssoIdentities)
              .values({ orgId: c.orgId, issuer: c.issuer, subject: claims.subject, userId, createdAt: now })
              .onConflictDoNothing(),
          ]),
    ],
  );
  await conflictOnDuplicate(write, undefined, "A concurrent sign-in created this account; retry");
  return userId;
}

/** The default role may not exceed what the admin who configured SSO holds now (they may be demoted). */
async function checkDefaultRole(db: Db, c: SsoConnectionRow) {
  const admin = await resolveMembership(db, c.configuredBy, c.orgId);
  const granted = await permissionsOfRole(db, c.orgId, c.defaultRole, c.customRoleId).catch(() => null);
  if (!admin || !granted || beyondHeld(admin.permissions, [...granted]).length > 0) {
    throw new ApiError(
      "conflict",
      "The SSO default role is no longer covered by the admin who configured it: an admin must save the SSO settings again",
    );
  }
}
