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
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const roles = routeGroup({ tags: ["Roles"], permission: "roles:manage" });
const params = idParam("roleId", "rol");

roles.answer(
  roles.get("/roles", {
    summary: "Built-in and custom roles with their permissions",
    permission: "members:read",
    responses: { 200: jsonContent(roleListSchema, "Roles") },
  }),
  function listRolesHandler({ db, orgId }) {
    return listRoles(db, orgId);
  },
);

roles.answer(
  roles.post("/roles", {
    summary: "Create a custom role (a named permission set)",
    request: { body: jsonBody(newCustomRoleSchema) },
    responses: { 201: jsonContent(roleSchema, "The role") },
  }),
  function createRoleHandler({ db, orgId, actor, json }) {
    return createCustomRole(db, orgId, actor, json);
  },
);

roles.answer(
  roles.patch("/roles/{roleId}", {
    summary: "Update a custom role",
    request: { params, body: jsonBody(customRolePatchSchema) },
    responses: { 200: jsonContent(roleSchema, "The role") },
  }),
  function updateRoleHandler({ services, orgId, actor, param, json }) {
    return updateCustomRole(services.db, services.keyCache, orgId, actor, param.roleId, json);
  },
);

roles.answer(
  roles.delete("/roles/{roleId}", {
    errors: [409],
    summary: "Delete a custom role that nobody holds",
    request: { params },
    responses: { 204: { description: "Deleted" } },
  }),
  function deleteRoleHandler({ db, orgId, actor, param }) {
    return deleteCustomRole(db, orgId, actor, param.roleId);
  },
);

export const registerRoleRoutes = (app: Router) => roles.register(app);
