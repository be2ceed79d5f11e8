const audit = routeGroup({ tags: ["Audit"], permission: "audit:read" });

import { z } from "zod";
import { auditCsv } from "../../../shared/audit/csv.ts";
import { listAuditEntries } from "../../../shared/audit/log-query.ts";
import { verifyAuditChain } from "../../../shared/audit/repository.ts";
import { pageOf } from "../../../shared/contract/common.ts";
import { auditEntrySchema, auditQuerySchema, auditVerdictSchema } from "../../../shared/contract/tenancy.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

audit.handle(
  audit.get("/audit", {
    summary: "Audit log, newest first; `format=csv` exports",
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

audit.answer(
  audit.get("/audit/verify", {
    summary: "Recompute the audit hash chain and report the first broken row",
    responses: { 200: jsonContent(auditVerdictSchema, "Verdict") },
  }),
  function verifyAuditHandler({ db, orgId }) {
    return verifyAuditChain(db, orgId);
  },
);

export const registerAuditRoutes = (app: Router) => audit.register(app);
