import { eq, lt } from "drizzle-orm";
import type { CheckEmail } from "../contract/auth.ts";
import type { AuthSession, SignUp } from "../contract/tenancy.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { hashPassword } from "../crypto/password.ts";
import { randomBase62 } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { signupRequests } from "../db/schema/auth.ts";
import { users } from "../db/schema/tenancy.ts";
import { signUpExistingEmail, signUpLinkEmail } from "../email/account-emails.ts";
import { ApiError } from "../errors.ts";
import { type AccountMailer, sendAfterResponse } from "./account-mail.ts";
import { authSessionFor, createAccount, type RequestOrigin } from "./accounts.ts";
import type { AuthTokenSettings } from "./token.ts";

/** How long a sign-up link works. */
export const SIGN_UP_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Neutral sign-up (docs/sso-mfa.md): the answer is the same `check_email` whether or not the address
 * has an account, and costs the same work (the password is hashed either way; mail goes after the
 * response). A new address gets a link that creates the account; a known one gets a notice instead.
 */
export async function requestSignUp(
  db: Db,
  mailer: AccountMailer,
  input: SignUp,
  now = Date.now(),
): Promise<CheckEmail> {
  const passwordHash = await hashPassword(input.password);
  const token = `sup_${randomBase62(40)}`;
  const tokenHash = await sha256Hex(token);
  const expiresAt = now + SIGN_UP_LINK_TTL_MS;
  const existing = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email)).limit(1);
  if (existing.length > 0) {
    const notice = signUpExistingEmail({ to: input.email, publicUrl: mailer.publicUrl });
    sendAfterResponse(mailer, "sign-up notice", notice, `signup-${tokenHash.slice(0, 32)}`);
  } else {
    await db.batch([
      // Expired requests are cleaned here, by the path that creates them.
      db.delete(signupRequests).where(lt(signupRequests.expiresAt, now)),
      db.insert(signupRequests).values({
        tokenHash,
        email: input.email,
        name: input.name,
        orgName: input.orgName ?? null,
        passwordHash,
        expiresAt,
        createdAt: now,
      }),
    ]);
    const message = signUpLinkEmail({ to: input.email, publicUrl: mailer.publicUrl, token, expiresAt });
    sendAfterResponse(mailer, "sign-up link", message, `signup-${tokenHash.slice(0, 32)}`);
  }
  return { status: "check_email", linkExpiresAt: expiresAt };
}

/**
 * The emailed link comes back: the request is spent (deleted, so a link works once), the account and
 * its first organisation are created and signed in. An address taken meanwhile is a 409 — only the
 * mailbox's owner can see that.
 */
export async function verifySignUp(
  db: Db,
  tokens: AuthTokenSettings,
  origin: RequestOrigin,
  token: string,
  now = Date.now(),
): Promise<AuthSession> {
  const spent = await db
    .delete(signupRequests)
    .where(eq(signupRequests.tokenHash, await sha256Hex(token)))
    .returning();
  const request = spent[0];
  if (!request || request.expiresAt <= now)
    throw new ApiError("gone", "This sign-up link is unknown, already used or expired; sign up again");
  const user = await createAccount(db, origin, request);
  return authSessionFor(db, tokens, origin, user);
}
