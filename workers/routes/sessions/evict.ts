import { and, eq } from "drizzle-orm";
import { sessions } from "../../../shared/db/schema/sessions.ts";
import type { Services } from "../../services.ts";

/**
 * Tells every live room of the organisation (its active sessions) to close the sockets of these
 * principals with 4403 (docs/room-protocol.md). Called after a member is removed or a key revoked;
 * new connections are refused at admission (shared/sessions/live.ts), this ends the open ones.
 */
export async function evictFromRooms(services: Services, orgId: string, actorIds: string[], reason: string) {
  if (actorIds.length === 0) return;
  const active = await services.db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.orgId, orgId), eq(sessions.status, "active")));
  await Promise.all(
    active.map(async ({ id }) => {
      try {
        await services.rooms.get(services.rooms.idFromName(id)).evict(actorIds, reason);
      } catch (error) {
        services.logger.error("room eviction failed", { sessionId: id, error: String(error) });
      }
    }),
  );
}
