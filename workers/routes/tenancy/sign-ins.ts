import type { Context } from "hono";
import { changePassword } from "../../../shared/auth/password-change.ts";
import { endSignIn, listSignIns, PASSWORD_ONLY } from "../../../shared/auth/sign-ins.ts";
import { authTokenSettings } from "../../../shared/auth/token.ts";
import { passwordChangeSchema, signInListSchema } from "../../../shared/contract/auth.ts";
import { authSessionSchema } from "../../../shared/contract/tenancy.ts";
import { notFound } from "../../../shared/errors.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { keepSessionCookie } from "../../middleware/session-cookie.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { chargePasswordCheck, originOf } from "./auth.ts";
import { signedInUser } from "./reauth.ts";

const signIns = routeGroup({ tags: ["Auth"], access: "orgless" });

const userOf = (c: Context<HonoEnv>) => signedInUser(c, "Sign-ins belong to users, not API keys");

signIns.handle(
  signIns.get("/auth/sign-ins", {
    summary: "My live sign-ins (devices and browsers holding a token)",
    responses: { 200: jsonContent(signInListSchema, "Live sign-ins, newest first") },
  }),
  async function listSignInsHandler(c) {
    const userId = userOf(c);
    const items = await listSignIns(c.get("services").db, userId, c.get("principal").signInId ?? null);
    return c.json({ items }, 200);
  },
);

signIns.handle(
  signIns.delete("/auth/sign-ins/{signInId}", {
    summary: "End one of my sign-ins (its token stops working)",
    request: { params: idParam("signInId", "sgn") },
    responses: { 204: { description: "Ended" } },
  }),
  async function endSignInHandler(c) {
    // An API key has no sign-ins: every id is unknown to it.
    const { userId } = c.get("principal");
    if (!userId) throw notFound("Sign-in");
    await endSignIn(c.get("services").db, userId, c.req.valid("param").signInId);
    return c.body(null, 204);
  },
);

signIns.handle(
  signIns.post("/auth/password", {
    errors: [429],
    summary: "Change my password; every sign-in ends and a new one is returned",
    request: { body: jsonBody(passwordChangeSchema) },
    responses: { 200: jsonContent(authSessionSchema, "Signed in again with the new password") },
  }),
  async function changePasswordHandler(c) {
    const { db, config } = c.get("services");
    const { user, attempt } = await chargePasswordCheck(c, userOf(c));
    const session = await changePassword(
      db,
      authTokenSettings(config),
      originOf(c),
      user,
      c.req.valid("json"),
      c.get("principal").signInMethod ?? PASSWORD_ONLY,
    );
    await attempt.succeeded();
    keepSessionCookie(c, session.token);
    return c.json(session, 200);
  },
);

/** The caller's dashboard sign-ins (shared/auth/sign-ins.ts) and the password change that ends them. */
export const registerSignInRoutes = (app: Router) => signIns.register(app);
