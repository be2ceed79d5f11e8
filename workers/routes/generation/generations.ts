import { createGenerationSchema, generationSchema } from "../../../shared/contract/generation.ts";
import { createGeneration, getGeneration } from "../../../shared/generation/service.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";

const tags = ["Generation"];

export const createGenerationRoute = defineRoute({
  method: "post",
  path: "/projects/{projectId}/generations",
  tags,
  summary: "Plan Playwright tests from an exploration of an app (the files are kept in R2)",
  permission: "runs:write",
  // Explorations of larger apps run to a few MiB of interactions.
  bodyLimitBytes: 8 * 1024 * 1024,
  request: { params: idParam("projectId", "prj"), body: jsonBody(createGenerationSchema) },
  responses: { 201: jsonContent(generationSchema, "The generation job with its files and figures") },
});

export const getGenerationRoute = defineRoute({
  method: "get",
  path: "/generations/{generationId}",
  tags,
  summary: "A generation job: status, progress, files and figures",
  permission: "runs:read",
  request: { params: idParam("generationId", "gen") },
  responses: { 200: jsonContent(generationSchema, "The generation job") },
});

export function registerGenerationRoutes(app: Router) {
  app.openapi(createGenerationRoute, async (c) => {
    const orgId = orgIdOf(c);
    const { projectId } = c.req.valid("param");
    const { db, artifacts, clock } = c.get("services");
    await requireProject(db, orgId, projectId);
    const job = await createGeneration(
      { db, artifacts, now: clock() },
      orgId,
      projectId,
      auditContext(c),
      c.req.valid("json"),
    );
    return c.json(job, 201);
  });

  app.openapi(getGenerationRoute, async (c) => {
    const { db, artifacts } = c.get("services");
    const job = await getGeneration({ db, artifacts }, orgIdOf(c), c.req.valid("param").generationId);
    return c.json(job, 200);
  });
}
