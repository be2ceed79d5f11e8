import { DurableObject } from "cloudflare:workers";
import {
  CLOSE_CODES,
  type EventMessage,
  eventMessage,
  type PresenceEntry,
  type RoomErrorCode,
  type RoomEvent,
  type RoomEventKind,
  type RoomFrame,
} from "../shared/contract/room.ts";
import { createDb } from "../shared/db/client.ts";
import { jsonLogger } from "../shared/logger.ts";
import {
  type AppendResult,
  describeIssues,
  ROOM_IDENTITY_HEADER,
  type RoomActor,
  type RoomInfo,
  type RoomJoin,
} from "../shared/sessions/room.ts";
import { eventDataFor } from "./session-room/append.ts";
import { EventLog } from "./session-room/event-log.ts";
import { FrameBudget, parseFrame, RATE_LIMITED } from "./session-room/frames.ts";
import { D1Mirror } from "./session-room/mirror.ts";
import { attach, attachmentOf, PresenceBroadcaster, presenceOf } from "./session-room/presence.ts";

/** The bindings a room uses: D1, where it mirrors its event log. */
export type SessionRoomEnv = { DB: D1Database };

const ENDED: AppendResult = { ok: false, code: "session_ended", message: "The session has ended" };

/**
 * One live manual-testing room per session (docs/room-protocol.md).
 *
 * - WebSocket Hibernation API: sockets are accepted with `ctx.acceptWebSocket`, identity lives in the
 *   socket attachment, and everything else (seq, meta) is re-read from SQLite in the constructor, so an
 *   evicted or hibernated room resumes exactly where it was. Text `ping` is answered with `pong` by the
 *   runtime without waking the object.
 * - The event log (session-room/event-log.ts) lives in the object's SQLite storage with a gap-free,
 *   monotonic `seq`. The write and the broadcast happen in one synchronous turn, so no client can observe
 *   seq n+1 before n, and a reconnecting client that asks for `since` gets every later event from the log.
 * - The log is mirrored to D1 behind a watermark (session-room/mirror.ts); a failed mirror write is
 *   retried by an alarm, so the D1 timeline catches up even after an eviction.
 */
export class SessionRoom extends DurableObject<SessionRoomEnv> {
  private readonly log: EventLog;
  private readonly mirror: D1Mirror;
  private readonly presence: PresenceBroadcaster;
  private readonly budget = new FrameBudget();
  private info: RoomInfo | null;
  private ended: boolean;

