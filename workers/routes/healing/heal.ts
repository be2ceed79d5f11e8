import type { RouteHandler } from "@hono/zod-openapi";
import { type HealRequest, healRequestSchema, healResultSchema } from "../../../shared/contract/healing.ts";
import { requireInOrg } from "../../../shared/db/org-scoped.ts";
import { projects } from "../../../shared/db/schema/tenancy.ts";
import { ApiError } from "../../../shared/errors.ts";
import { HealInputTooLarge } from "../../../shared/healing/limits.ts";
import { healAndRecord } from "../../../shared/healing/store/attempts.ts";
import { suggestionPendingReview } from "../../../shared/notifications/announcements.ts";
import { announce } from "../../announce.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { consume } from "../../middleware/rate-limit.ts";
import { jsonBody, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";
import { healTiebreaker } from "./engine-options.ts";
import { healBodyHook } from "./heal-validation.ts";

/** Heavier requests cost more tokens of the `heal` policy: 1 per 1000 candidates or per MiB of HTML. */
function extraCost(body: HealRequest): number {
  if ("candidates" in body) return Math.floor(body.candidates.length / 1000);
  const bytes = body.dom.length + (body.previousDom?.length ?? 0);
  return Math.floor(bytes / (1024 * 1024));
}

const healRoute = defineRoute({
  method: "post",
  path: "/heal",
  rate: { policy: "heal" },
  bodyLimitBytes: 12 * 1024 * 1024, // dom + previousDom of 5 MiB each, or 5 000 candidates
  errors: [413, 422],
  tags: ["Healing"],
  summary: "Heal a broken locator (candidates form or DOM form)",
  description:
    "Candidates form: the client describes the old element and the live page's candidates; the answer points into `candidates`. DOM form: the server parses `dom` (and `previousDom`) and returns a CSS selector matching exactly the healed element, an indexed xpath and a Playwright locator. `healed:false` means no candidate is confident enough: abstaining beats a wrong heal.",
  permission: "heal:write",
  request: { body: jsonBody(healRequestSchema) },
  responses: {
    200: { description: "The heal", content: { "application/json": { schema: healResultSchema } } },
  },
});

const healHandler: RouteHandler<typeof healRoute, HonoEnv> = async (c) => {
  const orgId = orgIdOf(c);
  const body = c.req.valid("json");
  const services = c.get("services");
  if (body.projectId) await requireInOrg(services.db, projects, orgId, body.projectId, "Project");
  const extra = extraCost(body);
  if (extra > 0) await consume(c, orgId, "heal", extra);
  const { result, exampleStored } = await healAndRecord(
    services,
    orgId,
    body,
    healTiebreaker(c, orgId),
  ).catch(refuseOversizedInput);
  c.executionCtx.waitUntil(exampleStored);
  // An abstention with a suggestion joins the review queue (docs/heal-review.md).
  const pending = suggestionPendingReview(orgId, body, result);
  if (pending) c.executionCtx.waitUntil(announce(services, [pending]));
  return c.json(result, 200);
};

/**
 * The engine refuses pathological input before doing real work (shared/healing/limits.ts): too many
 * elements, attributes or candidates is a 413, nesting deeper than any real page a 422.
 */
function refuseOversizedInput(error: unknown): never {
  if (!(error instanceof HealInputTooLarge)) throw error;
  const detail = `The page is too large to heal: ${error.kind.replaceAll("_", " ")} (limit ${error.limit}, got ${error.actual})`;
  throw new ApiError(error.kind === "too_deep" ? "unprocessable" : "payload_too_large", detail);
}

export function registerHealRoute(app: Router) {
  app.openapi(healRoute, healHandler, healBodyHook);
}
