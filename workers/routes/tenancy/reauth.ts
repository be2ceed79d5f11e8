import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { UserRow } from "../../../shared/auth/accounts.ts";
import { confirmIdentity } from "../../../shared/auth/mfa.ts";
import type { IdentityCheck } from "../../../shared/contract/auth.ts";
import { signIns } from "../../../shared/db/schema/auth.ts";
import { ApiError } from "../../../shared/errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { chargePasswordCheck } from "./auth.ts";

/**
 * The signed-in user behind the request; an API key cannot do what needs a person, and is refused
 * with a 403 whose detail is `refusal`.
 */
export function signedInUser(
  c: Context<HonoEnv>,
  refusal = "Only a signed-in user can do this, not an API key",
): string {
  const { userId } = c.get("principal");
  if (!userId) throw new ApiError("forbidden", refusal);
  return userId;
}

/**
 * Re-authenticates the signed-in user before an irreversible action (docs/data-lifecycle.md): the
 * check is charged to the sign-in brakes like a password check, and the sign-in in use is read for
 * the SSO-only rule of `confirmIdentity`.
 */
export async function reauthenticate(c: Context<HonoEnv>, input: IdentityCheck): Promise<UserRow> {
  const userId = signedInUser(c);
  const { db, config } = c.get("services");
  const { user, attempt } = await chargePasswordCheck(c, userId);
  const sid = c.get("principal").signInId;
  const rows = sid
    ? await db
        .select({ id: signIns.id, createdAt: signIns.createdAt, method: signIns.method })
        .from(signIns)
        .where(eq(signIns.id, sid))
        .limit(1)
    : [];
  await confirmIdentity(db, config.encryptionKey, user, input, rows[0] ?? null);
  await attempt.succeeded();
  return user;
}
