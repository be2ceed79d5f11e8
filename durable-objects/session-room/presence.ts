import type { PresenceEntry, RoomFrame } from "../../shared/contract/room.ts";
import type { RoomActor } from "../../shared/sessions/room.ts";

/** Presence changes are coalesced: with 200 joins a frame per join would be 40 000 sends. */
const PRESENCE_DEBOUNCE_MS = 40;

/** Per-socket identity, kept with the socket across hibernation (namespaced, small). */
export type Attachment = { room: RoomActor & { focus?: string } };

export function attachmentOf(ws: WebSocket): Attachment | null {
  const a = ws.deserializeAttachment() as Attachment | null;
  return a && typeof a === "object" && a.room ? a : null;
}

export function attach(ws: WebSocket, actor: RoomActor & { focus?: string }) {
  ws.serializeAttachment({ room: actor } satisfies Attachment);
}

/** Each connected actor once (several tabs of one user are one entry), with their latest known focus. */
export function presenceOf(sockets: WebSocket[]): PresenceEntry[] {
  const byId = new Map<string, PresenceEntry>();
  for (const ws of sockets) {
    if (ws.readyState !== WebSocket.OPEN) continue;
    const a = attachmentOf(ws);
    if (!a) continue;
    const { id, name, role, focus } = a.room;
    const prev = byId.get(id);
    byId.set(id, {
      id,
      name,
      role,
      ...((focus ?? prev?.focus) !== undefined ? { focus: focus ?? prev?.focus } : {}),
    });
  }
  return [...byId.values()];
}

/** Broadcasts the presence list once per burst of joins, leaves and focus changes. */
export class PresenceBroadcaster {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly sockets: () => WebSocket[];
  private readonly broadcast: (frame: string) => void;

  constructor(sockets: () => WebSocket[], broadcast: (frame: string) => void) {
    this.sockets = sockets;
    this.broadcast = broadcast;
  }

  schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      const frame: RoomFrame = { type: "presence", participants: presenceOf(this.sockets()) };
      this.broadcast(JSON.stringify(frame));
    }, PRESENCE_DEBOUNCE_MS);
  }
}
