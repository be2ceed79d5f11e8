import { eraseAccount } from "../../../shared/auth/account-erasure.ts";
import { identityCheckSchema } from "../../../shared/contract/auth.ts";
import { ApiError, notFound } from "../../../shared/errors.ts";
import { findUser } from "../../../shared/tenancy/memberships.ts";
import { clearSessionCookie } from "../../middleware/session-cookie.ts";
import { idParam, jsonBody, type Router } from "../../openapi.ts";
import { auditContext } from "../../request-context.ts";
import { defineRoute } from "../../route.ts";
import { reauthenticate } from "./reauth.ts";

/** GDPR erasure of a user account, by the user or a platform admin: docs/data-lifecycle.md. */
export function registerAccountErasureRoutes(app: Router) {
  app.openapi(
    defineRoute({
      method: "delete",
      path: "/me",
      access: "orgless",
      tags: ["Auth"],
      summary: "Delete my account and erase my personal data (password and second factor re-checked)",
      description:
        "Refused with 409, naming them, while you are the last owner of an organisation. Erases email, name, sign-ins, second factor, reset links, SSO links and invites; audit rows keep your user id and pseudonyms.",
      errors: [409],
      request: { body: jsonBody(identityCheckSchema) },
      responses: { 204: { description: "Erased; the session ends" } },
    }),
    async function eraseMeHandler(c) {
      const user = await reauthenticate(c, c.req.valid("json"));
      const { db, keyCache, artifacts } = c.get("services");
      await eraseAccount({ db, keys: keyCache, artifacts }, user, auditContext(c));
      clearSessionCookie(c);
      return c.body(null, 204);
    },
  );

  app.openapi(
    defineRoute({
      method: "post",
      path: "/admin/users/{userId}/erase",
      tags: ["Platform admin"],
      summary: "Erase a user account on the user's request (platform admins; their own identity re-checked)",
      errors: [404, 409],
      request: { params: idParam("userId", "usr"), body: jsonBody(identityCheckSchema) },
      responses: { 204: { description: "Erased" } },
    }),
    async function eraseUserHandler(c) {
      if (!c.get("principal").isPlatformAdmin)
        throw new ApiError("forbidden", "Platform administrators only");
      await reauthenticate(c, c.req.valid("json"));
      const { db, keyCache, artifacts } = c.get("services");
      const user = await findUser(db, c.req.valid("param").userId);
      if (!user) throw notFound("User");
      await eraseAccount({ db, keys: keyCache, artifacts }, user, auditContext(c));
      return c.body(null, 204);
    },
  );
}
