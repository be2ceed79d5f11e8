import { and, desc, eq, gt, or, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn, SQLiteTable, SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import { type Db, isUniqueViolation } from "../db/client.ts";
import { requireInOrg, selectColumnsInOrg } from "../db/org-scoped.ts";
import { auditPersonal } from "../db/schema/lifecycle.ts";
import { auditLog } from "../db/schema/tenancy.ts";
import { newId } from "../ids.ts";
import { type AuditRecord, auditHash, GENESIS_HASH, maskSecrets } from "./chain.ts";
import { personalRowIsIntact, sealPersonal } from "./personal.ts";

export type AuditActor = { type: AuditRecord["actorType"]; id: string };

export type AuditContext = {
  actor: AuditActor;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
};

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId?: string | null;
  changes?: Record<string, unknown> | null;
};

const MAX_CHAIN_RETRIES = 40;

/**
 * Runs `statements` and the audit row for them in ONE D1 batch (atomic: both or neither).
 * The row's seq is last+1 under a UNIQUE(org_id, seq) index, so two concurrent writers cannot fork the
 * chain: the loser's whole batch rolls back and is retried on the new head.
 * `statements` is a function so every retry builds fresh statements.
 */
export async function auditedBatch<T extends BatchItem<"sqlite">[]>(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  entry: AuditEntry,
  statements: () => [...T],
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const head = await selectColumnsInOrg(db, { seq: auditLog.seq, hash: auditLog.hash }, auditLog, orgId)
      .orderBy(desc(auditLog.seq))
      .limit(1);
    const prevHash = head[0]?.hash ?? GENESIS_HASH;
    const plain: AuditRecord = {
      orgId,
      seq: (head[0]?.seq ?? 0) + 1,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      ip: ctx.ip ?? null,
      userAgent: ctx.userAgent?.slice(0, 512) ?? null,
      requestId: ctx.requestId ?? null,
      changes: entry.changes ? (maskSecrets(entry.changes) as Record<string, unknown>) : null,
      createdAt: Date.now(),
    };
    // Personal values leave the hashed record for references (shared/audit/personal.ts).
    const { record, personal } = await sealPersonal(plain, ctx.actor.type === "user" ? ctx.actor.id : null);
    const hash = await auditHash(prevHash, record);
    const insert = db
      .insert(auditLog)
      .values({ id: newId("aud", record.createdAt), ...record, prevHash, hash });
    const mapping = personal.length > 0 ? [db.insert(auditPersonal).values(personal)] : [];
    try {
      await db.batch([...statements(), insert, ...mapping] as unknown as [
        BatchItem<"sqlite">,
        ...BatchItem<"sqlite">[],
      ]);
      return;
    } catch (error) {
      if (attempt < MAX_CHAIN_RETRIES && isUniqueViolation(error, "audit_log")) {
        // Jittered backoff so a burst of writers to one org does not retry in lockstep.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 + attempt * 4)));
        continue;
      }
      throw error;
    }
  }
}

type OrgRowTable = SQLiteTable & { id: SQLiteColumn; orgId: SQLiteColumn };

/**
 * Deletes one of the org's rows and writes its audit row in the same batch. The tenant filter is part
 * of the statement, so another organisation's id deletes nothing.
 */
export function auditedDelete(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  table: OrgRowTable,
  id: string,
  entry: Omit<AuditEntry, "targetId">,
): Promise<void> {
  return auditedBatch(db, orgId, ctx, { ...entry, targetId: id }, () => [
    db.delete(table).where(and(eq(table.orgId, orgId), eq(table.id, id))),
  ]);
}

/**
 * Reads one of the org's rows (404 `what` when the id is not the org's), then deletes it with
 * `auditedDelete`; `entry` describes the deletion from the row it removes, which is returned.
 */
export async function deleteInOrg<T extends OrgRowTable & { $inferSelect: unknown }>(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  table: T,
  id: string,
  what: string,
  entry: (row: T["$inferSelect"]) => Omit<AuditEntry, "targetId">,
): Promise<T["$inferSelect"]> {
  const row = await requireInOrg(db, table, orgId, id, what);
  await auditedDelete(db, orgId, ctx, table, id, entry(row));
  return row;
}

/**
 * Deletes the project's row of a one-row-per-project table (its settings or an integration) and writes
 * its audit row (target: the project) in the same batch.
 */
export function auditedDeleteProjectRow(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  table: SQLiteTable & { orgId: SQLiteColumn; projectId: SQLiteColumn },
  projectId: string,
  entry: Omit<AuditEntry, "targetType" | "targetId">,
): Promise<void> {
  return auditedBatch(db, orgId, ctx, { ...entry, targetType: "project", targetId: projectId }, () => [
    db.delete(table).where(and(eq(table.orgId, orgId), eq(table.projectId, projectId))),
  ]);
}

