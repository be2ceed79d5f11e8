import { and, eq, gt, isNull } from "drizzle-orm";
import { type AuditActor, type AuditEntry, audit } from "../audit/repository.ts";
import type { CheckEmail, PasswordResetConfirm } from "../contract/auth.ts";
import { sha256Hex } from "../crypto/hash.ts";
import { hashPassword } from "../crypto/password.ts";
import { randomBase62 } from "../crypto/tokens.ts";
import type { Db } from "../db/client.ts";
import { passwordResets } from "../db/schema/auth.ts";
import { users } from "../db/schema/tenancy.ts";
import { passwordResetEmail } from "../email/account-emails.ts";
import { ApiError } from "../errors.ts";
import { listMemberships } from "../tenancy/memberships.ts";
import { type AccountMailer, sendAfterResponse } from "./account-mail.ts";
import type { RequestOrigin } from "./accounts.ts";
import { endAllSignInsStatement } from "./sign-ins.ts";

/**
 * A password reset concerns every organisation the account can reach, so each one's audit log
 * records it (docs/data-lifecycle.md); a requested link's actor is the system, since anyone may ask.
 */
async function auditInEveryOrg(
  db: Db,
  userId: string,
  origin: RequestOrigin,
  actor: AuditActor,
  entry: AuditEntry,
) {
  for (const org of await listMemberships(db, userId))
    await audit(db, org.orgId, { ...origin, actor }, entry);
}

/** How long a reset link works. */
export const PASSWORD_RESET_TTL_MS = 30 * 60 * 1000;

/**
 * A reset link for the address's account, by email after the response; the answer is the same
 * `check_email` when there is no account (docs/sso-mfa.md). Only the token's hash is stored.
 */
export async function requestPasswordReset(
  db: Db,
  mailer: AccountMailer,
  email: string,
  origin: RequestOrigin,
  now = Date.now(),
): Promise<CheckEmail> {
  const expiresAt = now + PASSWORD_RESET_TTL_MS;
  const rows = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  const user = rows[0];
  if (user) {
    const token = `pwr_${randomBase62(40)}`;
    const tokenHash = await sha256Hex(token);
    await db.insert(passwordResets).values({ tokenHash, userId: user.id, expiresAt, createdAt: now });
    const message = passwordResetEmail({ to: email, publicUrl: mailer.publicUrl, token, expiresAt });
    sendAfterResponse(mailer, "password reset", message, `reset-${tokenHash.slice(0, 32)}`);
    // After the response, like the mail: an address with an account answers as fast as one without.
    mailer.defer(
      auditInEveryOrg(
        db,
        user.id,
        origin,
        { type: "system", id: "password-reset" },
        {
          action: "user.password_reset_request",
          targetType: "user",
          targetId: user.id,
          changes: { expiresAt },
        },
      ).catch((error: unknown) =>
        mailer.logger.error("password reset audit failed", { error: String(error) }),
      ),
    );
  }
  return { status: "check_email", linkExpiresAt: expiresAt };
}

/**
 * Spends a reset link: one conditional UPDATE marks it used (so two concurrent confirms cannot both
 * pass), then the new password and the end of every sign-in of the user go in one batch. Unknown,
 * used and expired links read alike (410). A second factor, if any, stays: sign-in still asks for it.
 */
export async function confirmPasswordReset(
  db: Db,
  input: PasswordResetConfirm,
  origin: RequestOrigin,
  now = Date.now(),
): Promise<void> {
  const passwordHash = await hashPassword(input.password);
  const spent = await db
    .update(passwordResets)
    .set({ usedAt: now })
    .where(
      and(
        eq(passwordResets.tokenHash, await sha256Hex(input.token)),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
      ),
    )
    .returning({ userId: passwordResets.userId });
  const userId = spent[0]?.userId;
  if (!userId) throw new ApiError("gone", "This reset link is unknown, already used or expired");
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, userId)),
    endAllSignInsStatement(db, userId, now),
    // Other links of the user die with this one: one reset per mailbox visit.
    db
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt))),
  ]);
  await auditInEveryOrg(
    db,
    userId,
    origin,
    { type: "user", id: userId },
    { action: "user.password_reset", targetType: "user", targetId: userId },
  );
}
