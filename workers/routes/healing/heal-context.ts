import type { RouteHandler } from "@hono/zod-openapi";
import { healContextSchema } from "../../../shared/contract/healing.ts";
import { healContext } from "../../../shared/healing/store/heal-context.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonContent, type Router } from "../../openapi.ts";
import { defineRoute } from "../../route.ts";

const healContextRoute = defineRoute({
  method: "get",
  path: "/heals/{healId}/context",
  tags: ["Healing"],
  summary: "The DOM around a healed locator's old and new element, for review",
  description:
    "Rebuilt from the heal's input (docs/heal-review.md): in the DOM form the parent element's HTML around " +
    "the old selector's match in `previousDom` and around the healed selector's match in `dom`; in the " +
    "candidates form the described elements. Each side is null when it cannot be found.",
  permission: "heal:read",
  request: { params: idParam("healId", "hlc") },
  responses: { 200: jsonContent(healContextSchema, "The old and new element in context") },
});

const healContextHandler: RouteHandler<typeof healContextRoute, HonoEnv> = async (c) => {
  const { db, artifacts } = c.get("services");
  return c.json(await healContext({ db, artifacts }, orgIdOf(c), c.req.valid("param").healId), 200);
};

export function registerHealContextRoute(app: Router) {
  app.openapi(healContextRoute, healContextHandler);
}
