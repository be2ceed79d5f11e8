import type { RouteHandler } from "@hono/zod-openapi";
import { healAttemptSchema, suggestionReviewSchema } from "../../../shared/contract/healing.ts";
import { reviewSuggestion, type SuggestionDecision } from "../../../shared/healing/store/suggestions.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";

function suggestionRoute<D extends SuggestionDecision>(decision: D) {
  return defineRoute({
    method: "post",
    path: `/heal/attempts/{attemptId}/suggestion/${decision}` as `/heal/attempts/{attemptId}/suggestion/${D}`,
    rate: { policy: "heal" },
    errors: [409, 422],
    tags: ["Healing"],
    summary:
      decision === "approve"
        ? "Approve the suggestion of an abstaining heal: the suggested element was the right one"
        : "Reject the suggestion of an abstaining heal: the suggested element was not the right one",
    description:
      "Records the verdict as feedback on the attempt (retraining and the tenant's threshold learn from " +
      "it). 409 when the attempt healed or carried no suggestion. The list of suggestions awaiting " +
      "review is `GET /heal/attempts?outcome=suggested`.",
    permission: "heal:write",
    request: {
      params: idParam("attemptId", "hea"),
      body: { ...jsonBody(suggestionReviewSchema), required: false },
    },
    responses: { 200: jsonContent(healAttemptSchema, "The attempt with the verdict recorded") },
  });
}

function suggestionHandler<D extends SuggestionDecision>(
  decision: D,
): RouteHandler<ReturnType<typeof suggestionRoute<D>>, HonoEnv> {
  return async function reviewSuggestionHandler(c) {
    const { attempt, retraining } = await reviewSuggestion(
      c.get("services"),
      orgIdOf(c),
      auditContext(c),
      c.req.valid("param").attemptId,
      decision,
      c.req.valid("json") ?? {},
    );
    c.executionCtx.waitUntil(retraining);
    return c.json(attempt, 200);
  };
}

export function registerSuggestionRoutes(app: Router) {
  app.openapi(suggestionRoute("approve"), suggestionHandler("approve"));
  app.openapi(suggestionRoute("reject"), suggestionHandler("reject"));
}
