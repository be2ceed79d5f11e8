import { and, eq, inArray, or } from "drizzle-orm";
import { sha256Hex, toHex } from "../crypto/hash.ts";
import type { Db } from "../db/client.ts";
import { auditPersonal } from "../db/schema/lifecycle.ts";
import type { AuditRecord } from "./chain.ts";

/**
 * Personal values in the audit log live outside its hash chain (docs/data-lifecycle.md, "Audit rows
 * and erasure"): the row keeps `pii_<sha256(nonce ‖ value)>` in their place, the chain hashes that
 * reference, and `audit_personal` maps it back to the value. Erasing a person deletes the mapping (and
 * its random nonce, so the reference cannot be tested against a guessed email); the chain still
 * verifies and the reference stays as the pseudonym.
 */
const PERSONAL_KEY = /^(email|owner)$/;
const PERSONAL_REF = /^pii_[0-9a-f]{64}$/;

type PersonalRow = typeof auditPersonal.$inferInsert;

async function commit(value: string): Promise<{ ref: string; nonce: string }> {
  const nonce = toHex(crypto.getRandomValues(new Uint8Array(16)));
  return { ref: `pii_${await sha256Hex(`${nonce}\n${value}`)}`, nonce };
}

/** True when `row`'s reference is the commitment to its value (the display value was not edited). */
export async function personalRowIsIntact(row: { ref: string; nonce: string; value: string }) {
  return row.ref === `pii_${await sha256Hex(`${row.nonce}\n${row.value}`)}`;
}

/**
 * The record with its personal values replaced by references, and the rows that map them back.
 * `subjectId` is the acting user, whose IP address and user agent these are.
 */
export async function sealPersonal(
  record: AuditRecord,
  subjectId: string | null,
): Promise<{ record: AuditRecord; personal: PersonalRow[] }> {
  const personal: PersonalRow[] = [];
  const seal = async (value: string, subject: string | null) => {
    const { ref, nonce } = await commit(value);
    personal.push({
      ref,
      orgId: record.orgId,
      value,
      nonce,
      subjectId: subject,
      createdAt: record.createdAt,
    });
    return ref;
  };
  const sealChanges = async (value: unknown): Promise<unknown> => {
    if (Array.isArray(value)) return Promise.all(value.map(sealChanges));
    if (!value || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = PERSONAL_KEY.test(k) && typeof v === "string" ? await seal(v, null) : await sealChanges(v);
    return out;
  };
  const sealed: AuditRecord = {
    ...record,
    ip: record.ip ? await seal(record.ip, subjectId) : null,
    userAgent: record.userAgent ? await seal(record.userAgent, subjectId) : null,
    changes: record.changes ? ((await sealChanges(record.changes)) as Record<string, unknown>) : null,
  };
  return { record: sealed, personal };
}

function refsIn(value: unknown, into: Set<string>): void {
  if (typeof value === "string") {
    if (PERSONAL_REF.test(value)) into.add(value);
  } else if (Array.isArray(value)) for (const v of value) refsIn(v, into);
  else if (value && typeof value === "object") for (const v of Object.values(value)) refsIn(v, into);
}

function replaceRefs(value: unknown, found: Map<string, string>): unknown {
  if (typeof value === "string") return found.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => replaceRefs(v, found));
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceRefs(v, found)]));
  return value;
}

/** The rows with their references read back as values; an erased value keeps its reference. */
export async function revealPersonal<
  T extends { ip: string | null; userAgent: string | null; changes: unknown },
>(db: Db, orgId: string, rows: T[]): Promise<T[]> {
  const refs = new Set<string>();
  for (const r of rows) refsIn([r.ip, r.userAgent, r.changes], refs);
  const list = [...refs];
  const found = new Map<string, string>();
  // D1 binds at most 100 parameters per statement.
  for (let i = 0; i < list.length; i += 90) {
    const part = await db
      .select({ ref: auditPersonal.ref, value: auditPersonal.value })
      .from(auditPersonal)
      .where(and(eq(auditPersonal.orgId, orgId), inArray(auditPersonal.ref, list.slice(i, i + 90))));
    for (const p of part) found.set(p.ref, p.value);
  }
  const reveal = (v: string | null) => (v === null ? null : (found.get(v) ?? v));
  return rows.map((r) => ({
    ...r,
    ip: reveal(r.ip),
    userAgent: reveal(r.userAgent),
    changes: replaceRefs(r.changes, found),
  }));
}

/** The statement erasing a person's values from every organisation's audit log. */
export function erasePersonalStatement(db: Db, userId: string, email: string) {
  return db
    .delete(auditPersonal)
    .where(or(eq(auditPersonal.subjectId, userId), eq(auditPersonal.value, email)));
}
