import type { RoomEvent } from "../contract/room.ts";
import type { EventsPage, SessionParticipant } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { listEvents, listParticipants, type SessionRow, upsertParticipant } from "./repository.ts";
import { appendedOrThrow, type RoomActor, type RoomDirectory } from "./room.ts";
import { requireActive, requireSession } from "./service.ts";

/**
 * Events with seq > since from the D1 mirror, oldest first. `nextSince` is the seq to pass next time:
 * the last one returned, or `since` when nothing is new.
 */
export async function readTimeline(
  db: Db,
  orgId: string,
  sessionId: string,
  since: number,
  limit: number,
): Promise<EventsPage> {
  await requireSession(db, orgId, sessionId);
  const items = await listEvents(db, orgId, sessionId, since, limit);
  return { items, nextSince: items.at(-1)?.seq ?? since };
}

/**
 * Posts an event through the live room (so seq stays monotonic and connected clients see it) and
 * records the poster as a participant.
 */
export async function postEvent(
  db: Db,
  rooms: RoomDirectory,
  session: SessionRow,
  actor: RoomActor,
  message: unknown,
): Promise<RoomEvent> {
  requireActive(session);
  const event = appendedOrThrow(await rooms(session).append(actor, message));
  await upsertParticipant(db, session.orgId, session.id, {
    actorId: actor.id,
    name: actor.name,
    role: actor.role,
  });
  return event;
}

/** Everyone who joined the session, with who is connected right now (an ended room has nobody). */
export async function listSessionParticipants(
  db: Db,
  rooms: RoomDirectory,
  session: SessionRow,
): Promise<SessionParticipant[]> {
  const [rows, online] = await Promise.all([
    listParticipants(db, session.orgId, session.id),
    session.status === "active" ? rooms(session).online() : Promise.resolve([]),
  ]);
  const live = new Map(online.map((p) => [p.id, p]));
  return rows.map((p) => ({
    id: p.actorId,
    name: p.name,
    role: p.role,
    online: live.has(p.actorId),
    focus: live.get(p.actorId)?.focus ?? null,
    firstSeenAt: p.firstSeenAt,
    lastSeenAt: p.lastSeenAt,
  }));
}
