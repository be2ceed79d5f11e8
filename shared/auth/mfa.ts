import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { IdentityCheck, MfaDisable, MfaStatus, MfaVerify } from "../contract/auth.ts";
import type { AuthSession } from "../contract/tenancy.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { verifyPassword } from "../crypto/password.ts";
import { decryptSecret, encryptSecret } from "../crypto/secret-box.ts";
import type { Db } from "../db/client.ts";
import { mfaRecoveryCodes, mfaTotp } from "../db/schema/auth.ts";
import { memberships, organizations } from "../db/schema/tenancy.ts";
import { ApiError, notFound } from "../errors.ts";
import { findUser } from "../tenancy/memberships.ts";
import { authSessionFor, type RequestOrigin, type UserRow } from "./accounts.ts";
import { endAllSignInsStatement, type SignInMethod } from "./sign-ins.ts";
import { type AuthTokenSettings, verifyMfaChallenge } from "./token.ts";
import { matchTotp, newTotpSecret, otpauthUri } from "./totp.ts";

/**
 * The second factor of a dashboard sign-in (docs/sso-mfa.md): a TOTP secret sealed under
 * ENCRYPTION_KEY and bound to its user, ten one-time recovery codes stored as hashes, and the rule
 * that a time step is accepted once (`last_step` only moves forward, in one conditional UPDATE, so two
 * concurrent requests with the same code cannot both pass).
 */
export type MfaDeps = { db: Db; encryptionKey: string; tokens: AuthTokenSettings; origin: RequestOrigin };

const sealContext = (userId: string) => `totp:${userId}`;
const RECOVERY_CODES = 10;
const RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
const WITH_TOTP: SignInMethod = { method: "password+totp", ssoOrgId: null };

type TotpRow = typeof mfaTotp.$inferSelect;

async function totpRow(db: Db, userId: string): Promise<TotpRow | null> {
  const rows = await db.select().from(mfaTotp).where(eq(mfaTotp.userId, userId)).limit(1);
  return rows[0] ?? null;
}

const normaliseRecovery = (code: string) => code.trim().toLowerCase().replace("-", "");
const recoveryHash = (userId: string, code: string) => sha256Hex(`${userId}:${normaliseRecovery(code)}`);

function newRecoveryCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b & 31]).join("");
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Accepts `code` for a step newer than any accepted before; false for a wrong or replayed code. */
async function acceptTotp(db: Db, encryptionKey: string, row: TotpRow, code: string, now: number) {
  const secret = await decryptSecret(encryptionKey, row.secretSealed, sealContext(row.userId));
  const step = await matchTotp(secret, code, now);
  if (step === null) return false;
  const moved = await db
    .update(mfaTotp)
    .set({ lastStep: step })
    .where(and(eq(mfaTotp.userId, row.userId), lt(mfaTotp.lastStep, step)))
    .returning({ userId: mfaTotp.userId });
  return moved.length === 1;
}

async function spendRecoveryCode(db: Db, userId: string, code: string, now: number) {
  const used = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: now })
    .where(
      and(
        eq(mfaRecoveryCodes.userId, userId),
        eq(mfaRecoveryCodes.codeHash, await recoveryHash(userId, code)),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ userId: mfaRecoveryCodes.userId });
  return used.length === 1;
}

/** True when the user has a confirmed authenticator (a correct password then only earns a challenge). */
async function hasConfirmedTotp(db: Db, userId: string): Promise<boolean> {
  const row = await totpRow(db, userId);
  return Boolean(row?.confirmedAt);
}

export async function mfaStatus(db: Db, userId: string, current: SignInMethod | null): Promise<MfaStatus> {
  const [row, left, requiring] = await Promise.all([
    totpRow(db, userId),
    db
      .select({ n: sql<number>`count(*)` })
      .from(mfaRecoveryCodes)
      .where(and(eq(mfaRecoveryCodes.userId, userId), isNull(mfaRecoveryCodes.usedAt))),
    db
      .select({ orgId: organizations.id })
      .from(memberships)
      .innerJoin(organizations, eq(organizations.id, memberships.orgId))
      .where(and(eq(memberships.userId, userId), eq(organizations.requireMfa, true))),
  ]);
  return {
    enabled: Boolean(row?.confirmedAt),
    pending: Boolean(row && !row.confirmedAt),
    recoveryCodesLeft: row?.confirmedAt ? Number(left[0]?.n ?? 0) : 0,
    // A sign-in through an org's own SSO meets that org's requirement (workers/middleware/auth.ts).
    requiredBy: requiring
      .map((r) => r.orgId)
      .filter((orgId) => !(current?.method === "sso" && current.ssoOrgId === orgId)),
    currentSignInVerified: current?.method === "password+totp",
  };
}

/** Starts (or restarts) an enrolment: a new secret waits for its first code. 409 once confirmed. */
export async function startTotpEnrolment(db: Db, encryptionKey: string, userId: string, now = Date.now()) {
  const user = await findUser(db, userId);
  if (!user) throw new ApiError("unauthenticated", "The session's user no longer exists");
  if (await hasConfirmedTotp(db, userId)) {
    throw new ApiError("conflict", "Two-factor sign-in is already on; turn it off before enrolling again");
  }
  const secret = newTotpSecret();
  const secretSealed = await encryptSecret(encryptionKey, secret, sealContext(userId));
  await db
    .insert(mfaTotp)
    .values({ userId, secretSealed, confirmedAt: null, lastStep: 0, createdAt: now })
    .onConflictDoUpdate({
      target: mfaTotp.userId,
      set: { secretSealed, lastStep: 0, createdAt: now },
      setWhere: isNull(mfaTotp.confirmedAt),
    });
  return { secret, otpauthUri: otpauthUri(secret, user.email) };
}

