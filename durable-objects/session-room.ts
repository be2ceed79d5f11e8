import { DurableObject } from "cloudflare:workers";
import { auditedBatch } from "../shared/audit/repository.ts";
import { createDb } from "../shared/db/client.ts";
import { newId } from "../shared/ids.ts";
import {
  ALLOWED_BY_ROLE,
  type Actor,
  CLOSE_CODES,
  clientFrame,
  describeIssues,
  type EventMessage,
  eventData,
  eventMessage,
  MAX_FRAME_BYTES,
  MESSAGE_BURST,
  MESSAGE_RATE_PER_SECOND,
  type PresenceEntry,
  type RoomErrorCode,
  type RoomEvent,
  type RoomEventKind,
  type RoomFrame,
  type RoomRole,
} from "../shared/sessions/protocol.ts";
import { mirrorStatements, type StoredEvent } from "../shared/sessions/repository.ts";

/** Which session this room is (set by the first call; every later call must agree). */
export type RoomInfo = { orgId: string; sessionId: string };

/** Who is acting: resolved by the Worker from an API credential or a verified room token. */
export type RoomActor = { id: string; type: "user" | "api_key"; name: string; role: RoomRole };

export type AppendResult =
  | { ok: true; event: RoomEvent }
  | { ok: false; code: RoomErrorCode; message: string };

/** Per-socket identity, kept with the socket across hibernation (namespaced, small). */
type Attachment = {
  room: { id: string; type: "user" | "api_key"; name: string; role: RoomRole; focus?: string };
};

type EventRow = {
  seq: number;
  kind: string;
  actor_id: string;
  actor_type: string;
  actor_name: string;
  at: number;
  data: string;
};

/** Header the Worker uses to hand the verified identity to the room (the DO is not reachable otherwise). */
export const ROOM_IDENTITY_HEADER = "x-shifty-room-identity";
/** Presence changes are coalesced: with 200 joins a frame per join would be 40 000 sends. */
const PRESENCE_DEBOUNCE_MS = 40;
/** Mirror retry when D1 is unavailable; the alarm survives eviction. */
const MIRROR_RETRY_MS = 2_000;
const MIRROR_CHUNK = 50;

/**
 * One live manual-testing room per session (DESIGN §6, §6a; docs/room-protocol.md).
 *
 * - WebSocket Hibernation API: sockets are accepted with `ctx.acceptWebSocket`, identity lives in the
 *   socket attachment, and everything else (seq, meta) is re-read from SQLite in the constructor, so an
 *   evicted or hibernated room resumes exactly where it was. Text `ping` is answered with `pong` by the
 *   runtime without waking the object.
 * - The event log lives in the object's SQLite storage with a gap-free, monotonic `seq`. The write and
 *   the broadcast happen in one synchronous turn, so no client can observe seq n+1 before n, and a
 *   reconnecting client that asks for `since` gets every later event from this log.
 * - The log is mirrored to D1 (`session_events`, `session_findings`) behind a watermark; a failed mirror
 *   write is retried by an alarm, so the D1 timeline catches up even after an eviction.
 */
/** The bindings a room uses: D1, where it mirrors its event log. */
export type SessionRoomEnv = { DB: D1Database };

export class SessionRoom extends DurableObject<SessionRoomEnv> {
  private readonly sql: SqlStorage;
  private info: RoomInfo | null = null;
  private ended = false;
  private lastSeq = 0;
  private mirroredSeq = 0;
  private mirroring: Promise<void> | null = null;
  private presenceTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly buckets = new Map<WebSocket, { tokens: number; at: number }>();

