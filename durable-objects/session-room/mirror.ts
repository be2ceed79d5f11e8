import { auditedBatch } from "../../shared/audit/repository.ts";
import type { Db } from "../../shared/db/client.ts";
import type { Logger } from "../../shared/logger.ts";
import { mirrorStatements, type StoredEvent } from "../../shared/sessions/repository.ts";
import type { RoomInfo } from "../../shared/sessions/room.ts";
import type { EventLog } from "./event-log.ts";

/** Mirror retry when D1 is unavailable; the alarm survives eviction. */
const MIRROR_RETRY_MS = 2_000;
const MIRROR_CHUNK = 50;

export type MirrorDeps = {
  log: EventLog;
  db: () => Db;
  /** The session the room is bound to (null before its first call). */
  info: () => RoomInfo | null;
  setAlarm: (at: number) => Promise<void>;
  logger: Logger;
};

/**
 * Copies the room's log into D1 (`session_events`, `session_findings`) behind a watermark. A failed
 * write sets an alarm that retries, so the D1 timeline catches up even after an eviction.
 */
export class D1Mirror {
  /** Every event up to this seq is in D1. */
  mirroredSeq: number;
  private flushing: Promise<void> | null = null;
  private readonly deps: MirrorDeps;

  constructor(deps: MirrorDeps, mirroredSeq: number) {
    this.deps = deps;
    this.mirroredSeq = mirroredSeq;
  }

  /**
   * Copies events above the watermark into D1. One flush at a time; callers arriving during a flush
   * share it (its loop also covers their event). On failure an alarm retries later.
   */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = (async () => {
        try {
          const info = this.deps.info();
          while (info && this.mirroredSeq < this.deps.log.lastSeq) await this.flushChunk(info);
        } catch (error) {
          this.deps.logger.error("room mirror failed", { error: String(error) });
          await this.deps.setAlarm(Date.now() + MIRROR_RETRY_MS);
          throw error;
        } finally {
          this.flushing = null;
        }
      })();
    }
    return this.flushing;
  }

  private async flushChunk(info: RoomInfo) {
    const rows = this.deps.log.storedAfter(this.mirroredSeq, MIRROR_CHUNK);
    // A finding closes its chunk so its audit row names the tester who raised it.
    const findingAt = rows.findIndex((r) => r.kind === "finding");
    const events = findingAt >= 0 ? rows.slice(0, findingAt + 1) : rows;
    try {
      await writeChunk(this.deps.db(), info, events, findingAt >= 0 ? events.at(-1)! : null);
    } catch (error) {
      // The session row is gone (its project was deleted): nothing will ever mirror; stop trying.
      if (!String((error as { cause?: unknown })?.cause ?? error).includes("FOREIGN KEY constraint failed"))
        throw error;
      this.deps.logger.warn("room mirror dropped: session deleted", { ...info });
    }
    this.mirroredSeq = events.at(-1)!.seq;
    this.deps.log.saveMirroredSeq(this.mirroredSeq);
  }
}

/** One chunk of events into D1; a chunk ending in a finding is written with its audit entry. */
async function writeChunk(db: Db, info: RoomInfo, events: StoredEvent[], finding: StoredEvent | null) {
  if (!finding) {
    const [first, ...rest] = mirrorStatements(db, info.orgId, info.sessionId, events);
    await db.batch([first!, ...rest]);
    return;
  }
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
}
