import type { Context } from "hono";
import type { SessionRoom } from "../../../durable-objects/session-room.ts";
import { actorName, type SessionRow } from "../../../shared/sessions/repository.ts";
import {
  type AppendResult,
  ROOM_IDENTITY_HEADER,
  type RoomActor,
  type RoomDirectory,
  type RoomInfo,
  roomRoleFor,
  type SessionRoomClient,
} from "../../../shared/sessions/room.ts";
import type { HonoEnv } from "../../hono-env.ts";

/** The rooms of the request's services: one SessionRoom Durable Object per session id. */
export function roomsOf(c: Context<HonoEnv>): RoomDirectory {
  return roomDirectory(c.get("services").rooms);
}

export function roomDirectory(namespace: DurableObjectNamespace<SessionRoom>): RoomDirectory {
  return (session) => {
    const stub = namespace.get(namespace.idFromName(session.id));
    const info: RoomInfo = { orgId: session.orgId, sessionId: session.id };
    return roomClient(stub, info);
  };
}

function roomClient(stub: DurableObjectStub<SessionRoom>, info: RoomInfo): SessionRoomClient {
  return {
    // RPC results lose their discriminant in the stub types; the shape is AppendResult.
    append: async (actor, message) => (await stub.append(info, actor, message)) as AppendResult,
    appendScreenshot: async (actor, data) =>
      (await stub.appendSystemEvent(info, actor, "screenshot", data)) as AppendResult,
    end: async () => {
      await stub.end(info);
    },
    online: async () => stub.online(),
    join: async ({ actor, since }) => {
      const res = await stub.fetch(
        new Request("https://room.internal/live", {
          headers: {
            upgrade: "websocket",
            [ROOM_IDENTITY_HEADER]: JSON.stringify({ ...info, since, actor }),
          },
        }),
      );
      // A response from a stub has immutable headers; the middleware chain adds its own.
      return new Response(null, { status: res.status, webSocket: res.webSocket });
    },
  };
}

/** The caller as the room sees them: display name and room role in this session. */
export async function roomActorOf(c: Context<HonoEnv>, session: SessionRow): Promise<RoomActor> {
  const principal = c.get("principal");
  return {
    id: principal.actorId,
    type: principal.kind,
    name: await actorName(c.get("services").db, principal.kind, principal.actorId),
    role: roomRoleFor(session, principal),
  };
}
