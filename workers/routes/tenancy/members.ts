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
import { routeGroup } from "../../route.ts";
import { evictFromRooms } from "../sessions/evict.ts";
import { actorOf } from "./actor.ts";

const members = routeGroup({ tags: ["Members"] });
const params = idParam("userId", "usr");

members.handle(
  members.get("/members", {
    summary: "List members",
    permission: "members:read",
    request: { query: memberQuerySchema },
    responses: { 200: jsonContent(memberPageSchema, "Members") },
  }),
  async function listMembersHandler(c) {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listMembers(c.get("services").db, orgIdOf(c), limit, cursor), 200);
  },
);

members.handle(
  members.patch("/members/{userId}", {
    summary: "Change a member's role",
    permission: "members:manage",
    request: { params, body: jsonBody(roleChangeSchema) },
    responses: { 200: jsonContent(memberRoleResultSchema, "Updated") },
  }),
  async function changeMemberRoleHandler(c) {
    const { userId } = c.req.valid("param");
    const { db, keyCache } = c.get("services");
    const result = await changeMemberRole(db, keyCache, orgIdOf(c), actorOf(c), userId, c.req.valid("json"));
    return c.json(result, 200);
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
