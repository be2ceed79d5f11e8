import { eq } from "drizzle-orm";
import type { PasswordChange } from "../contract/auth.ts";
import type { AuthSession } from "../contract/tenancy.ts";
import { hashPassword, verifyPassword } from "../crypto/password.ts";
import type { Db } from "../db/client.ts";
import { users } from "../db/schema/tenancy.ts";
import { ApiError } from "../errors.ts";
import { findUser } from "../tenancy/memberships.ts";
import { authSessionFor, type RequestOrigin } from "./accounts.ts";
import { endAllSignInsStatement } from "./sign-ins.ts";
import type { AuthTokenSettings } from "./token.ts";

/**
 * A new password ends every sign-in of the user (a stolen token dies with the old password) in the
 * same batch as the hash update, then opens a fresh sign-in for the caller so the dashboard stays in.
 */
export async function changePassword(
  db: Db,
  tokens: AuthTokenSettings,
  origin: RequestOrigin,
  userId: string,
  input: PasswordChange,
): Promise<AuthSession> {
  const user = await findUser(db, userId);
  if (!user) throw new ApiError("unauthenticated", "The session's user no longer exists");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash)))
    throw new ApiError("forbidden", "The current password is wrong");
  const passwordHash = await hashPassword(input.newPassword);
  await db.batch([
    db.update(users).set({ passwordHash }).where(eq(users.id, userId)),
    endAllSignInsStatement(db, userId),
  ]);
  return authSessionFor(db, tokens, origin, { ...user, passwordHash });
}
