import { eq, gte, lte, sql } from "drizzle-orm";
import type { Page } from "../contract/common.ts";
import type { AuditEntry, AuditQuery } from "../contract/tenancy.ts";
import type { Db } from "../db/client.ts";
import { pageInOrg } from "../db/org-scoped.ts";
import { auditLog } from "../db/schema/tenancy.ts";
import { revealPersonal } from "./personal.ts";

/** A newest-first page of the org's audit rows matching the filters (chain internals left out). */
export async function listAuditEntries(db: Db, orgId: string, q: AuditQuery): Promise<Page<AuditEntry>> {
  const prefix = q.action?.endsWith("*") ? q.action.slice(0, -1) : undefined;
  // substr, not LIKE: action names contain "_" which LIKE would treat as a wildcard.
  const action =
    prefix !== undefined
      ? sql`substr(${auditLog.action}, 1, ${prefix.length}) = ${prefix}`
      : q.action
        ? eq(auditLog.action, q.action)
        : undefined;
  const page = await pageInOrg(
    db,
    auditLog,
    orgId,
    q,
    q.actor ? eq(auditLog.actorId, q.actor) : undefined,
    action,
    q.targetType ? eq(auditLog.targetType, q.targetType) : undefined,
    q.target ? eq(auditLog.targetId, q.target) : undefined,
    q.from !== undefined ? gte(auditLog.createdAt, q.from) : undefined,
    q.to !== undefined ? lte(auditLog.createdAt, q.to) : undefined,
  );
  const revealed = await revealPersonal(db, orgId, page.items);
  return { items: revealed.map(({ orgId: _o, prevHash: _p, ...rest }) => rest), nextCursor: page.nextCursor };
}
