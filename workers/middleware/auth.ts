import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { liveSignIn, type SignInMethod, touchSignIn } from "../../shared/auth/sign-ins.ts";
import { authTokenSettings, verifyAuthToken } from "../../shared/auth/token.ts";
import { apiKeys } from "../../shared/db/schema/tenancy.ts";
import { keyIsUsable, knownAuthEpoch, lookupApiKey } from "../../shared/tenancy/api-key-cache.ts";
import { findUser, resolveMembership } from "../../shared/tenancy/memberships.ts";
import type { Permission } from "../../shared/tenancy/permissions.ts";
import { ApiError } from "../errors.ts";
import type { HonoEnv, Principal } from "../hono-env.ts";
import { checkSameOrigin, sessionCookieOf } from "./session-cookie.ts";

const ORG_ID = /^org_[0-9a-z]{26}$/;
const LAST_USED_WRITE_INTERVAL_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

function unauthenticated(detail: string): ApiError {
  return new ApiError("unauthenticated", detail, {
    headers: { "WWW-Authenticate": 'Bearer realm="shifty"' },
  });
}

/**
 * Resolves `Authorization: Bearer shf_…` (API key) or a dashboard sign-in token (JWT, see
 * shared/auth/token.ts) into a Principal. Without an Authorization header the dashboard's sign-in
 * cookie is accepted instead, with its CSRF check (workers/middleware/session-cookie.ts).
 * For users the organisation comes from `X-Org-Id` (else their oldest membership). An `orgless`
 * route (declared with the route, see workers/route.ts) accepts a user without any organisation.
 */
export function authenticate(access: "org" | "orgless" = "org"): MiddlewareHandler<HonoEnv> {
  return async function authenticate(c, next) {
    const { principal, policy } = await principalOf(c);
    c.set("principal", principal);
    if (principal.orgId) c.set("logOrgId", principal.orgId);
    else if (access !== "orgless") {
      throw new ApiError("forbidden", "Join or create an organisation first");
    }
    // Org routes obey the org's sign-in policy; orgless ones (/me, MFA enrolment) stay reachable so a
    // member can still meet it.
    if (access === "org" && policy) checkSignInPolicy(principal, policy);
    await next();
  };
}

type Policy = { requireMfa: boolean; requireSso: boolean };
type Resolved = { principal: Principal; policy: Policy | null };

/**
 * An organisation that requires SSO accepts only sign-ins made through its own provider; one that
 * requires a second factor accepts those or sign-ins that passed TOTP (docs/sso-mfa.md).
 */
function checkSignInPolicy(principal: Principal, policy: Policy) {
  const how = principal.signInMethod;
  if (!how) return;
  const viaOwnSso = how.method === "sso" && how.ssoOrgId === principal.orgId;
  if (policy.requireSso && !viaOwnSso) {
    throw new ApiError("forbidden", "This organisation requires signing in with its single sign-on");
  }
  if (policy.requireMfa && !viaOwnSso && how.method !== "password+totp") {
    throw new ApiError(
      "forbidden",
      "This organisation requires two-factor sign-in: turn it on (/v1/auth/mfa) and sign in again",
    );
  }
}

async function principalOf(c: Context<HonoEnv>): Promise<Resolved> {
  const header = c.req.header("authorization");
  if (header === undefined) {
    const cookie = sessionCookieOf(c);
    if (cookie) {
      checkSameOrigin(c);
      return principalFromAuthToken(c, cookie);
    }
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) throw unauthenticated("Send `Authorization: Bearer <API key or session token>`");
  const credential = match[1]!;
  return credential.startsWith("shf_")
    ? { principal: await principalFromApiKey(c, credential), policy: null }
    : principalFromAuthToken(c, credential);
}

