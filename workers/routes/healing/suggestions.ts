import { healAttemptSchema, suggestionReviewSchema } from "../../../shared/contract/healing.ts";
import { reviewSuggestion } from "../../../shared/healing/store/suggestions.ts";
import type { Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { verdictRoutes } from "./verdicts.ts";

const suggestions = routeGroup({ tags: ["Healing"], rate: { policy: "heal" } });

verdictRoutes(suggestions, "/heal/attempts/{attemptId}/suggestion", {
  id: { name: "attemptId", prefix: "hea" },
  errors: [409, 422],
  summary: {
    approve: "Approve the suggestion of an abstaining heal: the suggested element was the right one",
    reject: "Reject the suggestion of an abstaining heal: the suggested element was not the right one",
  },
  description:
    "Records the verdict as feedback on the attempt (retraining and the tenant's threshold learn from " +
    "it). 409 when the attempt healed or carried no suggestion. The list of suggestions awaiting " +
    "review is `GET /heal/attempts?outcome=suggested`.",
  note: suggestionReviewSchema,
  answer: {
    field: "attempt",
    schema: healAttemptSchema,
    description: "The attempt with the verdict recorded",
  },
  review: reviewSuggestion,
});

export const registerSuggestionRoutes = (app: Router) => suggestions.register(app);
