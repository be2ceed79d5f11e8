import { z } from "@hono/zod-openapi";
import { checkArtifactUrl } from "../../../shared/ci/artifact-links.ts";
import {
  artifactHeaders,
  listArtifacts,
  MAX_ARTIFACT_BYTES,
  readArtifact,
  requireArtifactType,
  requireResultOfRun,
  uploadArtifact,
} from "../../../shared/ci/artifacts.ts";
import {
  artifactListQuery,
  artifactSchema,
  artifactUploadQuery,
  signedArtifactQuery,
} from "../../../shared/contract/ci-artifacts.ts";
import { ApiError, notFound } from "../../../shared/errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import type { Services } from "../../services.ts";

/** Failure artifacts of test results (docs/ci-api.md, docs/artifacts.md). */
const ci = routeGroup({ tags: ["CI"], permission: "runs:read" });
const binary = { schema: z.string().openapi({ format: "binary" }) };
const artifactContent = { "application/zip": binary, "image/png": binary, "video/webm": binary };
const runParams = idParam("runId", "run");
const resultParams = runParams.extend(idParam("resultId", "res").shape);
const artifactParams = idParam("artifactId", "art");

const linkSettings = ({ config }: Services) => ({ secret: config.jwtSecret, publicUrl: config.publicUrl });

const uploadRoute = ci.post("/runs/{runId}/results/{resultId}/artifacts", {
  bodyLimitBytes: MAX_ARTIFACT_BYTES,
  bodyTypes: "any",
  // The `default` policy: `ingest` is sized for one report per CI job, a run has an artifact per failure.
  errors: [409, 413, 415, 422],
  summary: "Upload a failure artifact of a test result (Playwright trace, screenshot or video, ≤ 50 MiB)",
  description:
    "The raw file is the body: `application/zip` (a Playwright trace), `image/png` (a screenshot) or " +
    "`video/webm` (a video); the bytes must match the Content-Type. Only failed and flaky results keep " +
    "artifacts (422 otherwise), at most 20 each (409). `?name=` keeps the file's name (default `trace.zip`, …).",
  permission: "runs:write",
  request: {
    params: resultParams,
    query: artifactUploadQuery,
    body: { required: true, content: artifactContent },
  },
  responses: { 201: jsonContent(artifactSchema, "The stored artifact, with a signed download URL") },
});

ci.handle(uploadRoute, async function uploadHandler(c) {
  const services = c.get("services");
  const { runId, resultId } = c.req.valid("param");
  const contentType = requireArtifactType(c.req.header("content-type"));
  // Tenant and result first, so another org's ids are a 404 before the body is even read.
  await requireResultOfRun(services.db, orgIdOf(c), runId, resultId);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const artifact = await uploadArtifact(
    services.db,
    services.artifacts,
    linkSettings(services),
    orgIdOf(c),
    auditContext(c),
    {
      runId,
      resultId,
      contentType,
      name: c.req.valid("query").name,
      bytes,
    },
  );
  return c.json(artifact, 201);
});

const listRoute = ci.get("/runs/{runId}/artifacts", {
  summary: "A run's failure artifacts, each with a signed download URL valid for 10 minutes",
  request: { params: runParams, query: artifactListQuery },
  responses: { 200: jsonContent(pageOf(artifactSchema), "A page of artifacts") },
});

ci.handle(listRoute, async function listHandler(c) {
  const services = c.get("services");
  const page = await listArtifacts(
    services.db,
    linkSettings(services),
    orgIdOf(c),
    c.req.valid("param").runId,
    c.req.valid("query"),
  );
  return c.json(page, 200);
});

const downloadRoute = ci.get("/runs/{runId}/artifacts/{artifactId}", {
  summary: "Download a failure artifact (streams the file; needs the bearer token)",
  request: { params: runParams.extend(artifactParams.shape) },
  responses: { 200: { description: "The file", content: artifactContent } },
});

ci.handle(downloadRoute, async function downloadHandler(c) {
  const { db, artifacts } = c.get("services");
  const { runId, artifactId } = c.req.valid("param");
  const { row, object } = await readArtifact(db, artifacts, orgIdOf(c), artifactId, runId);
  return new Response(object.body, { status: 200, headers: artifactHeaders(row, object.httpEtag, 3600) });
});

const signedRoute = ci.get("/artifacts/{artifactId}/signed", {
  access: "public",
  errors: [404, 410],
  summary: "Download a failure artifact by its signed URL (no bearer token; the URL is the credential)",
  description:
    "The URLs come from the artifact operations (`url`): bound to one organisation and artifact, valid for " +
    "10 minutes. A URL whose signature does not verify reads like an unknown artifact (404); an expired one " +
    "is 410. The trace viewer's service worker and the dashboard's <img> fetch artifacts this way.",
  request: { params: artifactParams, query: signedArtifactQuery },
  responses: { 200: { description: "The file", content: artifactContent } },
});

ci.handle(signedRoute, async function signedHandler(c) {
  const { db, artifacts, config } = c.get("services");
  const { artifactId } = c.req.valid("param");
  const { org, expires, sig } = c.req.valid("query");
  const now = Date.now();
  const check = await checkArtifactUrl(config.jwtSecret, { orgId: org, artifactId, expires, sig }, now);
  if (check === "forged") throw notFound("Artifact");
  if (check === "expired")
    throw new ApiError("gone", "This artifact link has expired; ask the API for a new one");
  const { row, object } = await readArtifact(db, artifacts, org, artifactId);
  // Never cached past the link's own expiry.
  return new Response(object.body, {
    status: 200,
    headers: artifactHeaders(row, object.httpEtag, (expires * 1000 - now) / 1000),
  });
});

export const registerArtifactRoutes = (app: Router) => ci.register(app);