async function principalFromApiKey(c: Context<HonoEnv>, key: string): Promise<Principal> {
  const { db, cache } = c.get("services");
  const lookup = await lookupApiKey(db, cache, key);
  if (!lookup || !keyIsUsable(lookup.record))
    throw unauthenticated("The API key is invalid, expired or revoked");
  const { record } = lookup;
  const orgHeader = c.req.header("x-org-id");
  if (orgHeader && orgHeader !== record.orgId)
    throw new ApiError("forbidden", "This key belongs to another organisation");
  touchKey(c, record.id);
  return {
    kind: "api_key",
    actorId: record.id,
    userId: null,
    keyId: record.id,
    orgId: record.orgId,
    plan: record.plan,
    role: null,
    ownerId: record.ownerId,
    permissions: new Set(record.permissions),
    isPlatformAdmin: false,
    authEpoch: lookup.epoch,
  };
}

/**
 * After the org's RateLimiter object answered (workers/middleware/rate-limit.ts): a key principal
 * resolved from a lookup older than the org's auth epoch is resolved again, from D1, before the
 * permission check. This is what makes a revocation or demotion seen by other isolates apply at once.
 */
export async function reauthenticateIfStale(c: Context<HonoEnv>) {
  const principal = c.get("principal");
  if (principal.kind !== "api_key" || !principal.orgId) return;
  if ((principal.authEpoch ?? 0) >= knownAuthEpoch(principal.orgId)) return;
  c.set("principal", (await principalOf(c)).principal);
}

/** lastUsedAt is written after the response (waitUntil) and at most once a minute per key and isolate. */
function touchKey(c: Context<HonoEnv>, keyId: string) {
  const now = Date.now();
  if ((lastUsedWritten.get(keyId) ?? 0) > now - LAST_USED_WRITE_INTERVAL_MS) return;
  lastUsedWritten.set(keyId, now);
  const { db, logger } = c.get("services");
  c.executionCtx.waitUntil(
    db
      .update(apiKeys)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(apiKeys.id, keyId),
          or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, now - LAST_USED_WRITE_INTERVAL_MS)),
        ),
      )
      .run()
      .catch((error: unknown) => logger.error("lastUsedAt", { error: String(error) })),
  );
}

async function principalFromAuthToken(c: Context<HonoEnv>, token: string): Promise<Resolved> {
  const { db, config } = c.get("services");
  const claims = await verifyAuthToken(authTokenSettings(config), token);
  if (!claims) throw unauthenticated("The session token is invalid or expired");
  const how: SignInMethod | null = await liveSignIn(db, claims.sid, claims.userId);
  if (!how) throw unauthenticated("This sign-in has ended; sign in again");
  const touch = touchSignIn(db, claims.sid);
  if (touch) c.executionCtx.waitUntil(touch.catch(() => undefined));
  const user = await findUser(db, claims.userId);
  if (!user) throw unauthenticated("The session's user no longer exists");
  const orgHeader = c.req.header("x-org-id");
  if (orgHeader !== undefined && !ORG_ID.test(orgHeader)) {
    throw new ApiError("bad_request", "X-Org-Id must be an organisation id (org_…)");
  }
  const membership = await resolveMembership(db, user.id, orgHeader);
  if (orgHeader && !membership) throw new ApiError("not_found", "Organisation not found");
  const principal: Principal = {
    kind: "user",
    actorId: user.id,
    userId: user.id,
    keyId: null,
    orgId: membership?.orgId ?? null,
    plan: membership?.plan ?? "free",
    role: membership?.role ?? null,
    ownerId: null,
    permissions: membership?.permissions ?? new Set(),
    isPlatformAdmin: user.isPlatformAdmin,
    signInId: claims.sid,
    signInMethod: how,
  };
  return { principal, policy: membership };
}

/** Route middleware: 403 unless the principal holds every listed permission. */
export function requirePermission(...needed: Permission[]): MiddlewareHandler<HonoEnv> {
  return async function requirePermission(c, next) {
    const principal = c.get("principal");
    const missing = needed.filter((p) => !principal.permissions.has(p));
    if (missing.length > 0) throw new ApiError("forbidden", `Missing permission: ${missing.join(", ")}`);
    await next();
  };
}

/** The org id of an authenticated, org-bound request (the tenant filter every query takes first). */
export function orgIdOf(c: Context<HonoEnv>): string {
  const orgId = c.get("principal").orgId;
  if (!orgId) throw new ApiError("forbidden", "Join or create an organisation first");
  return orgId;
}