  constructor(ctx: DurableObjectState, env: SessionRoomEnv) {
    super(ctx, env);
    this.log = new EventLog(ctx.storage.sql);
    const meta = this.log.readMeta();
    this.info = meta.info;
    this.ended = meta.ended;
    this.mirror = new D1Mirror(
      {
        log: this.log,
        db: () => createDb(env.DB),
        info: () => this.info,
        setAlarm: (at) => ctx.storage.setAlarm(at),
        logger: jsonLogger(),
      },
      meta.mirroredSeq,
    );
    this.presence = new PresenceBroadcaster(
      () => ctx.getWebSockets(),
      (frame) => this.broadcast(frame),
    );
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  // ---- RPC (called by the Worker's routes) -------------------------------------------------------

  /** The HTTP twin of a WebSocket message (POST /sessions/{id}/events): same checks, same broadcast. */
  async append(info: RoomInfo, actor: RoomActor, message: unknown): Promise<AppendResult> {
    const bound = this.bind(info);
    if (bound) return bound;
    const parsed = eventMessage.safeParse(message);
    if (!parsed.success)
      return { ok: false, code: "validation_failed", message: describeIssues(parsed.error) };
    const result = this.appendMessage(actor, parsed.data);
    if (result.ok) await this.mirror.flush().catch(() => undefined);
    return result;
  }

  /** A room-written event (kind "screenshot"): clients cannot send these kinds. */
  async appendSystemEvent(
    info: RoomInfo,
    actor: RoomActor,
    kind: "screenshot",
    data: Record<string, unknown>,
  ): Promise<AppendResult> {
    const bound = this.bind(info);
    if (bound) return bound;
    if (this.ended) return ENDED;
    const event = this.store(kind, actor, data);
    await this.mirror.flush().catch(() => undefined);
    return { ok: true, event };
  }

  /** Ends the room: `{type:"ended"}` to everyone, then every socket is closed. Idempotent. */
  async end(info: RoomInfo): Promise<{ lastSeq: number }> {
    const bound = this.bind(info);
    if (bound) throw new Error(bound.message);
    if (!this.ended) {
      this.ended = true;
      this.log.saveEnded();
    }
    const frame = JSON.stringify({ type: "ended" } satisfies RoomFrame);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
        ws.close(1000, "session ended");
      } catch {
        // already closing
      }
    }
    await this.mirror.flush().catch(() => undefined);
    return { lastSeq: this.log.lastSeq };
  }

  /**
   * Closes every socket of these principals (user or API key ids) with 4403: they were removed from
   * the organisation or their key was revoked. Sockets are tagged with their actor id at accept.
   */
  evict(actorIds: string[], reason: string): { closed: number } {
    let closed = 0;
    const frame = JSON.stringify({ type: "error", code: "forbidden", message: reason });
    for (const id of actorIds) {
      for (const ws of this.ctx.getWebSockets(id)) {
        try {
          ws.send(frame);
          ws.close(CLOSE_CODES.revoked, reason.slice(0, 120));
          closed++;
        } catch {
          // already closing
        }
      }
    }
    if (closed > 0) this.presence.schedule();
    return { closed };
  }

  /** Who is connected right now (for GET …/participants). */
  online(): PresenceEntry[] {
    return presenceOf(this.ctx.getWebSockets());
  }

  /** Seq state, for tests and diagnostics. */
  state(): { lastSeq: number; mirroredSeq: number; ended: boolean; connections: number } {
    return {
      lastSeq: this.log.lastSeq,
      mirroredSeq: this.mirror.mirroredSeq,
      ended: this.ended,
      connections: this.ctx.getWebSockets().length,
    };
  }

  // ---- WebSocket upgrade (the one thing that goes through fetch) ---------------------------------

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    const raw = request.headers.get(ROOM_IDENTITY_HEADER);
    const join = raw ? (JSON.parse(raw) as RoomJoin) : null;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const refuse = (code: RoomErrorCode, message: string, closeCode: number) => {
      server.accept();
      server.send(JSON.stringify({ type: "error", code, message } satisfies RoomFrame));
      server.close(closeCode, message.slice(0, 120));
      return new Response(null, { status: 101, webSocket: client });
    };
    if (!join) return refuse("unauthenticated", "No identity", CLOSE_CODES.unauthenticated);
    const bound = this.bind(join);
    if (bound) return refuse("not_found", bound.message, CLOSE_CODES.notFound);
    if (this.ended) return refuse("session_ended", "The session has ended", CLOSE_CODES.gone);

    const { actor } = join;
    this.ctx.acceptWebSocket(server, [actor.id]);
    attach(server, { id: actor.id, type: actor.type, name: actor.name, role: actor.role });
    // Replay in the same synchronous turn as the accept: nothing can be appended in between, so the
    // client sees every event after `since` exactly once, in order, then the live ones.
    if (join.since !== null) {
      for (const event of this.log.framesAfter(join.since)) server.send(JSON.stringify(event));
    }
    this.presence.schedule();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const me = attachmentOf(ws);
    if (!me) return ws.close(CLOSE_CODES.unauthenticated, "no identity");
    if (!this.budget.take(ws)) return sendError(ws, RATE_LIMITED.code, RATE_LIMITED.message);
    const parsed = parseFrame(message);
    if ("refusal" in parsed) return sendError(ws, parsed.refusal.code, parsed.refusal.message);
    const { frame } = parsed;
    if (frame.type === "presence") {
      attach(ws, { ...me.room, focus: frame.focus });
      this.presence.schedule();
      return;
    }
    const result = this.appendMessage(me.room, frame);
    if (!result.ok) return sendError(ws, result.code, result.message);
    this.mirror.flush().catch(() => undefined);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.budget.forget(ws);
    try {
      // 1005/1006 are reserved (not sendable); answer those with a normal close.
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed
    }
    this.presence.schedule();
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.budget.forget(ws);
    this.presence.schedule();
  }

  override async alarm(): Promise<void> {
    await this.mirror.flush().catch(() => undefined);
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Pins the room to its session on first use; refuses a call for another session. */
  private bind(info: RoomInfo): { ok: false; code: "not_found"; message: string } | null {
    if (!this.info) {
      this.info = { orgId: info.orgId, sessionId: info.sessionId };
      this.log.saveInfo(this.info);
      return null;
    }
    if (this.info.orgId !== info.orgId || this.info.sessionId !== info.sessionId) {
      return { ok: false, code: "not_found", message: "This room belongs to another session" };
    }
    return null;
  }

  private appendMessage(actor: RoomActor, message: EventMessage): AppendResult {
    if (this.ended) return ENDED;
    const checked = eventDataFor(this.log, actor, message);
    if ("refusal" in checked) return { ok: false, ...checked.refusal };
    return { ok: true, event: this.store(message.type, actor, checked.data) };
  }

  /** Appends one event to the log and broadcasts it, in one synchronous turn (ordering guarantee). */
  private store(kind: RoomEventKind, actor: RoomActor, data: Record<string, unknown>): RoomEvent {
    const event = this.log.append(kind, actor, data);
    this.broadcast(JSON.stringify(event));
    return event;
  }

  private broadcast(frame: string) {
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(frame);
      } catch {
        // a socket that is closing; its close handler cleans up
      }
    }
  }
}

function sendError(ws: WebSocket, code: RoomErrorCode, message: string) {
  try {
    ws.send(JSON.stringify({ type: "error", code, message } satisfies RoomFrame));
  } catch {
    // closing
  }
}
