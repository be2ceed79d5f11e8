// `POST /v1/sessions/{sessionId}/generate`: a manual session's timeline as a Playwright spec
// (docs/test-generation.md, "From a session"). The job has the same shape as every generation.
import { generationSchema, sessionGenerationRequestSchema } from "../../../shared/contract/generation.ts";
import { createSessionGeneration } from "../../../shared/generation/session-service.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, type Router } from "../../openapi.ts";
import { optionalJsonBody } from "../../optional-body.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";

export const createSessionGenerationRoute = defineRoute({
  method: "post",
  path: "/sessions/{sessionId}/generate",
  errors: [422],
  tags: ["Generation"],
  summary: "Turn a manual session's recorded timeline into a Playwright spec (a generation job)",
  description:
    "Optional JSON body `{maxTests?}` (1–500; a session yields one test). Steps become actions on " +
    "user-facing locators, `expect:` notes and findings become assertions. **422** when the session has no steps.",
  permission: "runs:write",
  request: { params: idParam("sessionId", "ses") },
  responses: { 201: jsonContent(generationSchema, "The generation job with its files and figures") },
});

export function registerSessionGenerationRoutes(app: Router) {
  app.openapi(createSessionGenerationRoute, async (c) => {
    // Validated only: one session plans one test, so `maxTests` never cuts anything.
    await optionalJsonBody(c.req.raw, sessionGenerationRequestSchema);
    const { db, artifacts, clock } = c.get("services");
    const job = await createSessionGeneration(
      { db, artifacts, now: clock() },
      orgIdOf(c),
      c.req.valid("param").sessionId,
      auditContext(c),
    );
    return c.json(job, 201);
  });
}
