import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client.ts";
import { apiKeys } from "../db/schema/tenancy.ts";
import { ownerOf } from "./api-key-cache.ts";
import { findMember } from "./repository.ts";

/**
 * Whether a principal named in a credential minted earlier (a room token) may still act in `orgId`:
 * a user still a member; a key not revoked or expired whose owner is still a member. Read from D1,
 * not the key cache, because this is asked once per connection, not per request.
 */
export async function principalIsActive(
  db: Db,
  orgId: string,
  kind: "user" | "api_key",
  id: string,
  now = Date.now(),
): Promise<boolean> {
  if (kind === "user") return (await findMember(db, orgId, id)) !== null;
  const rows = await db
    .select({ revokedAt: apiKeys.revokedAt, expiresAt: apiKeys.expiresAt, createdBy: apiKeys.createdBy })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)))
    .limit(1);
  const key = rows[0];
  if (!key || key.revokedAt !== null || (key.expiresAt !== null && key.expiresAt <= now)) return false;
  const owner = await ownerOf(db, orgId, key.createdBy);
  return owner !== null && (await findMember(db, orgId, owner)) !== null;
}
