import { eq } from "drizzle-orm";
import type { PasswordChange } from "../contract/auth.ts";
import type { AuthSession } from "../contract/tenancy.ts";
import { hashPassword, verifyPassword } from "../crypto/password.ts";
import type { Db } from "../db/client.ts";
import { users } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { authSessionFor, type RequestOrigin, type UserRow } from "./accounts.ts";
import { endAllSignInsStatement, type SignInMethod } from "./sign-ins.ts";
import type { AuthTokenSettings } from "./token.ts";

/**
 * A new password ends every sign-in of the user (a stolen token dies with the old password) in the
 * same batch as the hash update, then opens a fresh sign-in for the caller so the dashboard stays in.
 * The fresh sign-in is as strong as the caller's (`how`: with TOTP or SSO if it was), so an org that
 * requires either does not shut out a person who just proved their password again.
 */
export async function changePassword(
  db: Db,
  tokens: AuthTokenSettings,
  origin: RequestOrigin,
  user: UserRow,
  input: PasswordChange,
  how: SignInMethod,
): Promise<AuthSession> {
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new ApiError("forbidden", "The current password is wrong");
  const passwordHash = await hashPassword(input.newPassword);
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, user.id)),
    endAllSignInsStatement(db, user.id),
  ]);
  return authSessionFor(db, tokens, origin, { ...user, passwordHash }, how);
}
