import { and, desc, eq, lt, sql } from "drizzle-orm";
import { getTableConfig, type SQLiteTable } from "drizzle-orm/sqlite-core";
import { type AuditContext, auditedInsert } from "../audit/repository.ts";
import type { OrgExport } from "../contract/lifecycle.ts";
import { conflictOnDuplicate, type Db } from "../db/client.ts";
import * as schema from "../db/schema/index.ts";
import { orgExports } from "../db/schema/lifecycle.ts";
import { notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import { deleteR2Prefix, tenantTables } from "./org-purge.ts";

/**
 * Organisation export (docs/data-lifecycle.md, "Export an organisation"): a job copies the org's rows,
 * page by page, into R2 under `exports/<orgId>/<exportId>/`; the download stitches the pages into one
 * JSON document (shared/tenancy/org-export-file.ts). Secrets never leave: see SECRET_COLUMN.
 */
export type ExportRow = typeof orgExports.$inferSelect;
export type ExportDeps = { db: Db; artifacts: R2Bucket };

/** Rows and bytes per page (one R2 object); pages written, and reads (empty sections too), per job step. */
const PAGE_ROWS = 200;
const PAGE_BYTES = 4 * 1024 * 1024;
const PAGES_PER_STEP = 50;
const READS_PER_STEP = 250;
/** A finished export's file is kept this long. */
export const EXPORT_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Password, key and token hashes, sealed secrets and SSO flow secrets: never exported. */
const SECRET_COLUMN =
  /^(password_hash|key_hash|token_hash|code_hash|code_verifier|nonce|token_hint)$|_sealed$|secret/;

/** The export's sections in a fixed order: the organisation, its members, then every tenant table. */
export function exportSections(): string[] {
  return ["organizations", "memberships", ...tenantTables().sort()];
}

export const exportPrefix = (orgId: string, exportId: string) => `exports/${orgId}/${exportId}/`;

export function toOrgExport(row: ExportRow): OrgExport {
  return {
    id: row.id,
    status: row.status,
    pages: row.pages,
    rows: row.rows,
    bytes: row.bytes,
    error: row.error,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    expiresAt: row.finishedAt === null ? null : row.finishedAt + EXPORT_TTL_MS,
  };
}

/** Starts an export (audited); one runs at a time per organisation, a second start is a 409. */
export async function startExport(
  db: Db,
  orgId: string,
  userId: string,
  ctx: AuditContext,
  now = Date.now(),
) {
  const row: ExportRow = {
    id: newId("oex", now),
    orgId,
    status: "running",
    requestedBy: userId,
    cursor: null,
    pages: 0,
    rows: 0,
    bytes: 0,
    error: null,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
  };
  await conflictOnDuplicate(
    auditedInsert(db, orgId, ctx, orgExports, row, { action: "org.export", targetType: "org_export" }),
    "org_exports",
    "An export of this organisation is already running; wait for it to finish",
  );
  return row;
}

export async function findExport(db: Db, orgId: string, exportId: string): Promise<ExportRow> {
  const rows = await db
    .select()
    .from(orgExports)
    .where(and(eq(orgExports.orgId, orgId), eq(orgExports.id, exportId)))
    .limit(1);
  if (!rows[0]) throw notFound("Export");
  return rows[0];
}

export async function listExports(db: Db, orgId: string): Promise<OrgExport[]> {
  const rows = await db
    .select()
    .from(orgExports)
    .where(eq(orgExports.orgId, orgId))
    .orderBy(desc(orgExports.id))
    .limit(20);
  return rows.map(toOrgExport);
}

type Page = { rows: Record<string, unknown>[]; lastRowid: number; done: boolean };

/** The drizzle schema's columns of a table, secrets left out: they are never even read. */
function exportedColumns(name: string): string[] {
  for (const value of Object.values(schema)) {
    if (!value || typeof value !== "object" || !(Symbol.for("drizzle:IsDrizzleTable") in value)) continue;
    const config = getTableConfig(value as SQLiteTable);
    if (config.name === name) return config.columns.map((c) => c.name).filter((c) => !SECRET_COLUMN.test(c));
  }
  return [];
}

/**
 * One page of a tenant table after `afterRowid`: first the sizes of the next PAGE_ROWS rows, then the
 * rows that fit in PAGE_BYTES (at least one), so a page of large rows stays bounded in memory too.
 */
async function readTablePage(db: Db, orgId: string, name: string, afterRowid: number): Promise<Page> {
  const columns = exportedColumns(name);
  const table = sql.identifier(name);
  const size = sql.join(
    columns.map((c) => sql`coalesce(length(${sql.identifier(c)}), 0)`),
    sql` + `,
  );
  const sizes = await db.all<{ r: number; b: number }>(
    sql`SELECT rowid AS r, ${size} AS b FROM ${table} WHERE org_id = ${orgId} AND rowid > ${afterRowid} ORDER BY rowid LIMIT ${PAGE_ROWS}`,
  );
  let bytes = 0;
  let take = 0;
  while (take < sizes.length && (take === 0 || bytes + sizes[take]!.b <= PAGE_BYTES))
    bytes += sizes[take++]!.b;
  if (take === 0) return { rows: [], lastRowid: afterRowid, done: true };
  const lastRowid = sizes[take - 1]!.r;
  const list = sql.join(
    columns.map((c) => sql.identifier(c)),
    sql`, `,
  );
  const rows = await db.all<Record<string, unknown>>(
    sql`SELECT ${list} FROM ${table} WHERE org_id = ${orgId} AND rowid > ${afterRowid} AND rowid <= ${lastRowid} ORDER BY rowid`,
  );
  return { rows, lastRowid, done: take === sizes.length && sizes.length < PAGE_ROWS };
}

/** One page of a section after `afterRowid`; `org_id` (or the org's own id) filters every statement. */
async function readPage(db: Db, orgId: string, section: number, afterRowid: number): Promise<Page> {
  const name = exportSections()[section]!;
  if (name === "organizations") {
    const rows = await db.all<Record<string, unknown>>(sql`SELECT * FROM organizations WHERE id = ${orgId}`);
    return { rows, lastRowid: 0, done: true };
  }
  if (name !== "memberships") return readTablePage(db, orgId, name, afterRowid);
  // Members with the email and name the organisation sees for them.
  const raw = await db.all<Record<string, unknown> & { __rowid: number }>(
    sql`SELECT m.rowid AS __rowid, m.*, u.email AS email, u.name AS name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = ${orgId} AND m.rowid > ${afterRowid} ORDER BY m.rowid LIMIT ${PAGE_ROWS}`,
  );
  const rows = raw.map(({ __rowid: _r, ...row }) => row);
  return { rows, lastRowid: raw.at(-1)?.__rowid ?? afterRowid, done: raw.length < PAGE_ROWS };
}

const parseCursor = (cursor: string | null) => {
  const [section, rowid] = (cursor ?? "0:0").split(":").map(Number);
  return { section: section ?? 0, rowid: rowid ?? 0 };
};

/**
 * Advances a running export by up to PAGES_PER_STEP pages. A page's object is named by its section
 * and first rowid, so writing it twice is harmless; the cursor moves only from the value this step
 * read, so two runners never both advance it. Returns true when the export is finished.
 */
export async function advanceExport(
  deps: ExportDeps,
  row: ExportRow,
  now = () => Date.now(),
): Promise<boolean> {
  const { db, artifacts } = deps;
  const sections = exportSections().length;
  let cursor = row.cursor;
  try {
    for (let pages = 0, reads = 0; pages < PAGES_PER_STEP && reads < READS_PER_STEP; reads++) {
      const at = parseCursor(cursor);
      if (at.section >= sections) return finish(db, row, cursor, now());
      const page = await readPage(db, row.orgId, at.section, at.rowid);
      const next = page.done ? `${at.section + 1}:0` : `${at.section}:${page.lastRowid}`;
      let bytes = 0;
      if (page.rows.length > 0) {
        pages++;
        const body = page.rows.map((r) => JSON.stringify(r)).join(",");
        bytes = new TextEncoder().encode(body).byteLength;
        const key = `${exportPrefix(row.orgId, row.id)}${String(at.section).padStart(3, "0")}/${String(at.rowid).padStart(15, "0")}`;
        await artifacts.put(key, body, { httpMetadata: { contentType: "application/json" } });
      }
      const moved = await db
        .update(orgExports)
        .set({
          cursor: next,
          pages: sql`${orgExports.pages} + ${page.rows.length > 0 ? 1 : 0}`,
          rows: sql`${orgExports.rows} + ${page.rows.length}`,
          bytes: sql`${orgExports.bytes} + ${bytes}`,
          updatedAt: now(),
        })
        .where(
          and(
            eq(orgExports.id, row.id),
            eq(orgExports.status, "running"),
            sql`${orgExports.cursor} IS ${cursor}`,
          ),
        )
        .returning({ id: orgExports.id });
      if (moved.length === 0) return false; // another runner is ahead, or the export ended
      cursor = next;
    }
    return false;
  } catch (error) {
    await db
      .update(orgExports)
      .set({ status: "failed", error: String(error).slice(0, 500), updatedAt: now(), finishedAt: now() })
      .where(and(eq(orgExports.id, row.id), eq(orgExports.status, "running")));
    throw error;
  }
}

async function finish(db: Db, row: ExportRow, cursor: string | null, at: number): Promise<boolean> {
  await db
    .update(orgExports)
    .set({ status: "succeeded", updatedAt: at, finishedAt: at })
    .where(
      and(
        eq(orgExports.id, row.id),
        eq(orgExports.status, "running"),
        sql`${orgExports.cursor} IS ${cursor}`,
      ),
    );
  return true;
}

/**
 * The cron's part (every 5 minutes): resume exports no step has touched for a minute (a request's
 * after-response work was cut short), and delete the files of exports finished more than 7 days ago.
 */
export async function sweepExports(
  deps: ExportDeps,
  now: number,
): Promise<{ counts: Record<string, number> }> {
  const { db, artifacts } = deps;
  const stale = await db
    .select()
    .from(orgExports)
    .where(and(eq(orgExports.status, "running"), lt(orgExports.updatedAt, now - 60_000)))
    .limit(3);
  let resumed = 0;
  for (const row of stale) {
    await advanceExport(deps, row).catch(() => undefined);
    resumed++;
  }
  const old = await db
    .select()
    .from(orgExports)
    .where(and(eq(orgExports.status, "succeeded"), lt(orgExports.finishedAt, now - EXPORT_TTL_MS)))
    .limit(10);
  for (const row of old) {
    await deleteR2Prefix(artifacts, exportPrefix(row.orgId, row.id));
    await db.update(orgExports).set({ status: "expired", updatedAt: now }).where(eq(orgExports.id, row.id));
  }
  return { counts: { resumed, expired: old.length } };
}
