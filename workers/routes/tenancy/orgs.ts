import {
  membershipListSchema,
  organizationSchema,
  orgNameSchema,
  planChangeSchema,
  usageSchema,
} from "../../../shared/contract/tenancy.ts";
import {
  changePlan,
  createOrganization,
  organizationsOf,
  renameOrganization,
  requireOrganization,
  toOrganization,
} from "../../../shared/tenancy/organizations.ts";
import { usageReport } from "../../../shared/tenancy/usage.ts";
import { ApiError } from "../../errors.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { signedInUser } from "./reauth.ts";

const tags = ["Organizations"];
const orgs = routeGroup({ tags });

orgs.handle(
  orgs.get("/orgs", {
    access: "orgless",
    summary: "Organisations of the caller (a key sees its own)",
    responses: { 200: jsonContent(membershipListSchema, "Memberships") },
  }),
  async function listOrgsHandler(c) {
    const { userId } = c.get("principal");
    const caller = userId ? { userId } : { orgId: orgIdOf(c) };
    return c.json(await organizationsOf(c.get("services").db, caller), 200);
  },
);

orgs.handle(
  orgs.post("/orgs", {
    access: "orgless",
    summary: "Create an organisation (signed-in users); the caller becomes its owner",
    errors: [409],
    request: { body: jsonBody(orgNameSchema) },
    responses: { 201: jsonContent(organizationSchema, "The new organisation") },
  }),
  async function createOrgHandler(c) {
    const userId = signedInUser(c, "API keys cannot create organisations");
    const { name } = c.req.valid("json");
    const { db, config } = c.get("services");
    return c.json(await createOrganization(db, userId, auditContext(c), name, config.maxOwnedOrgs), 201);
  },
);

orgs.answer(
  orgs.get("/org", {
    summary: "The current organisation",
    permission: "org:read",
    responses: { 200: jsonContent(organizationSchema, "The organisation") },
  }),
  async function getOrgHandler({ db, orgId }) {
    return toOrganization(await requireOrganization(db, orgId));
  },
);

orgs.answer(
  orgs.patch("/org", {
    summary: "Rename the current organisation",
    permission: "org:manage",
    request: { body: jsonBody(orgNameSchema) },
    responses: { 200: jsonContent(organizationSchema, "The organisation") },
  }),
  function renameOrgHandler({ db, orgId, audit, json }) {
    return renameOrganization(db, orgId, audit, json.name);
  },
);

orgs.handle(
  orgs.get("/usage", {
    summary: "Rate-limit usage of the current organisation (owners and admins)",
    permission: "usage:read",
    responses: { 200: jsonContent(usageSchema, "Usage per policy") },
  }),
  async function usageHandler(c) {
    const { rateLimiter } = c.get("services");
    const limiter = rateLimiter.get(rateLimiter.idFromName(orgIdOf(c)));
    return c.json(usageReport(c.get("principal").plan, await limiter.usage()), 200);
  },
);

orgs.handle(
  orgs.put("/admin/orgs/{orgId}/plan", {
    tags: ["Platform admin"],
    summary: "Change an organisation's plan (platform admins only)",
    request: { params: idParam("orgId", "org"), body: jsonBody(planChangeSchema) },
    responses: { 200: jsonContent(organizationSchema, "The organisation") },
  }),
  async function changePlanHandler(c) {
    if (!c.get("principal").isPlatformAdmin) throw new ApiError("forbidden", "Platform administrators only");
    const { orgId } = c.req.valid("param");
    const { db, keyCache } = c.get("services");
    return c.json(await changePlan(db, keyCache, orgId, auditContext(c), c.req.valid("json").plan), 200);
  },
);

export const registerOrgRoutes = (app: Router) => orgs.register(app);
