// `POST /v1/sessions/{sessionId}/generate`: a manual session's timeline as a Playwright spec
// (docs/test-generation.md, "From a session"). The job has the same shape as every generation.
import {
  generationSchema,
  type SessionGenerationRequest,
  sessionGenerationRequestSchema,
} from "../../../shared/contract/generation.ts";
import { ApiError } from "../../../shared/errors.ts";
import { createSessionGeneration } from "../../../shared/generation/session-service.ts";
import { validationError } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, type Router } from "../../openapi.ts";
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
    await optionalBody(c.req.raw);
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

/** Empty means `{}`; anything else must match the schema (else 400). */
async function optionalBody(request: Request): Promise<SessionGenerationRequest> {
  const raw = (await request.text()).trim();
  if (!raw) return {};
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new ApiError("malformed_json", "The request body is not valid JSON");
  }
  const parsed = sessionGenerationRequestSchema.safeParse(json);
  if (!parsed.success) throw validationError(parsed.error, "body");
  return parsed.data;
}
