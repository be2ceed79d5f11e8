import type { AuditContext } from "../audit/repository.ts";
import type { Run, UploadQuery } from "../contract/ci.ts";
import { sha256Hex } from "../crypto/hash.ts";
import type { Db } from "../db/client.ts";
import { ApiError } from "../errors.ts";
import { type GithubReportOptions, loadGithubIntegration, reportRunToGitHub } from "./github-report.ts";
import { ingestRun } from "./ingest.ts";
import type { NewlyFlakyTest, RunMeta } from "./ingest-plan.ts";
import { findDuplicateRun } from "./ingest-state.ts";
import { parseReport, reportFormatFor } from "./parse.ts";
import { requireCiProject } from "./project.ts";
import { type ParsedReport, ReportError } from "./report.ts";
import { toRun } from "./views.ts";

/** Largest report one upload may carry. */
export const MAX_REPORT_BYTES = 50 * 1024 * 1024;

export type UploadedReport = { contentType: string | undefined; body: string; query: UploadQuery };

export type UploadOutcome = {
  run: Run;
  /** false: this build's report was already uploaded and `run` is the existing one. */
  created: boolean;
  /** Reporting the gate to GitHub, to run after the response (null when there is nothing to report). */
  followUp: (() => Promise<unknown>) | null;
  /** Tests this upload newly marked flaky (announced as `flaky.detected`, docs/notifications.md). */
  newlyFlaky: NewlyFlakyTest[];
};

function parseOrReject(format: NonNullable<ReturnType<typeof reportFormatFor>>, body: string): ParsedReport {
  try {
    return parseReport(format, body);
  } catch (error) {
    if (error instanceof ReportError) {
      throw new ApiError(error.kind === "malformed" ? "bad_request" : "unprocessable", error.message);
    }
    throw error;
  }
}

/**
 * One uploaded report becomes a run with its gate verdict. Re-uploading the same provider + buildId +
 * report bytes answers the existing run.
 */
export async function ingestReport(
  db: Db,
  github: GithubReportOptions,
  orgId: string,
  ctx: AuditContext,
  projectId: string,
  upload: UploadedReport,
): Promise<UploadOutcome> {
  const { body, query } = upload;
  await requireCiProject(db, orgId, projectId);
  const format = reportFormatFor(upload.contentType);
  if (!format) {
    throw new ApiError(
      "unsupported_media_type",
      "Send JUnit XML as application/xml or text/xml, or a Playwright JSON report as application/json",
    );
  }
  if (body.length > MAX_REPORT_BYTES) {
    throw new ApiError("payload_too_large", `The report exceeds ${MAX_REPORT_BYTES} bytes`);
  }
  if (body.trim() === "") throw new ApiError("bad_request", "The report body is empty");
  const provider = query.provider ?? (query.buildId ? "other" : null);
  const buildId = query.buildId ?? null;
  const reportHash = await sha256Hex(body);
  const duplicate = await findDuplicateRun(db, orgId, projectId, provider, buildId, reportHash);
  if (duplicate) return { run: toRun(duplicate), created: false, followUp: null, newlyFlaky: [] };

  const report = parseOrReject(format, body);
  const meta: RunMeta = {
    commit: query.commit ?? null,
    branch: query.branch ?? null,
    baseBranch: query.baseBranch ?? null,
    pr: query.pr ?? null,
    provider,
    runUrl: query.runUrl ?? null,
    buildId,
  };
  const integration = meta.commit ? await loadGithubIntegration(db, orgId, projectId) : null;
  const outcome = await ingestRun(
    db,
    { orgId, projectId, report, reportHash, meta, githubPending: integration !== null },
    ctx,
  );
  const { run } = outcome;
  if (!outcome.created) return { run: toRun(run), created: false, followUp: null, newlyFlaky: [] };
  const commitSha = run.commitSha;
  const followUp =
    integration && commitSha
      ? () =>
          reportRunToGitHub(db, github, {
            ...run,
            commitSha,
            gate: { status: run.gateStatus, reasons: run.gateReasons },
          })
      : null;
  return { run: toRun(run), created: true, followUp, newlyFlaky: outcome.newlyFlaky };
}
