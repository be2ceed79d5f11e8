import {
  memberPageSchema,
  memberQuerySchema,
  memberRoleResultSchema,
  roleChangeSchema,
} from "../../../shared/contract/tenancy.ts";
import { keyIdsOfUser } from "../../../shared/tenancy/api-key-cache.ts";
import { changeMemberRole, listMembers, removeMember } from "../../../shared/tenancy/members.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { actorOf } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { evictFromRooms } from "../sessions/evict.ts";

const members = routeGroup({ tags: ["Members"] });
const params = idParam("userId", "usr");

members.answer(
  members.get("/members", {
    summary: "List members",
    permission: "members:read",
    request: { query: memberQuerySchema },
    responses: { 200: jsonContent(memberPageSchema, "Members") },
  }),
  function listMembersHandler({ db, orgId, query }) {
    return listMembers(db, orgId, query.limit, query.cursor);
  },
);

members.answer(
  members.patch("/members/{userId}", {
    summary: "Change a member's role",
    permission: "members:manage",
    request: { params, body: jsonBody(roleChangeSchema) },
    responses: { 200: jsonContent(memberRoleResultSchema, "Updated") },
  }),
  function changeMemberRoleHandler({ services, orgId, actor, param, json }) {
    return changeMemberRole(services.db, services.keyCache, orgId, actor, param.userId, json);
  },
);

members.handle(
  members.delete("/members/{userId}", {
    summary: "Remove a member (or leave, for yourself)",
    request: { params },
    responses: { 204: { description: "Removed" } },
  }),
  async function removeMemberHandler(c) {
    const services = c.get("services");
    const { userId } = c.req.valid("param");
    const orgId = orgIdOf(c);
    await removeMember(services.db, services.keyCache, orgId, actorOf(c), userId);
    const keyIds = await keyIdsOfUser(services.db, orgId, userId);
    await evictFromRooms(services, orgId, [userId, ...keyIds], "You were removed from the organisation");
    return c.body(null, 204);
  },
);

export const registerMemberRoutes = (app: Router) => members.register(app);
