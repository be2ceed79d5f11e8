import type { RouteHandler } from "@hono/zod-openapi";
import { healFeedbackRequestSchema, healFeedbackSchema } from "../../../shared/contract/healing.ts";
import { recordFeedback } from "../../../shared/healing/store/feedback.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";

const feedbackRoute = defineRoute({
  method: "post",
  path: "/heal/{attemptId}/feedback",
  rate: { policy: "heal" },
  errors: [422],
  tags: ["Healing"],
  summary: "Record whether a heal was right (the truth used for retraining)",
  permission: "heal:write",
  request: { params: idParam("attemptId", "hea"), body: jsonBody(healFeedbackRequestSchema) },
  responses: { 200: jsonContent(healFeedbackSchema, "Recorded") },
});

const feedbackHandler: RouteHandler<typeof feedbackRoute, HonoEnv> = async (c) => {
  const { recorded, retraining } = await recordFeedback(
    c.get("services"),
    orgIdOf(c),
    auditContext(c),
    c.req.valid("param").attemptId,
    c.req.valid("json"),
  );
  c.executionCtx.waitUntil(retraining);
  return c.json(recorded, 200);
};

export function registerFeedbackRoute(app: Router) {
  app.openapi(feedbackRoute, feedbackHandler);
}
