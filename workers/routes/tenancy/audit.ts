import { z } from "@hono/zod-openapi";
import { and, desc, eq, gte, lt, lte, sql } from "drizzle-orm";
import { verifyAuditChain } from "../../../shared/audit/repository.ts";
import { auditLog } from "../../../shared/db/schema/tenancy.ts";
import { pageQuerySchema, toPage } from "../../../shared/pagination.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, pageOf, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

const auditEntrySchema = z
  .object({
    id: z.string(),
    seq: z.number().int(),
    actorType: z.string(),
    actorId: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    ip: z.string().nullable(),
    userAgent: z.string().nullable(),
    requestId: z.string().nullable(),
    changes: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.number().int(),
    hash: z.string(),
  })
  .openapi("AuditEntry");

const querySchema = pageQuerySchema.extend({
  actor: z.string().max(64).optional(),
  action: z.string().max(100).optional().describe("Exact action, or a prefix ending in * (e.g. api_key.*)"),
  targetType: z.string().max(64).optional(),
  target: z.string().max(64).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  format: z.enum(["json", "csv"]).default("json"),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

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
function csvField(value: unknown): string {
  let text =
    value === null || value === undefined
      ? ""
      : typeof value === "object"
        ? JSON.stringify(value)
        : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function registerAuditRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/audit",
      tags: ["Audit"],
      summary: "Audit log, newest first; `format=csv` exports",
      permission: "audit:read",
      request: { query: querySchema },
      responses: {
        200: {
          description: "Entries",
          content: {
            "application/json": { schema: pageOf(auditEntrySchema) },
            "text/csv": { schema: z.string() },
          },
        },
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const q = c.req.valid("query");
      const prefix = q.action?.endsWith("*") ? q.action.slice(0, -1) : undefined;
      // substr, not LIKE: action names contain "_" which LIKE would treat as a wildcard.
      const action =
        prefix !== undefined
          ? sql`substr(${auditLog.action}, 1, ${prefix.length}) = ${prefix}`
          : q.action
            ? eq(auditLog.action, q.action)
            : undefined;
      const rows = await c
        .get("services")
        .db.select()
        .from(auditLog)
        .where(
          and(
            eq(auditLog.orgId, orgId),
            q.cursor ? lt(auditLog.id, q.cursor) : undefined,
            q.actor ? eq(auditLog.actorId, q.actor) : undefined,
            action,
            q.targetType ? eq(auditLog.targetType, q.targetType) : undefined,
            q.target ? eq(auditLog.targetId, q.target) : undefined,
            q.from !== undefined ? gte(auditLog.createdAt, q.from) : undefined,
            q.to !== undefined ? lte(auditLog.createdAt, q.to) : undefined,
          ),
        )
        .orderBy(desc(auditLog.id))
        .limit(q.limit + 1);
      const page = toPage(
        rows.map(({ orgId: _o, prevHash: _p, ...rest }) => rest),
        q.limit,
      );
      if (q.format === "csv") {
        const lines = [
          CSV_COLUMNS.join(","),
          ...page.items.map((r) => CSV_COLUMNS.map((k) => csvField(r[k])).join(",")),
        ];
        if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
        return c.body(`${lines.join("\r\n")}\r\n`, 200, {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="audit-${orgId}.csv"`,
        });
      }
      return c.json(page, 200);
    },
  );

  app.openapi(
    defineRoute({
      method: "get",
      path: "/audit/verify",
      tags: ["Audit"],
      summary: "Recompute the audit hash chain and report the first broken row",
      permission: "audit:read",
      responses: {
        200: jsonContent(
          z.object({
            valid: z.boolean(),
            checked: z.number().int(),
            firstBrokenSeq: z.number().int().nullable(),
            reason: z.string().optional(),
          }),
          "Verdict",
        ),
      },
    }),
    async (c) => c.json(await verifyAuditChain(c.get("services").db, orgIdOf(c)), 200),
  );
}