  constructor(ctx: DurableObjectState, env: SessionRoomEnv) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      actor_name TEXT NOT NULL,
      at INTEGER NOT NULL,
      data TEXT NOT NULL
    )`);
    this.sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const meta = new Map<string, string>();
    for (const row of this.sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta")) {
      meta.set(row.key, row.value);
    }
    const orgId = meta.get("org_id");
    const sessionId = meta.get("session_id");
    if (orgId && sessionId) this.info = { orgId, sessionId };
    this.ended = meta.get("ended") === "1";
    this.mirroredSeq = Number(meta.get("mirrored_seq") ?? 0);
    this.lastSeq = this.sql.exec<{ s: number | null }>("SELECT max(seq) AS s FROM events").one().s ?? 0;
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
    if (result.ok) await this.mirror().catch(() => undefined);
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
    if (this.ended) return { ok: false, code: "session_ended", message: "The session has ended" };
    const event = this.store(kind, actor, data);
    await this.mirror().catch(() => undefined);
    return { ok: true, event };
  }

  /** Ends the room: `{type:"ended"}` to everyone, then every socket is closed. Idempotent. */
  async end(info: RoomInfo): Promise<{ lastSeq: number }> {
    const bound = this.bind(info);
    if (bound) throw new Error(bound.message);
    if (!this.ended) {
      this.ended = true;
      this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('ended', '1')");
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
    await this.mirror().catch(() => undefined);
    return { lastSeq: this.lastSeq };
  }

  /** Who is connected right now (for GET …/participants). */
  online(): PresenceEntry[] {
    return this.presence();
  }

  /** Seq state, for tests and diagnostics. */
  state(): { lastSeq: number; mirroredSeq: number; ended: boolean; connections: number } {
    return {
      lastSeq: this.lastSeq,
      mirroredSeq: this.mirroredSeq,
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
    const identity = raw ? (JSON.parse(raw) as RoomInfo & { actor: RoomActor; since: number | null }) : null;
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    const refuse = (code: RoomErrorCode, message: string, closeCode: number) => {
      server.accept();
      server.send(JSON.stringify({ type: "error", code, message } satisfies RoomFrame));
      server.close(closeCode, message.slice(0, 120));
      return new Response(null, { status: 101, webSocket: client });
    };
    if (!identity) return refuse("unauthenticated", "No identity", CLOSE_CODES.unauthenticated);
    const bound = this.bind(identity);
    if (bound) return refuse("not_found", bound.message, CLOSE_CODES.notFound);
    if (this.ended) return refuse("session_ended", "The session has ended", CLOSE_CODES.gone);

    const { actor } = identity;
    this.ctx.acceptWebSocket(server, [actor.id]);
    server.serializeAttachment({
      room: { id: actor.id, type: actor.type, name: actor.name, role: actor.role },
    } satisfies Attachment);
    // Replay in the same synchronous turn as the accept: nothing can be appended in between, so the
    // client sees every event after `since` exactly once, in order, then the live ones.
    if (identity.since !== null) {
      for (const row of this.sql.exec<EventRow>(
        "SELECT * FROM events WHERE seq > ? ORDER BY seq",
        identity.since,
      )) {
        server.send(JSON.stringify(toFrame(row)));
      }
    }
    this.schedulePresence();
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const me = attachmentOf(ws);
    if (!me) return ws.close(CLOSE_CODES.unauthenticated, "no identity");
    if (!this.takeToken(ws)) {
      return this.sendError(ws, "rate_limited", `At most ${MESSAGE_RATE_PER_SECOND} messages per second`);
    }
    if (typeof message !== "string") return this.sendError(ws, "unsupported_frame", "Send JSON text frames");
    // length is UTF-16 units; ×3 bounds the UTF-8 size without encoding every frame.
    if (message.length > MAX_FRAME_BYTES && new TextEncoder().encode(message).byteLength > MAX_FRAME_BYTES) {
      return this.sendError(ws, "too_large", `Frames are limited to ${MAX_FRAME_BYTES} bytes`);
    }
    let json: unknown;
    try {
      json = JSON.parse(message);
    } catch {
      return this.sendError(ws, "invalid_json", "The frame is not valid JSON");
    }
    const parsed = clientFrame.safeParse(json);
    if (!parsed.success) return this.sendError(ws, "validation_failed", describeIssues(parsed.error));
    const frame = parsed.data;
    if (frame.type === "presence") {
      ws.serializeAttachment({ room: { ...me.room, focus: frame.focus } } satisfies Attachment);
      this.schedulePresence();
      return;
    }
    const result = this.appendMessage(me.room, frame);
    if (!result.ok) return this.sendError(ws, result.code, result.message);
    this.mirror().catch(() => undefined);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.buckets.delete(ws);
    try {
      // 1005/1006 are reserved (not sendable); answer those with a normal close.
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // already closed
    }
    this.schedulePresence();
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.buckets.delete(ws);
    this.schedulePresence();
  }

  override async alarm(): Promise<void> {
    await this.mirror().catch(() => undefined);
  }

  // ---- internals ---------------------------------------------------------------------------------

  /** Pins the room to its session on first use; refuses a call for another session. */
  private bind(info: RoomInfo): { ok: false; code: "not_found"; message: string } | null {
    if (!this.info) {
      this.info = { orgId: info.orgId, sessionId: info.sessionId };
      this.sql.exec(
        "INSERT OR REPLACE INTO meta (key, value) VALUES ('org_id', ?), ('session_id', ?)",
        info.orgId,
        info.sessionId,
      );
      return null;
    }
    if (this.info.orgId !== info.orgId || this.info.sessionId !== info.sessionId) {
      return { ok: false, code: "not_found", message: "This room belongs to another session" };
    }
    return null;
  }

  private appendMessage(actor: RoomActor, message: EventMessage): AppendResult {
    if (this.ended) return { ok: false, code: "session_ended", message: "The session has ended" };
    if (!ALLOWED_BY_ROLE[actor.role].has(message.type)) {
      return {
        ok: false,
        code: "forbidden",
        message: `A ${actor.role} cannot send "${message.type}" messages`,
      };
    }
    const data = eventData(message);
    if (message.type === "answer") {
      const row = this.sql
        .exec<{ kind: string }>("SELECT kind FROM events WHERE seq = ?", message.promptSeq)
        .toArray()[0];
      if (row?.kind !== "prompt") {
        return { ok: false, code: "unknown_prompt", message: `Event #${message.promptSeq} is not a prompt` };
      }
    }
    if (message.type === "finding") {
      const seqs = [...new Set(message.stepSeqs ?? [])];
      if (seqs.length) {
        const found = this.sql
          .exec<{ n: number }>(
            `SELECT count(*) AS n FROM events WHERE kind = 'step' AND seq IN (${seqs.map(() => "?").join(",")})`,
            ...seqs,
          )
          .one().n;
        if (found !== seqs.length) {
          return { ok: false, code: "unknown_step", message: "stepSeqs must all be seqs of step events" };
        }
      }
      data.stepSeqs = seqs;
      data.findingId = newId("fnd");
    }
    return { ok: true, event: this.store(message.type, actor, data) };
  }

  /** Appends one event to the log and broadcasts it, in one synchronous turn (ordering guarantee). */
  private store(kind: RoomEventKind, actor: RoomActor, data: Record<string, unknown>): RoomEvent {
    const seq = this.lastSeq + 1;
    const at = Date.now();
    this.sql.exec(
      "INSERT INTO events (seq, kind, actor_id, actor_type, actor_name, at, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
      seq,
      kind,
      actor.id,
      actor.type,
      actor.name,
      at,
      JSON.stringify(data),
    );
    this.lastSeq = seq;
    const actorOut: Actor = { id: actor.id, name: actor.name };
    const event: RoomEvent = { type: "event", seq, kind, actor: actorOut, at, data };
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

  private sendError(ws: WebSocket, code: RoomErrorCode, message: string) {
    try {
      ws.send(JSON.stringify({ type: "error", code, message } satisfies RoomFrame));
    } catch {
      // closing
    }
  }

  /** Per-connection token bucket (in memory: a woken room starts every socket with a full bucket). */
  private takeToken(ws: WebSocket): boolean {
    const now = Date.now();
    const b = this.buckets.get(ws) ?? { tokens: MESSAGE_BURST, at: now };
    b.tokens = Math.min(MESSAGE_BURST, b.tokens + ((now - b.at) / 1000) * MESSAGE_RATE_PER_SECOND);
    b.at = now;
    this.buckets.set(ws, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private presence(except?: WebSocket): PresenceEntry[] {
    const byId = new Map<string, PresenceEntry>();
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except || ws.readyState !== WebSocket.OPEN) continue;
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

  private schedulePresence() {
    if (this.presenceTimer) return;
    this.presenceTimer = setTimeout(() => {
      this.presenceTimer = null;
      this.broadcast(JSON.stringify({ type: "presence", participants: this.presence() } satisfies RoomFrame));
    }, PRESENCE_DEBOUNCE_MS);
  }

  /**
   * Copies events above the watermark into D1. One flush at a time; callers arriving during a flush
   * share it (its loop also covers their event). On failure an alarm retries later.
   */
  private mirror(): Promise<void> {
    if (!this.mirroring) {
      this.mirroring = (async () => {
        try {
          while (this.info && this.mirroredSeq < this.lastSeq) await this.mirrorChunk(this.info);
        } catch (error) {
          console.error(JSON.stringify({ level: "error", msg: "room mirror failed", error: String(error) }));
          await this.ctx.storage.setAlarm(Date.now() + MIRROR_RETRY_MS);
          throw error;
        } finally {
          this.mirroring = null;
        }
      })();
    }
    return this.mirroring;
  }

  private async mirrorChunk(info: RoomInfo) {
    const rows = this.sql
      .exec<EventRow>(
        "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
        this.mirroredSeq,
        MIRROR_CHUNK,
      )
      .toArray();
    // A finding closes its chunk so its audit row names the tester who raised it.
    const findingAt = rows.findIndex((r) => r.kind === "finding");
    const chunk = findingAt >= 0 ? rows.slice(0, findingAt + 1) : rows;
    const events: StoredEvent[] = chunk.map((r) => ({
      seq: r.seq,
      kind: r.kind,
      actorId: r.actor_id,
      actorType: r.actor_type as StoredEvent["actorType"],
      actorName: r.actor_name,
      at: r.at,
      data: JSON.parse(r.data) as Record<string, unknown>,
    }));
    const db = createDb(this.env.DB);
    const finding = findingAt >= 0 ? events.at(-1)! : null;
    try {
      if (finding) {
        await auditedBatch(
          db,
          info.orgId,
          { actor: { type: finding.actorType === "api_key" ? "api_key" : "user", id: finding.actorId } },
          {
            action: "session.finding.create",
            targetType: "finding",
            targetId: String(finding.data.findingId),
            changes: {
              sessionId: info.sessionId,
              seq: finding.seq,
              severity: finding.data.severity,
              title: finding.data.title,
            },
          },
          () => mirrorStatements(db, info.orgId, info.sessionId, events) as [],
        );
      } else {
        const [first, ...rest] = mirrorStatements(db, info.orgId, info.sessionId, events);
        await db.batch([first!, ...rest]);
      }
    } catch (error) {
      // The session row is gone (its project was deleted): nothing will ever mirror; stop trying.
      if (!String((error as { cause?: unknown })?.cause ?? error).includes("FOREIGN KEY constraint failed"))
        throw error;
      console.error(JSON.stringify({ level: "warn", msg: "room mirror dropped: session deleted", ...info }));
    }
    this.mirroredSeq = events.at(-1)!.seq;
    this.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('mirrored_seq', ?)",
      String(this.mirroredSeq),
    );
  }
}

function attachmentOf(ws: WebSocket): Attachment | null {
  const a = ws.deserializeAttachment() as Attachment | null;
  return a && typeof a === "object" && a.room ? a : null;
}

function toFrame(row: EventRow): RoomEvent {
  return {
    type: "event",
    seq: row.seq,
    kind: row.kind as RoomEventKind,
    actor: { id: row.actor_id, name: row.actor_name },
    at: row.at,
    data: JSON.parse(row.data) as Record<string, unknown>,
  };
}
