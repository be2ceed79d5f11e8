import {
  healedLocatorSchema,
  healReviewSchema,
  healSettingsInputSchema,
  healSettingsSchema,
  healStatusSchema,
  recordHealSchema,
} from "../../../shared/contract/healing.ts";
import {
  healSettingsOf,
  listHeals,
  recordHeal,
  reviewHeal,
  saveHealSettings,
} from "../../../shared/healing/store/locators.ts";
import { undoHealReview } from "../../../shared/healing/store/undo-review.ts";
import { locatorPendingReview } from "../../../shared/notifications/announcements.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { announce } from "../../announce.ts";
import { jsonWithEtag, notModifiedResponse } from "../../etag.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, pageOf, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { verdictRoutes } from "./verdicts.ts";

const tags = ["Healing"];
const heal = routeGroup({ tags, permission: "heal:read" });
const projectParams = idParam("projectId", "prj");

const listHealsRoute = heal.get("/projects/{projectId}/heals", {
  summary: "Healed locators: the review queue (pending) and the accepted map later runs reuse",
  description:
    "Answers with an ETag; a request whose If-None-Match names it gets 304 (the dashboard polls this).",
  request: { params: projectParams, query: pageQuerySchema.extend({ status: healStatusSchema.optional() }) },
  responses: {
    200: jsonContent(pageOf(healedLocatorSchema), "A page of healed locators"),
    ...notModifiedResponse,
  },
});

heal.handle(listHealsRoute, async function listHealsHandler(c) {
  const { projectId } = c.req.valid("param");
  const page = await listHeals(c.get("services").db, orgIdOf(c), projectId, c.req.valid("query"));
  return jsonWithEtag(c, page);
});

const recordHealRoute = heal.post("/projects/{projectId}/heals", {
  summary: "Record a heal made during a test run",
  description:
    "Accepted at once when `confidence` is at or above the project's auto-accept threshold, else pending " +
    "review. Recording the same heal (same selectors at the same location) again returns the existing " +
    "record with 200 and counts the occurrence.",
  permission: "heal:write",
  request: { params: projectParams, body: jsonBody(recordHealSchema) },
  responses: {
    201: jsonContent(healedLocatorSchema, "Recorded"),
    200: jsonContent(healedLocatorSchema, "Recorded before; occurrence counted"),
  },
});

heal.handle(recordHealRoute, async function recordHealHandler(c) {
  const services = c.get("services");
  const { projectId } = c.req.valid("param");
  const body = c.req.valid("json");
  const orgId = orgIdOf(c);
  const recorded = await recordHeal(services.db, orgId, auditContext(c), projectId, body, services.clock());
  const { locator, created } = recorded;
  // Below the auto-accept threshold a new heal waits in the review queue.
  const pending = created ? locatorPendingReview(orgId, locator) : null;
  if (pending) c.executionCtx.waitUntil(announce(services, [pending]));
  return created ? c.json(locator, 201) : c.json(locator, 200);
});

const undoReviewRoute = heal.post("/heals/{healId}/undo", {
  summary: "Undo your approval or rejection of a heal within two minutes: it is pending again",
  description:
    "Also clears the verdict the review recorded on the heal attempt. 409 after the window, for an automatic acceptance, or for another person's review.",
  permission: "heal:write",
  errors: [409],
  request: { params: idParam("healId", "hlc") },
  responses: { 200: jsonContent(healedLocatorSchema, "Pending again") },
});

verdictRoutes(heal, "/heals/{healId}", {
  id: { name: "healId", prefix: "hlc" },
  summary: {
    approve: "Approve a healed locator: later runs reuse it",
    reject: "Reject a healed locator: later runs never reuse it",
  },
  description: "Also records the decision as feedback on the heal attempt, so retraining learns from it.",
  note: healReviewSchema,
  answer: { field: "locator", schema: healedLocatorSchema, description: "Reviewed" },
  review: reviewHeal,
});

heal.answer(undoReviewRoute, function undoReviewHandler({ services, orgId, audit, param }) {
  return undoHealReview(services, orgId, audit, param.healId);
});

const healSettingsRoute = heal.get("/projects/{projectId}/heal-settings", {
  summary: "The project's healing settings (auto-accept threshold)",
  request: { params: projectParams },
  responses: { 200: jsonContent(healSettingsSchema, "Settings") },
});

heal.answer(healSettingsRoute, function healSettingsHandler({ db, orgId, param }) {
  return healSettingsOf(db, orgId, param.projectId);
});

const saveHealSettingsRoute = heal.put("/projects/{projectId}/heal-settings", {
  summary: "Set the project's auto-accept threshold for recorded heals",
  permission: ["projects:write", "heal:write"],
  request: { params: projectParams, body: jsonBody(healSettingsInputSchema) },
  responses: { 200: jsonContent(healSettingsSchema, "Settings") },
});

heal.answer(saveHealSettingsRoute, function saveHealSettingsHandler({ services, orgId, audit, param, json }) {
  const { db, clock } = services;
  return saveHealSettings(db, orgId, audit, param.projectId, json.autoAcceptThreshold, clock());
});

export function registerHealedLocatorRoutes(app: Router) {
  heal.register(app);
}
