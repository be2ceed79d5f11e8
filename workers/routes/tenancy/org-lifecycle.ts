import {
  deletedOrgListSchema,
  identityCheckSchema,
  orgRestoreSchema,
} from "../../../shared/contract/auth.ts";
import { ApiError } from "../../../shared/errors.ts";
import {
  listDeletedOrganizations,
  restoreOrganization,
  softDeleteOrganization,
} from "../../../shared/tenancy/org-lifecycle.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { reauthenticate, signedInUser } from "./reauth.ts";

const lifecycle = routeGroup({ tags: ["Organizations"] });

lifecycle.handle(
  lifecycle.delete("/org", {
    summary: "Delete the current organisation (owners; password and second factor re-checked)",
    description:
      "Unusable at once: members no longer reach it and its API keys answer 401. An owner can restore it for 30 days (POST /v1/org/restore); then the daily cron erases its rows and files.",
    permission: "org:manage",
    request: { body: jsonBody(identityCheckSchema) },
    responses: { 204: { description: "Deleted; restorable for 30 days" } },
  }),
  async function deleteOrgHandler(c) {
    signedInUser(c);
    if (c.get("principal").role !== "owner")
      throw new ApiError("forbidden", "Only an owner can delete the organisation");
    const { db, keyCache } = c.get("services");
    await reauthenticate(c, c.req.valid("json"));
    await softDeleteOrganization(db, keyCache, orgIdOf(c), auditContext(c));
    return c.body(null, 204);
  },
);

lifecycle.handle(
  lifecycle.get("/orgs/deleted", {
    access: "orgless",
    summary: "Organisations the caller owns that were deleted and can still be restored",
    responses: { 200: jsonContent(deletedOrgListSchema, "Restorable organisations") },
  }),
  async function listDeletedOrgsHandler(c) {
    const items = await listDeletedOrganizations(c.get("services").db, signedInUser(c));
    return c.json({ items }, 200);
  },
);

lifecycle.handle(
  lifecycle.post("/org/restore", {
    access: "orgless",
    summary: "Restore a deleted organisation within 30 days (its owners)",
    errors: [404],
    request: { body: jsonBody(orgRestoreSchema) },
    responses: { 204: { description: "Restored" } },
  }),
  async function restoreOrgHandler(c) {
    const { orgId } = c.req.valid("json");
    await restoreOrganization(c.get("services").db, signedInUser(c), orgId, auditContext(c));
    return c.body(null, 204);
  },
);

/** Deleting an organisation (soft, 30 days to restore) and restoring it: docs/data-lifecycle.md. */
export const registerOrgLifecycleRoutes = (app: Router) => lifecycle.register(app);
