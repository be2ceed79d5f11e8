import type { TypedResponse } from "hono";
import { z } from "zod";
import { audit } from "../../../shared/audit/repository.ts";
import { orgExportListSchema, orgExportSchema } from "../../../shared/contract/lifecycle.ts";
import { ApiError } from "../../../shared/errors.ts";
import {
  advanceExport,
  type ExportDeps,
  type ExportRow,
  findExport,
  listExports,
  startExport,
  toOrgExport,
} from "../../../shared/tenancy/org-export.ts";
import { exportDocument } from "../../../shared/tenancy/org-export-file.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const exports = routeGroup({ tags: ["Organizations"], permission: "org:manage" });
const exportParam = idParam("exportId", "oex");
/** Steps run after the response; a larger organisation is finished by the cron (workers/cron/org-exports.ts). */
const STEPS_AFTER_RESPONSE = 4;

async function runSteps(deps: ExportDeps, row: ExportRow) {
  for (let step = 0; step < STEPS_AFTER_RESPONSE; step++) {
    // The first step starts from the row just inserted; later ones read the cursor it moved.
    const current = step === 0 ? row : await findExport(deps.db, row.orgId, row.id);
    if (current.status !== "running" || (await advanceExport(deps, current))) return;
  }
}

exports.handle(
  exports.post("/org/exports", {
    summary: "Start an export of the organisation's data (one at a time)",
    description:
      "Answers 202 at once; the export is written in pages and its status read with GET /v1/org/exports/{exportId}. Secrets (password, key and token hashes, sealed tokens) are never exported.",
    errors: [409],
    responses: { 202: jsonContent(orgExportSchema, "The export, running") },
  }),
  async function startExportHandler(c) {
    const { db, artifacts } = c.get("services");
    const principal = c.get("principal");
    const row = await startExport(db, orgIdOf(c), principal.userId ?? principal.actorId, auditContext(c));
    c.executionCtx.waitUntil(runSteps({ db, artifacts }, row).catch(() => undefined));
    return c.json(toOrgExport(row), 202);
  },
);

exports.answer(
  exports.get("/org/exports", {
    summary: "The organisation's 20 latest exports",
    responses: { 200: jsonContent(orgExportListSchema, "Exports, newest first") },
  }),
  async function listExportsHandler({ db, orgId }) {
    return { items: await listExports(db, orgId) };
  },
);

exports.answer(
  exports.get("/org/exports/{exportId}", {
    summary: "An export's status",
    errors: [404],
    request: { params: exportParam },
    responses: { 200: jsonContent(orgExportSchema, "The export") },
  }),
  async function getExportHandler({ db, orgId, param }) {
    return toOrgExport(await findExport(db, orgId, param.exportId));
  },
);

exports.handle(
  exports.get("/org/exports/{exportId}/download", {
    summary: "Download a finished export as one JSON document (streamed)",
    errors: [404, 409, 410],
    request: { params: exportParam },
    responses: {
      200: {
        description: "The export document",
        content: { "application/json": { schema: z.object({}) } },
      },
    },
  }),
  async function downloadExportHandler(c) {
    const { db, artifacts } = c.get("services");
    const orgId = orgIdOf(c);
    const row = await findExport(db, orgId, c.req.valid("param").exportId);
    if (row.status === "expired") throw new ApiError("gone", "This export's file was deleted after 7 days");
    if (row.status !== "succeeded") throw new ApiError("conflict", `The export is ${row.status}`);
    await audit(db, orgId, auditContext(c), {
      action: "org.export.download",
      targetType: "org_export",
      targetId: row.id,
    });
    // A stream, not a parsed object: the typed JSON answer is declared for the document only.
    const streamed = new Response(exportDocument(artifacts, row), {
      status: 200,
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="shifty-export-${orgId}-${row.id}.json"`,
        "cache-control": "no-store",
      },
    });
    return streamed as unknown as TypedResponse<Record<string, never>, 200, "json">;
  },
);

/** Exporting an organisation's data as JSON: docs/data-lifecycle.md, "Export an organisation". */
export const registerOrgExportRoutes = (app: Router) => exports.register(app);
