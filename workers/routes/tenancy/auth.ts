import type { Context } from "hono";
import type { AccountMailer } from "../../../shared/auth/account-mail.ts";
import { type RequestOrigin, signIn, signUp, whoAmI } from "../../../shared/auth/accounts.ts";
import { endSignIn } from "../../../shared/auth/sign-ins.ts";
import { requestSignUp } from "../../../shared/auth/sign-up.ts";
import { chargeSignIn, chargeSignUp } from "../../../shared/auth/throttle.ts";
import { authTokenSettings, verifyAuthToken } from "../../../shared/auth/token.ts";
import { checkEmailSchema, mfaChallengeSchema } from "../../../shared/contract/auth.ts";
import { authSessionSchema, meSchema, signInSchema, signUpSchema } from "../../../shared/contract/tenancy.ts";
import { ApiError } from "../../../shared/errors.ts";
import { findUser } from "../../../shared/tenancy/memberships.ts";
import { authBuckets } from "../../auth-buckets.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { clearSessionCookie, sessionCookieOf, setSessionCookie } from "../../middleware/session-cookie.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";

const auth = routeGroup({ tags: ["Auth"] });

/** Where an unauthenticated request came from (sign-up and sign-in have no principal yet). */
export function originOf(c: Context<HonoEnv>): RequestOrigin {
  return {
    ip: c.req.header("cf-connecting-ip") ?? null,
    userAgent: c.req.header("user-agent") ?? null,
    requestId: c.get("requestId"),
  };
}

/** The mail side of neutral sign-up and password reset, or null without a provider (docs/email.md). */
export function mailerOf(c: Context<HonoEnv>): AccountMailer | null {
  const { mail, config, logger } = c.get("services");
  if (!mail) return null;
  return { mail, publicUrl: config.publicUrl, logger, defer: (work) => c.executionCtx.waitUntil(work) };
}

/**
 * Before a signed-in user's password is checked again (changing it, turning the second factor off):
 * the user, read once for the use case too, and a charge on the sign-in brakes (shared/auth/throttle.ts),
 * so a stolen token does not become a way to guess the password.
 */
export async function chargePasswordCheck(c: Context<HonoEnv>, userId: string) {
  const { db, rateLimiter } = c.get("services");
  const user = await findUser(db, userId);
  if (!user) throw new ApiError("unauthenticated", "The session's user no longer exists");
  const attempt = await chargeSignIn(authBuckets(rateLimiter), originOf(c).ip, user.email);
  return { user, attempt };
}

auth.handle(
  auth.post("/auth/signup", {
    access: "public",
    errors: [400, 409, 429, 503],
    summary:
      "Sign up: with a mail provider, 202 and a link by email (neutral); without one, the account at once",
    description:
      "With a mail provider the answer is the same 202 for a new and a known address: a new one receives a link for POST /v1/auth/signup/verify, a known one a notice. Without a provider (development only) the account and its first organisation are created at once (201, with the sign-in cookie; 409 for a taken address). In production without a provider: 503.",
    request: { body: jsonBody(signUpSchema) },
    responses: {
      201: jsonContent(authSessionSchema, "Signed in (no mail provider, outside production)"),
      202: jsonContent(checkEmailSchema, "A link or a notice is on its way to the address"),
    },
  }),
  async function signUpHandler(c) {
    const { db, config, rateLimiter } = c.get("services");
    const input = c.req.valid("json");
    await chargeSignUp(authBuckets(rateLimiter), originOf(c).ip, input.email);
    const mailer = mailerOf(c);
    if (mailer) return c.json(await requestSignUp(db, mailer, input), 202);
    // Without mail there is no neutral answer to give: only a development server may sign up directly.
    if (config.appEnv === "production")
      throw new ApiError("not_configured", "Sign-up needs a mail provider (docs/email.md)");
    const session = await signUp(db, authTokenSettings(config), originOf(c), input);
    setSessionCookie(c, session.token);
    return c.json(session, 201);
  },
);

auth.handle(
  auth.post("/auth/signin", {
    access: "public",
    errors: [400, 401, 429],
    summary:
      "Sign in with email and password (also sets the dashboard's sign-in cookie); 202 asks for the second factor",
    request: { body: jsonBody(signInSchema) },
    responses: {
      200: jsonContent(authSessionSchema, "Signed in"),
      202: jsonContent(
        mfaChallengeSchema,
        "Password accepted; send the challenge and a code to POST /v1/auth/mfa/verify",
      ),
    },
  }),
  async function signInHandler(c) {
    const { db, config, rateLimiter } = c.get("services");
    const input = c.req.valid("json");
    // Failures keep their charge (throttle.ts); a good password refunds it.
    const attempt = await chargeSignIn(authBuckets(rateLimiter), originOf(c).ip, input.email);
    const defer = (work: Promise<unknown>) => c.executionCtx.waitUntil(work);
    const session = await signIn(db, authTokenSettings(config), originOf(c), input, defer);
    await attempt.succeeded();
    if ("challenge" in session) return c.json(session, 202);
    setSessionCookie(c, session.token);
    return c.json(session, 200);
  },
);

auth.handle(
  auth.post("/auth/signout", {
    // Public so that a stale or expired cookie can always be cleared; it changes nothing else.
    access: "public",
    summary: "Sign out of the dashboard: ends the cookie's sign-in on the server and clears the cookie",
    responses: { 204: { description: "Signed out" } },
  }),
  async function signOutHandler(c) {
    const token = sessionCookieOf(c);
    const { db, config } = c.get("services");
    const claims = token ? await verifyAuthToken(authTokenSettings(config), token) : null;
    if (claims) await endSignIn(db, claims.userId, claims.sid);
    clearSessionCookie(c);
    return c.body(null, 204);
  },
);

auth.handle(
  auth.get("/me", {
    access: "orgless",
    summary: "Who am I: the user or API key and the current organisation",
    responses: { 200: jsonContent(meSchema, "The principal") },
  }),
  async function meHandler(c) {
    return c.json(await whoAmI(c.get("services").db, c.get("principal")), 200);
  },
);

export const registerAuthRoutes = (app: Router) => auth.register(app);
