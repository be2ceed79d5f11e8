import type { Context } from "hono";
import {
  completeMfaSignIn,
  confirmTotpEnrolment,
  disableTotp,
  type MfaDeps,
  mfaStatus,
  startTotpEnrolment,
} from "../../../shared/auth/mfa.ts";
import { chargeSignIn } from "../../../shared/auth/throttle.ts";
import { authTokenSettings, verifyMfaChallenge } from "../../../shared/auth/token.ts";
import {
  mfaDisableSchema,
  mfaEnabledSchema,
  mfaStatusSchema,
  mfaVerifySchema,
  totpCodeSchema,
  totpEnrolmentSchema,
} from "../../../shared/contract/auth.ts";
import { authSessionSchema } from "../../../shared/contract/tenancy.ts";
import { ApiError } from "../../../shared/errors.ts";
import { authBuckets } from "../../auth-buckets.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { keepSessionCookie, setSessionCookie } from "../../middleware/session-cookie.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { routeGroup } from "../../route.ts";
import { chargePasswordCheck, originOf } from "./auth.ts";
import { signedInUser } from "./reauth.ts";

const mfa = routeGroup({ tags: ["Auth"], access: "orgless" });

const userOf = (c: Context<HonoEnv>) => signedInUser(c, "A second factor belongs to a user, not an API key");

function depsOf(c: Context<HonoEnv>): MfaDeps {
  const { db, config } = c.get("services");
  return { db, encryptionKey: config.encryptionKey, tokens: authTokenSettings(config), origin: originOf(c) };
}

/** Brakes on code guessing: the per-account tiers of the sign-in throttle (shared/auth/throttle.ts). */
function chargeCode(c: Context<HonoEnv>, userId: string) {
  return chargeSignIn(authBuckets(c.get("services").rateLimiter), originOf(c).ip, `mfa:${userId}`);
}

mfa.handle(
  mfa.get("/auth/mfa", {
    summary: "My second factor: on, pending, recovery codes left, organisations requiring it",
    responses: { 200: jsonContent(mfaStatusSchema, "Second-factor status") },
  }),
  async function mfaStatusHandler(c) {
    const status = await mfaStatus(c.get("services").db, userOf(c), c.get("principal").signInMethod ?? null);
    return c.json(status, 200);
  },
);

mfa.handle(
  mfa.post("/auth/mfa/totp", {
    errors: [409],
    summary: "Start TOTP enrolment: a new secret and its otpauth:// URI (confirm with a first code)",
    responses: { 201: jsonContent(totpEnrolmentSchema, "The secret to put in an authenticator") },
  }),
  async function startTotpHandler(c) {
    const { db, config } = c.get("services");
    return c.json(await startTotpEnrolment(db, config.encryptionKey, userOf(c)), 201);
  },
);

mfa.handle(
  mfa.post("/auth/mfa/totp/confirm", {
    errors: [409, 422],
    summary: "Confirm TOTP with a first code: recovery codes (shown once); every other sign-in ends",
    request: { body: jsonBody(totpCodeSchema) },
    responses: { 200: jsonContent(mfaEnabledSchema, "Two-factor sign-in is on") },
  }),
  async function confirmTotpHandler(c) {
    const userId = userOf(c);
    const attempt = await chargeCode(c, userId);
    const result = await confirmTotpEnrolment(depsOf(c), userId, c.req.valid("json").code);
    await attempt.succeeded();
    keepSessionCookie(c, result.session.token);
    return c.json(result, 200);
  },
);

mfa.handle(
  mfa.post("/auth/mfa/totp/disable", {
    summary: "Turn TOTP off with a current code or the password; every sign-in ends, a new one is returned",
    request: { body: jsonBody(mfaDisableSchema) },
    responses: { 200: jsonContent(authSessionSchema, "Signed in again without a second factor") },
  }),
  async function disableTotpHandler(c) {
    const { user, attempt } = await chargePasswordCheck(c, userOf(c));
    const session = await disableTotp(depsOf(c), user, c.req.valid("json"));
    await attempt.succeeded();
    keepSessionCookie(c, session.token);
    return c.json(session, 200);
  },
);

mfa.handle(
  mfa.post("/auth/mfa/verify", {
    access: "public",
    errors: [401, 429],
    summary: "Second step of a sign-in: the challenge and a TOTP or recovery code (sets the sign-in cookie)",
    request: { body: jsonBody(mfaVerifySchema) },
    responses: { 200: jsonContent(authSessionSchema, "Signed in") },
  }),
  async function verifyMfaHandler(c) {
    const input = c.req.valid("json");
    const { config } = c.get("services");
    const userId = await verifyMfaChallenge(authTokenSettings(config), input.challenge);
    if (!userId) throw new ApiError("unauthenticated", "The sign-in challenge is invalid or expired");
    const attempt = await chargeCode(c, userId);
    const session = await completeMfaSignIn(depsOf(c), input);
    await attempt.succeeded();
    setSessionCookie(c, session.token);
    return c.json(session, 200);
  },
);

/** TOTP second factor (shared/auth/mfa.ts, docs/sso-mfa.md). */
export const registerMfaRoutes = (app: Router) => mfa.register(app);