/**
 * The first good code turns the factor on: ten recovery codes are made (returned once, stored
 * hashed), every sign-in of the user ends, and the caller gets a new one that passed the factor.
 */
export async function confirmTotpEnrolment(
  deps: MfaDeps,
  userId: string,
  code: string,
  now = Date.now(),
): Promise<{ recoveryCodes: string[]; session: AuthSession }> {
  const { db, encryptionKey } = deps;
  const row = await totpRow(db, userId);
  if (!row) throw notFound("Two-factor enrolment");
  if (row.confirmedAt) throw new ApiError("conflict", "Two-factor sign-in is already on");
  if (!(await acceptTotp(db, encryptionKey, row, code, now))) {
    throw new ApiError("unprocessable", "The code is wrong, expired or was already used");
  }
  const recoveryCodes = Array.from({ length: RECOVERY_CODES }, newRecoveryCode);
  const hashes = await Promise.all(recoveryCodes.map((c) => recoveryHash(userId, c)));
  await db.batch([
    db.update(mfaTotp).set({ confirmedAt: now }).where(eq(mfaTotp.userId, userId)),
    db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId)),
    db
      .insert(mfaRecoveryCodes)
      .values(hashes.map((codeHash) => ({ userId, codeHash, usedAt: null, createdAt: now }))),
    endAllSignInsStatement(db, userId, now),
  ]);
  const user = await findUser(db, userId);
  if (!user) throw new ApiError("unauthenticated", "The session's user no longer exists");
  return { recoveryCodes, session: await authSessionFor(db, deps.tokens, deps.origin, user, WITH_TOTP) };
}

/** The second step of a password sign-in: the challenge plus a TOTP code or an unused recovery code. */
export async function completeMfaSignIn(deps: MfaDeps, input: MfaVerify, now = Date.now()) {
  const { db, encryptionKey } = deps;
  const userId = await verifyMfaChallenge(deps.tokens, input.challenge);
  if (!userId) throw new ApiError("unauthenticated", "The sign-in challenge is invalid or expired");
  const [user, row] = await Promise.all([findUser(db, userId), totpRow(db, userId)]);
  if (!user || !row?.confirmedAt) {
    throw new ApiError("unauthenticated", "The sign-in challenge is invalid or expired");
  }
  const ok =
    "code" in input
      ? await acceptTotp(db, encryptionKey, row, input.code, now)
      : await spendRecoveryCode(db, userId, input.recoveryCode, now);
  if (!ok) throw new ApiError("unauthenticated", "The code is wrong, expired or was already used");
  return authSessionFor(db, deps.tokens, deps.origin, user, WITH_TOTP);
}

/**
 * Turns the factor off (a current code or the password proves it is the owner, not a stolen token):
 * the secret and recovery codes go, and every sign-in ends in the same batch; the caller gets a new
 * password-only sign-in.
 */
export async function disableTotp(deps: MfaDeps, user: UserRow, input: MfaDisable, now = Date.now()) {
  const { db, encryptionKey } = deps;
  const userId = user.id;
  const row = await totpRow(db, userId);
  if (!row) throw notFound("Two-factor sign-in");
  const proven =
    "code" in input
      ? await acceptTotp(db, encryptionKey, row, input.code, now)
      : await verifyPassword(input.password, user.passwordHash);
  if (!proven) throw new ApiError("forbidden", "The code or password is wrong");
  await db.batch([
    db.delete(mfaTotp).where(eq(mfaTotp.userId, userId)),
    db.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, userId)),
    endAllSignInsStatement(db, userId, now),
  ]);
  return authSessionFor(db, deps.tokens, deps.origin, user);
}

/** The password record of an account made by SSO: no password ever matches it (shared/crypto/password.ts). */
export const SSO_ONLY_PASSWORD = "sso-only";
/** How recent an SSO sign-in must be to stand in for a password (docs/data-lifecycle.md). */
export const SSO_REAUTH_WINDOW_MS = 10 * 60 * 1000;

/**
 * Re-checks the signed-in user before an irreversible action (deleting an account or an organisation,
 * docs/data-lifecycle.md): the password, and a current code when a second factor is on. An account
 * without a password (made by SSO) proves itself with a current code when it has a second factor,
 * otherwise with the sign-in it is using, if that was an SSO sign-in made in the last 10 minutes.
 */
export async function confirmIdentity(
  db: Db,
  encryptionKey: string,
  user: UserRow,
  input: IdentityCheck,
  signIn: { id: string; createdAt: number; method: string } | null,
  now = Date.now(),
): Promise<void> {
  const row = await totpRow(db, user.id);
  const hasTotp = Boolean(row?.confirmedAt);
  if (user.passwordHash === SSO_ONLY_PASSWORD) {
    if (input.password !== undefined)
      throw new ApiError("forbidden", "This account signs in through SSO and has no password");
    if (!hasTotp) {
      const fresh = signIn?.method === "sso" && signIn.createdAt >= now - SSO_REAUTH_WINDOW_MS;
      if (!fresh)
        throw new ApiError(
          "forbidden",
          "Sign in again through your identity provider, then confirm within 10 minutes",
        );
      return;
    }
  } else if (input.password === undefined || !(await verifyPassword(input.password, user.passwordHash)))
    throw new ApiError("forbidden", "The password is wrong");
  if (!hasTotp) return;
  if (!input.code) throw new ApiError("forbidden", "Two-factor sign-in is on: send a current code too");
  if (!(await acceptTotp(db, encryptionKey, row!, input.code, now)))
    throw new ApiError("forbidden", "The code is wrong, expired or was already used");
}
