import { sha256Hex } from "../crypto/hash.ts";

export const GENESIS_HASH = "0".repeat(64);

export type AuditRecord = {
  orgId: string;
  seq: number;
  actorType: "user" | "api_key" | "system";
  actorId: string;
  action: string;
  targetType: string;
  targetId: string | null;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  changes: Record<string, unknown> | null;
  createdAt: number;
};

/** JSON with sorted keys, so the hash does not depend on property order after a D1 round trip. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** hash_n = SHA-256(hash_{n-1} ‖ canonical(record_n)): editing, deleting or reordering a row breaks it. */
export function auditHash(prevHash: string, record: AuditRecord): Promise<string> {
  return sha256Hex(`${prevHash}\n${canonicalJson(record)}`);
}

const SECRET_KEY = /(secret|token|password|passcode|apikey|api_key|authorization|credential|private)/i;

/** Masks values whose key names a secret, at any depth, before they reach the audit log. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [
        k,
        SECRET_KEY.test(k) && v !== null && v !== undefined ? "***" : maskSecrets(v),
      ]),
    );
  }
  return value;
}
