import {
  createGenerationSchema,
  generationSchema,
  generationSummarySchema,
} from "../../../shared/contract/generation.ts";
import { createGeneration, getGeneration, listGenerations } from "../../../shared/generation/service.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { requireProject } from "../../../shared/tenancy/projects.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";

const generation = routeGroup({ tags: ["Generation"], permission: "runs:read" });

export const createGenerationRoute = generation.post("/projects/{projectId}/generations", {
  summary: "Plan Playwright tests from an exploration of an app (the files are kept in R2)",
  permission: "runs:write",
  // Explorations of larger apps run to a few MiB of interactions.
  bodyLimitBytes: 8 * 1024 * 1024,
  request: { params: idParam("projectId", "prj"), body: jsonBody(createGenerationSchema) },
  responses: { 201: jsonContent(generationSchema, "The generation job with its files and figures") },
});

export const listGenerationsRoute = generation.get("/projects/{projectId}/generations", {
  summary: "List a project's generations, newest first (files named, without contents)",
  request: { params: idParam("projectId", "prj"), query: pageQuerySchema },
  responses: { 200: jsonContent(pageOf(generationSummarySchema), "A page of generations") },
});

export const getGenerationRoute = generation.get("/generations/{generationId}", {
  summary: "A generation job: status, progress, files and figures",
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

  app.openapi(listGenerationsRoute, async (c) => {
    const orgId = orgIdOf(c);
    const { projectId } = c.req.valid("param");
    const { db } = c.get("services");
    await requireProject(db, orgId, projectId);
    return c.json(await listGenerations(db, orgId, projectId, c.req.valid("query")), 200);
  });

  app.openapi(getGenerationRoute, async (c) => {
    const { db, artifacts } = c.get("services");
    const job = await getGeneration({ db, artifacts }, orgIdOf(c), c.req.valid("param").generationId);
    return c.json(job, 200);
  });
}
