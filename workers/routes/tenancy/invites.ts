import { pageOf } from "../../../shared/contract/common.ts";
import {
  acceptInviteSchema,
  createdInviteSchema,
  inviteAcceptedSchema,
  inviteSchema,
  newInviteSchema,
} from "../../../shared/contract/tenancy.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { mailInvite } from "../../../shared/tenancy/invite-mail.ts";
import { acceptInvite, createInvite, listInvites, revokeInvite } from "../../../shared/tenancy/invites.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { actorOf, auditContext } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { signedInUser } from "./reauth.ts";

const invites = routeGroup({ tags: ["Invites"] });

invites.answer(
  invites.get("/invites", {
    summary: "List invites",
    permission: "members:read",
    request: { query: pageQuerySchema },
    responses: { 200: jsonContent(pageOf(inviteSchema), "Invites") },
  }),
  function listInvitesHandler({ db, orgId, query }) {
    return listInvites(db, orgId, query);
  },
);

invites.handle(
  invites.post("/invites", {
    summary: "Invite someone by email; the token is shown once",
    description:
      "When a mail provider is configured the invitee also receives the link by email (after the response).",
    permission: "members:manage",
    request: { body: jsonBody(newInviteSchema) },
    responses: { 201: jsonContent(createdInviteSchema, "The invite and its one-time token") },
  }),
  async function createInviteHandler(c) {
    const { db, mail, config, logger } = c.get("services");
    const created = await createInvite(db, orgIdOf(c), actorOf(c), c.req.valid("json"));
    if (mail) {
      c.executionCtx.waitUntil(
        mailInvite({ db, mail, publicUrl: config.publicUrl, logger }, orgIdOf(c), created),
      );
    }
    return c.json(created, 201);
  },
);

invites.answer(
  invites.delete("/invites/{inviteId}", {
    summary: "Revoke a pending invite",
    permission: "members:manage",
    request: { params: idParam("inviteId", "inv") },
    responses: { 204: { description: "Revoked" } },
  }),
  function revokeInviteHandler({ db, orgId, actor, param }) {
    return revokeInvite(db, orgId, actor, param.inviteId);
  },
);

invites.handle(
  invites.post("/invites/accept", {
    access: "orgless",
    errors: [410],
    summary: "Accept an invite as the signed-in user (the invite's email must be yours)",
    request: { body: jsonBody(acceptInviteSchema) },
    responses: { 200: jsonContent(inviteAcceptedSchema, "Joined") },
  }),
  async function acceptInviteHandler(c) {
    const userId = signedInUser(c, "Sign in as a user to accept an invite");
    const { token } = c.req.valid("json");
    const { db, keyCache } = c.get("services");
    return c.json(await acceptInvite(db, keyCache, userId, auditContext(c), token), 200);
  },
);

export const registerInviteRoutes = (app: Router) => invites.register(app);
