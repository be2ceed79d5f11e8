import type { RouteHandler } from "@hono/zod-openapi";
import type { NewlyFlakyTest } from "../../../shared/ci/ingest-plan.ts";
import { ingestReport, MAX_REPORT_BYTES } from "../../../shared/ci/upload.ts";
import { type Run, runSchema, uploadQuerySchema } from "../../../shared/contract/ci.ts";
import { flakyDetected } from "../../../shared/notifications/announcements.ts";
import { announce } from "../../announce.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { errorResponses, idParam, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";
import type { Services } from "../../services.ts";

const problem = (description: string) => ({
  description,
  content: {
    "application/problem+json": { schema: errorResponses[400].content["application/problem+json"].schema },
  },
});

const uploadRunRoute = defineRoute({
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
});

const uploadRunHandler: RouteHandler<typeof uploadRunRoute, HonoEnv> = async (c) => {
  const { projectId } = c.req.valid("param");
  const { db, config } = c.get("services");
  const github = {
    apiUrl: config.githubApiUrl,
    encryptionKey: config.encryptionKey,
    runLink: (runId: string) => `${config.publicUrl.replace(/\/+$/, "")}/v1/runs/${runId}`,
  };
  const outcome = await ingestReport(db, github, orgIdOf(c), auditContext(c), projectId, {
    contentType: c.req.header("content-type"),
    body: await c.req.text(),
    query: c.req.valid("query"),
  });
  if (outcome.followUp) c.executionCtx.waitUntil(outcome.followUp());
  if (outcome.created) {
    c.executionCtx.waitUntil(announceRun(c.get("services"), orgIdOf(c), outcome.run, outcome.newlyFlaky));
  }
  return c.json(outcome.run, outcome.created ? 201 : 200);
};

/**
 * `run.completed`, `gate.failed` when the gate failed and `flaky.detected` when tests turned flaky, to
 * endpoints and Slack (after the response).
 */
function announceRun(services: Services, orgId: string, run: Run, newlyFlaky: NewlyFlakyTest[]) {
  const { id, status, gate, total, passed, failed, commit, branch } = run;
  const data = { runId: id, status, gate, total, passed, failed, commit, branch };
  const base = { orgId, projectId: run.projectId, data };
  const reasons = gate.reasons.filter((r) => r.status === "fail").map((r) => r.message);
  return announce(services, [
    { ...base, type: "run.completed", key: `run.completed:${id}`, summary: `Run ${id} ${status}` },
    gate.status === "fail"
      ? {
          ...base,
          type: "gate.failed",
          key: `gate.failed:${id}`,
          summary: `Quality gate failed for run ${id}: ${reasons.join("; ")}`,
        }
      : null,
    flakyDetected(orgId, run, newlyFlaky),
  ]);
}

export function registerUploadRunRoute(app: Router) {
  app.openapi(uploadRunRoute, uploadRunHandler);
}
