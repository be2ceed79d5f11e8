import type { AuditEntry } from "../contract/tenancy.ts";

const CSV_COLUMNS = [
  "createdAt",
  "seq",
  "actorType",
  "actorId",
  "action",
  "targetType",
  "targetId",
  "ip",
  "userAgent",
  "requestId",
  "changes",
  "hash",
] as const;

/** RFC 4180 field; a leading = + - @ is prefixed with ' so spreadsheets do not run it as a formula. */
export function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The audit entries as a CSV document with a header row and CRLF line ends. */
export function auditCsv(entries: AuditEntry[]): string {
  const lines = [
    CSV_COLUMNS.join(","),
    ...entries.map((r) => CSV_COLUMNS.map((k) => csvField(r[k])).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}
