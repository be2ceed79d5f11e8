import {
  customRolePatchSchema,
  newCustomRoleSchema,
  roleListSchema,
  roleSchema,
} from "../../../shared/contract/tenancy.ts";
import {
  createCustomRole,
  deleteCustomRole,
  listRoles,
  updateCustomRole,
} from "../../../shared/tenancy/roles.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { actorOf } from "./actor.ts";

const roles = routeGroup({ tags: ["Roles"], permission: "roles:manage" });
const params = idParam("roleId", "rol");

roles.handle(
  roles.get("/roles", {
    summary: "Built-in and custom roles with their permissions",
    permission: "members:read",
    responses: { 200: jsonContent(roleListSchema, "Roles") },
  }),
  async function listRolesHandler(c) {
    return c.json(await listRoles(c.get("services").db, orgIdOf(c)), 200);
  },
);

roles.handle(
  roles.post("/roles", {
    summary: "Create a custom role (a named permission set)",
    request: { body: jsonBody(newCustomRoleSchema) },
    responses: { 201: jsonContent(roleSchema, "The role") },
  }),
  async function createRoleHandler(c) {
    const role = await createCustomRole(c.get("services").db, orgIdOf(c), actorOf(c), c.req.valid("json"));
    return c.json(role, 201);
  },
);

roles.handle(
  roles.patch("/roles/{roleId}", {
    summary: "Update a custom role",
    request: { params, body: jsonBody(customRolePatchSchema) },
    responses: { 200: jsonContent(roleSchema, "The role") },
  }),
  async function updateRoleHandler(c) {
    const { roleId } = c.req.valid("param");
    const { db } = c.get("services");
    const role = await updateCustomRole(
      db,
      c.get("services").keyCache,
      orgIdOf(c),
      actorOf(c),
      roleId,
      c.req.valid("json"),
    );
    return c.json(role, 200);
  },
);

roles.handle(
  roles.delete("/roles/{roleId}", {
    errors: [409],
    summary: "Delete a custom role that nobody holds",
    request: { params },
    responses: { 204: { description: "Deleted" } },
  }),
  async function deleteRoleHandler(c) {
    await deleteCustomRole(c.get("services").db, orgIdOf(c), actorOf(c), c.req.valid("param").roleId);
    return c.body(null, 204);
  },
);

export const registerRoleRoutes = (app: Router) => roles.register(app);
