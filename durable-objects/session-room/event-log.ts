import type { Actor, RoomEvent, RoomEventKind } from "../../shared/contract/room.ts";
import type { StoredEvent } from "../../shared/sessions/repository.ts";
import type { RoomActor, RoomInfo } from "../../shared/sessions/room.ts";

/** An event as a row of the room's SQLite `events` table. */
type EventRow = {
  seq: number;
  kind: string;
  actor_id: string;
  actor_type: string;
  actor_name: string;
  at: number;
  data: string;
};

/**
 * The room's durable state in its own SQLite storage: the event log with a gap-free, monotonic `seq`,
 * and a small key/value `meta` table (which session the room is, whether it ended, the mirror
 * watermark). Everything is re-read in the constructor, so an evicted room resumes where it was.
 */
export class EventLog {
  private readonly sql: SqlStorage;
  /** The seq of the newest event (0 when empty). */
  lastSeq = 0;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      actor_id TEXT NOT NULL,
      actor_type TEXT NOT NULL,
      actor_name TEXT NOT NULL,
      at INTEGER NOT NULL,
      data TEXT NOT NULL
    )`);
    sql.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    this.lastSeq = sql.exec<{ s: number | null }>("SELECT max(seq) AS s FROM events").one().s ?? 0;
  }

  /** The stored room state: its session (once bound), whether it ended, and the mirror watermark. */
  readMeta(): { info: RoomInfo | null; ended: boolean; mirroredSeq: number } {
    const meta = new Map<string, string>();
    for (const row of this.sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta")) {
      meta.set(row.key, row.value);
    }
    const orgId = meta.get("org_id");
    const sessionId = meta.get("session_id");
    return {
      info: orgId && sessionId ? { orgId, sessionId } : null,
      ended: meta.get("ended") === "1",
      mirroredSeq: Number(meta.get("mirrored_seq") ?? 0),
    };
  }

  saveInfo(info: RoomInfo) {
    this.sql.exec(
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('org_id', ?), ('session_id', ?)",
      info.orgId,
      info.sessionId,
    );
  }

  saveEnded() {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('ended', '1')");
  }

  saveMirroredSeq(seq: number) {
    this.sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('mirrored_seq', ?)", String(seq));
  }

  /** Appends one event with the next seq (synchronous: the caller broadcasts in the same turn). */
  append(kind: RoomEventKind, actor: RoomActor, data: Record<string, unknown>, at = Date.now()): RoomEvent {
    const seq = this.lastSeq + 1;
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
    return { type: "event", seq, kind, actor: actorOut, at, data };
  }

  /** Every event after `seq`, oldest first, as frames (a reconnect's replay). */
  *framesAfter(seq: number): Generator<RoomEvent> {
    for (const row of this.sql.exec<EventRow>("SELECT * FROM events WHERE seq > ? ORDER BY seq", seq)) {
      yield toFrame(row);
    }
  }

  /** Up to `limit` events after `seq`, oldest first, as the D1 mirror stores them. */
  storedAfter(seq: number, limit: number): StoredEvent[] {
    return this.sql
      .exec<EventRow>("SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit)
      .toArray()
      .map((r) => ({
        seq: r.seq,
        kind: r.kind,
        actorId: r.actor_id,
        actorType: r.actor_type as StoredEvent["actorType"],
        actorName: r.actor_name,
        at: r.at,
        data: JSON.parse(r.data) as Record<string, unknown>,
      }));
  }

  /** The kind of the event with this seq, or null when there is none. */
  kindOf(seq: number): string | null {
    return (
      this.sql.exec<{ kind: string }>("SELECT kind FROM events WHERE seq = ?", seq).toArray()[0]?.kind ?? null
    );
  }

  /** How many of these (distinct) seqs are step events. */
  countSteps(seqs: number[]): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM events WHERE kind = 'step' AND seq IN (${seqs.map(() => "?").join(",")})`,
        ...seqs,
      )
      .one().n;
  }
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
