import { confirmPasswordReset, requestPasswordReset } from "../../../shared/auth/password-reset.ts";
import { verifySignUp } from "../../../shared/auth/sign-up.ts";
import { chargeEmailedToken, chargePasswordReset } from "../../../shared/auth/throttle.ts";
import { authTokenSettings } from "../../../shared/auth/token.ts";
import {
  checkEmailSchema,
  passwordResetConfirmSchema,
  passwordResetRequestSchema,
  signUpVerifySchema,
} from "../../../shared/contract/auth.ts";
import { authSessionSchema } from "../../../shared/contract/tenancy.ts";
import { ApiError } from "../../../shared/errors.ts";
import { authBuckets } from "../../auth-buckets.ts";
import { setSessionCookie } from "../../middleware/session-cookie.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { mailerOf, originOf } from "./auth.ts";

const links = routeGroup({ tags: ["Auth"], access: "public" });

links.handle(
  links.post("/auth/signup/verify", {
    errors: [409, 410, 429],
    summary: "Finish a sign-up with the emailed link's token: creates the account and signs in",
    request: { body: jsonBody(signUpVerifySchema) },
    responses: { 201: jsonContent(authSessionSchema, "Signed in") },
  }),
  async function verifySignUpHandler(c) {
    const { db, config, rateLimiter } = c.get("services");
    await chargeEmailedToken(authBuckets(rateLimiter), originOf(c).ip);
    const { token } = c.req.valid("json");
    const session = await verifySignUp(db, authTokenSettings(config), originOf(c), token);
    setSessionCookie(c, session.token);
    return c.json(session, 201);
  },
);

links.handle(
  links.post("/auth/password-reset", {
    errors: [429, 503],
    summary: "Email a password-reset link; the same answer whether or not the address has an account",
    request: { body: jsonBody(passwordResetRequestSchema) },
    responses: {
      202: jsonContent(checkEmailSchema, "If the address has an account, a link is on its way"),
    },
  }),
  async function requestPasswordResetHandler(c) {
    const { db, rateLimiter } = c.get("services");
    const { email } = c.req.valid("json");
    await chargePasswordReset(authBuckets(rateLimiter), originOf(c).ip, email);
    const mailer = mailerOf(c);
    if (!mailer)
      throw new ApiError(
        "not_configured",
        "Password reset by email needs a mail provider (docs/email.md); ask an administrator",
      );
    return c.json(await requestPasswordReset(db, mailer, email, originOf(c)), 202);
  },
);

links.handle(
  links.post("/auth/password-reset/confirm", {
    errors: [410, 429],
    summary: "Set a new password with the emailed link's token; every sign-in of the account ends",
    request: { body: jsonBody(passwordResetConfirmSchema) },
    responses: { 204: { description: "Password changed; sign in with it" } },
  }),
  async function confirmPasswordResetHandler(c) {
    const { db, rateLimiter } = c.get("services");
    await chargeEmailedToken(authBuckets(rateLimiter), originOf(c).ip);
    await confirmPasswordReset(db, c.req.valid("json"), originOf(c));
    return c.body(null, 204);
  },
);

/** Emailed links: finishing a sign-up, and resetting a forgotten password (docs/sso-mfa.md). */
export const registerAccountLinkRoutes = (app: Router) => links.register(app);