/**
 * Updates one of the org's rows (`set`) and writes its audit row (target: that row) in the same batch;
 * as with `auditedDelete`, another organisation's id updates nothing.
 */
export function auditedUpdate<T extends OrgRowTable>(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  table: T,
  id: string,
  set: SQLiteUpdateSetSource<T>,
  entry: Omit<AuditEntry, "targetId">,
): Promise<void> {
  return auditedBatch(db, orgId, ctx, { ...entry, targetId: id }, () => [
    db
      .update(table)
      .set(set)
      .where(and(eq(table.orgId, orgId), eq(table.id, id))),
  ]);
}

/** Inserts one of the org's rows and writes its audit row (target: the new row's id) in the same batch. */
export function auditedInsert<T extends OrgRowTable>(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  table: T,
  row: T["$inferInsert"] & { id: string },
  entry: Omit<AuditEntry, "targetId">,
): Promise<void> {
  return auditedBatch(db, orgId, ctx, { ...entry, targetId: row.id }, () => [db.insert(table).values(row)]);
}

/**
 * Creates or replaces the row of a one-row-per-owner table (an organisation's or a project's settings, an
 * integration) and writes its audit row in the same batch.
 */
export function auditedUpsert<T extends SQLiteTable>(
  db: Db,
  orgId: string,
  ctx: AuditContext,
  table: T,
  row: T["$inferInsert"],
  conflict: { target: SQLiteColumn; set: SQLiteUpdateSetSource<T>; setWhere?: SQL },
  entry: AuditEntry,
): Promise<void> {
  return auditedBatch(db, orgId, ctx, entry, () => [
    db.insert(table).values(row).onConflictDoUpdate(conflict),
  ]);
}

/** Audit row alone (for actions whose change is not a D1 write, e.g. a sign-in). */
export function audit(db: Db, orgId: string, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  return auditedBatch(db, orgId, ctx, entry, () => []);
}

export type ChainVerdict = {
  valid: boolean;
  checked: number;
  firstBrokenSeq: number | null;
  reason?: string;
};

/** Walks the org's chain in seq order, recomputing every hash. Pages through rows to bound memory. */
export async function verifyAuditChain(db: Db, orgId: string): Promise<ChainVerdict> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  const pageSize = 500;
  for (;;) {
    const rows = await db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.orgId, orgId)))
      .orderBy(auditLog.seq)
      .limit(pageSize)
      .offset(checked);
    for (const row of rows) {
      if (row.seq !== expectedSeq) {
        return { valid: false, checked, firstBrokenSeq: expectedSeq, reason: "missing row" };
      }
      const { id: _id, prevHash: storedPrev, hash, ...rest } = row;
      const record: AuditRecord = { ...rest, changes: rest.changes ?? null };
      if (storedPrev !== prevHash || (await auditHash(prevHash, record)) !== hash) {
        return { valid: false, checked, firstBrokenSeq: row.seq, reason: "hash mismatch" };
      }
      prevHash = hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < pageSize) break;
  }
  const edited = await firstEditedPersonalValue(db, orgId);
  if (edited !== undefined)
    return { valid: false, checked, firstBrokenSeq: edited, reason: "personal value edited" };
  return { valid: true, checked, firstBrokenSeq: null };
}

/**
 * The seq of the first audit row whose personal value (outside the chain) no longer matches the
 * reference the chain hashed; null when that row is gone, undefined when every value is intact.
 * Erased values have no row here, so erasure is not an edit.
 */
async function firstEditedPersonalValue(db: Db, orgId: string): Promise<number | null | undefined> {
  const pageSize = 500;
  for (let after = ""; ; ) {
    const rows = await db
      .select()
      .from(auditPersonal)
      .where(and(eq(auditPersonal.orgId, orgId), gt(auditPersonal.ref, after)))
      .orderBy(auditPersonal.ref)
      .limit(pageSize);
    for (const row of rows) {
      if (await personalRowIsIntact(row)) continue;
      const hit = await db
        .select({ seq: auditLog.seq })
        .from(auditLog)
        .where(
          and(
            eq(auditLog.orgId, orgId),
            or(
              eq(auditLog.ip, row.ref),
              eq(auditLog.userAgent, row.ref),
              sql`instr(${auditLog.changes}, ${row.ref}) > 0`,
            ),
          ),
        )
        .limit(1);
      return hit[0]?.seq ?? null;
    }
    if (rows.length < pageSize) return undefined;
    after = rows[rows.length - 1]!.ref;
  }
}
