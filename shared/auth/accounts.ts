import { and, eq, isNotNull } from "drizzle-orm";
import { type AuditContext, audit, auditedBatch } from "../audit/repository.ts";
import type { MfaChallenge } from "../contract/auth.ts";
import type { AuthSession, Me, SignIn, SignUp, User } from "../contract/tenancy.ts";
import { hashPassword, verifyPassword } from "../crypto/password.ts";
import { conflictOnDuplicate, type Db } from "../db/client.ts";
import { mfaTotp, signIns } from "../db/schema/auth.ts";
import { users } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { newId } from "../ids.ts";
import { findUser, listMemberships } from "../tenancy/memberships.ts";
import { newOrganization } from "../tenancy/organizations.ts";
import { newSignIn, PASSWORD_ONLY, type SignInMethod } from "./sign-ins.ts";
import { type AuthTokenSettings, authTokenExpiry, issueAuthToken, issueMfaChallenge } from "./token.ts";

export type UserRow = typeof users.$inferSelect;

/** Where a sign-up or sign-in came from, for its audit row (the actor is the user). */
export type RequestOrigin = Omit<AuditContext, "actor">;

const toUser = (u: UserRow): User => ({
  id: u.id,
  email: u.email,
  name: u.name,
  isPlatformAdmin: u.isPlatformAdmin,
});

/** A new sign-in (its record, then a token naming it) for a user whose credentials were checked. */
export async function authSessionFor(
  db: Db,
  tokens: AuthTokenSettings,
  origin: RequestOrigin,
  user: UserRow,
  how: SignInMethod = PASSWORD_ONLY,
): Promise<AuthSession> {
  const now = Date.now();
  const record = newSignIn(user.id, origin, authTokenExpiry(now), now, how);
  await db.insert(signIns).values(record);
  const { token, expiresAt } = await issueAuthToken(tokens, user.id, record.id, now);
  return { token, expiresAt, user: toUser(user), orgs: await listMemberships(db, user.id) };
}

/** What a new account is made of (the password already hashed). */
export type NewAccount = { email: string; name: string; passwordHash: string; orgName?: string | null };

/** Creates an account with its first organisation (the user owns it); a taken email is a 409. */
export async function createAccount(db: Db, origin: RequestOrigin, input: NewAccount): Promise<UserRow> {
  const now = Date.now();
  const user: UserRow = {
    id: newId("usr", now),
    email: input.email,
    name: input.name,
    passwordHash: input.passwordHash,
    isPlatformAdmin: false,
    createdAt: now,
  };
  const created = newOrganization(db, { name: input.orgName ?? `${input.name}'s team`, ownerId: user.id });
  const write = auditedBatch(
    db,
    created.org.id,
    { ...origin, actor: { type: "user", id: user.id } },
    {
      action: "org.create",
      targetType: "organization",
      targetId: created.org.id,
      changes: { name: created.org.name, owner: user.email },
    },
    () => [db.insert(users).values(user), ...created.statements()],
  );
  await conflictOnDuplicate(write, "users.email", "An account with this email exists");
  return user;
}

/**
 * Sign-up without email verification: the account at once, a taken email a 409. Only when no mail
 * provider is configured outside production (docs/sso-mfa.md); otherwise shared/auth/sign-up.ts.
 */
export async function signUp(
  db: Db,
  tokens: AuthTokenSettings,
  origin: RequestOrigin,
  input: SignUp,
): Promise<AuthSession> {
  const passwordHash = await hashPassword(input.password);
  const user = await createAccount(db, origin, { ...input, passwordHash });
  return authSessionFor(db, tokens, origin, user);
}

// A valid PBKDF2 record of a random password, used only to equalise sign-in timing.
const DUMMY_HASH =
  "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/**
 * Email and password to a session, or to a second-factor challenge when the user has a confirmed
 * authenticator (shared/auth/mfa.ts finishes it). The sign-in is audited in the user's first
 * organisation after the response (`defer`, e.g. waitUntil); a failure to audit it does not fail it.
 */
export async function signIn(
  db: Db,
  tokens: AuthTokenSettings,
  origin: RequestOrigin,
  input: SignIn,
  defer: (work: Promise<unknown>) => void,
): Promise<AuthSession | MfaChallenge> {
  const rows = await db.select().from(users).where(eq(users.email, input.email)).limit(1);
  const user = rows[0];
  // Verify against a dummy hash for unknown emails too, so timing does not reveal accounts.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok) throw new ApiError("unauthenticated", "Email or password is wrong");
  const factor = await db
    .select({ userId: mfaTotp.userId })
    .from(mfaTotp)
    .where(and(eq(mfaTotp.userId, user.id), isNotNull(mfaTotp.confirmedAt)))
    .limit(1);
  if (factor.length > 0) return issueMfaChallenge(tokens, user.id);
  const session = await authSessionFor(db, tokens, origin, user);
  const firstOrg = session.orgs[0];
  if (firstOrg) {
    defer(
      audit(
        db,
        firstOrg.orgId,
        { ...origin, actor: { type: "user", id: user.id } },
        { action: "user.signin", targetType: "user", targetId: user.id },
      ).catch(() => undefined),
    );
  }
  return session;
}

/** The authenticated caller as `/me` shows it. */
export type Caller = Omit<Me, "user" | "permissions" | "orgs"> & {
  userId: string | null;
  permissions: ReadonlySet<string>;
};

export async function whoAmI(db: Db, caller: Caller): Promise<Me> {
  const user = caller.userId ? await findUser(db, caller.userId) : null;
  return {
    kind: caller.kind,
    user: user ? toUser(user) : null,
    keyId: caller.keyId,
    orgId: caller.orgId,
    role: caller.role,
    plan: caller.plan,
    permissions: [...caller.permissions].sort(),
    orgs: caller.userId ? await listMemberships(db, caller.userId) : [],
  };
}
