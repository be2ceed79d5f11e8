import { z } from "zod";
import { auditCsv } from "../../../shared/audit/csv.ts";
import { listAuditEntries } from "../../../shared/audit/log-query.ts";
import { verifyAuditChain } from "../../../shared/audit/repository.ts";
import { pageOf } from "../../../shared/contract/common.ts";
import { auditEntrySchema, auditQuerySchema, auditVerdictSchema } from "../../../shared/contract/tenancy.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

export function registerAuditRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "get",
      path: "/audit",
      tags: ["Audit"],
      summary: "Audit log, newest first; `format=csv` exports",
      permission: "audit:read",
      request: { query: auditQuerySchema },
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
    async function listAuditHandler(c) {
      const orgId = orgIdOf(c);
      const query = c.req.valid("query");
      const page = await listAuditEntries(c.get("services").db, orgId, query);
      if (query.format === "csv") {
        if (page.nextCursor) c.header("X-Next-Cursor", page.nextCursor);
        return c.body(auditCsv(page.items), 200, {
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
      responses: { 200: jsonContent(auditVerdictSchema, "Verdict") },
    }),
    async function verifyAuditHandler(c) {
      return c.json(await verifyAuditChain(c.get("services").db, orgIdOf(c)), 200);
    },
  );
}
