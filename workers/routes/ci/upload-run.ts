import { z } from "@hono/zod-openapi";
import { loadGithubIntegration, reportRunToGitHub } from "../../../shared/ci/github-report.ts";
import { findDuplicateRun, ingestRun } from "../../../shared/ci/ingest.ts";
import { parseReport, reportFormatFor } from "../../../shared/ci/parse.ts";
import { ReportError } from "../../../shared/ci/report.ts";
import { sha256Hex } from "../../../shared/crypto/hash.ts";
import { ApiError } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { errorResponses, idParam, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { auditContext } from "../../request-context.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { runSchema, toRun } from "./schemas.ts";

/** Upload limit for one report (also in workers/middleware/limits.ts LARGE_BODY_PATHS). */
export const MAX_REPORT_BYTES = 50 * 1024 * 1024;

export const PROVIDERS = ["github", "gitlab", "circleci", "jenkins", "buildkite", "azure", "other"] as const;

const uploadQuerySchema = z.object({
  commit: z
    .string()
    .regex(/^[0-9a-fA-F]{7,64}$/, { error: "commit must be a git SHA (7–64 hex characters)" })
    .transform((s) => s.toLowerCase())
    .optional(),
  branch: z.string().min(1).max(255).optional(),
  baseBranch: z.string().min(1).max(255).optional(),
  pr: z.coerce.number().int().positive().max(2_147_483_647).optional(),
  provider: z.enum(PROVIDERS).optional(),
  runUrl: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  buildId: z.string().min(1).max(200).optional(),
});

const problem = (description: string) => ({
  description,
  content: {
    "application/problem+json": { schema: errorResponses[400].content["application/problem+json"].schema },
  },
});

export function registerUploadRunRoute(app: Router) {
  app.openapi(
    defineRoute({
      method: "post",
      path: "/projects/{projectId}/runs",
      bodyLimitBytes: MAX_REPORT_BYTES,
      bodyTypes: "any",
      rate: { policy: "ingest" },
      tags: ["CI"],
      summary: "Upload a test report (JUnit XML or Playwright JSON)",
      description:
        "Body: JUnit XML (`application/xml`/`text/xml`: jest-junit, pytest, Surefire incl. flaky reruns, Playwright junit) " +
        "or a Playwright JSON report (`application/json`). Git metadata goes in the query. Re-uploading the same " +
        "provider + buildId + report returns the existing run with 200. Rate-limited by the `ingest` policy.",
      permission: "runs:write",
      request: {
        params: idParam("projectId", "prj"),
        query: uploadQuerySchema,
        body: {
          required: true,
          content: {
            "application/xml": { schema: { type: "string", description: "JUnit XML" } },
            "text/xml": { schema: { type: "string", description: "JUnit XML" } },
            "application/json": {
              schema: { type: "object", description: "@playwright/test JSON reporter output" },
            },
          },
        },
      },
      responses: {
        201: jsonContent(runSchema, "The new run with its gate verdict"),
        200: jsonContent(runSchema, "This build's report was already uploaded: the existing run"),
        413: problem("Report larger than 50 MiB"),
        415: problem("Not XML or JSON"),
        422: problem("Well-formed but not a test report we understand"),
      },
    }),
    async (c) => {
      const orgId = orgIdOf(c);
      const { projectId } = c.req.valid("param");
      const query = c.req.valid("query");
      const { db, config } = c.get("services");
      await requireProject(db, orgId, projectId);
      const format = reportFormatFor(c.req.header("content-type"));
      if (!format) {
        throw new ApiError(
          "unsupported_media_type",
          "Send JUnit XML as application/xml or text/xml, or a Playwright JSON report as application/json",
        );
      }
      const body = await c.req.text();
      if (body.length > MAX_REPORT_BYTES) {
        throw new ApiError("payload_too_large", `The report exceeds ${MAX_REPORT_BYTES} bytes`);
      }
      if (body.trim() === "") throw new ApiError("bad_request", "The report body is empty");
      const provider = query.provider ?? (query.buildId ? "other" : null);
      const buildId = query.buildId ?? null;
      const reportHash = await sha256Hex(body);
      const duplicate = await findDuplicateRun(db, orgId, projectId, provider, buildId, reportHash);
      if (duplicate) return c.json(toRun(duplicate), 200);

      let report: ReturnType<typeof parseReport>;
      try {
        report = parseReport(format, body);
      } catch (error) {
        if (error instanceof ReportError) {
          throw new ApiError(error.kind === "malformed" ? "bad_request" : "unprocessable", error.message);
        }
        throw error;
      }
      const meta = {
        commit: query.commit ?? null,
        branch: query.branch ?? null,
        baseBranch: query.baseBranch ?? null,
        pr: query.pr ?? null,
        provider,
        runUrl: query.runUrl ?? null,
        buildId,
      };
      const github = meta.commit ? await loadGithubIntegration(db, orgId, projectId) : null;
      const outcome = await ingestRun(
        db,
        { orgId, projectId, report, reportHash, meta, githubPending: github !== null },
        auditContext(c),
      );
      const run = outcome.run;
      if (!outcome.created) return c.json(toRun(run), 200);
      if (github && run.commitSha) {
        c.executionCtx.waitUntil(
          reportRunToGitHub(
            db,
            { apiUrl: config.githubApiUrl, encryptionKey: config.encryptionKey, publicUrl: config.publicUrl },
            { ...run, commitSha: run.commitSha, gate: { status: run.gateStatus, reasons: run.gateReasons } },
          ),
        );
      }
      return c.json(toRun(run), 201);
    },
  );
}
