import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AUTH_TOKEN_TTL_SECONDS } from "../../shared/auth/token.ts";
import { ApiError } from "../errors.ts";
import type { HonoEnv } from "../hono-env.ts";

/**
 * The dashboard's sign-in cookie: the same signed token as the Bearer one (shared/auth/token.ts), kept
 * where page scripts cannot read it (HttpOnly), sent only over HTTPS (Secure) except to a development
 * server on http://127.0.0.1 or localhost, and not on cross-site subrequests (SameSite=Lax).
 *
 * CSRF: a request authenticated by this cookie that may change something (any method but GET, HEAD and
 * OPTIONS) must carry an `Origin` header equal to the API's own origin; without `Origin` it needs
 * `Sec-Fetch-Site: same-origin`. Browsers set both and pages cannot forge them, so a form or script
 * on another site is refused with 403. Bearer requests are not affected (docs/http-conventions.md).
 */
export const SESSION_COOKIE = "shifty_session";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function isLocalDevelopment(url: URL): boolean {
  return url.protocol === "http:" && (url.hostname === "127.0.0.1" || url.hostname === "localhost");
}

/** The attributes both cookies are set and cleared with: HttpOnly, and Secure but on local development. */
function cookieScope(c: Context<HonoEnv>, path: string) {
  return { path, secure: !isLocalDevelopment(new URL(c.req.url)), httpOnly: true };
}

/** Sets a cookie with `cookieScope`, SameSite=Lax and a lifetime. */
function setLaxCookie(c: Context<HonoEnv>, name: string, value: string, path: string, maxAge: number) {
  setCookie(c, name, value, { ...cookieScope(c, path), sameSite: "Lax", maxAge });
}

export function setSessionCookie(c: Context<HonoEnv>, token: string) {
  setLaxCookie(c, SESSION_COOKIE, token, "/", AUTH_TOKEN_TTL_SECONDS);
}

/**
 * After an operation that ends the caller's sign-in and starts a new one (password change, MFA changes):
 * a dashboard that signs in with the cookie keeps it, pointing at the new sign-in; a client that sent an
 * Authorization header gets the token in the body only.
 */
export function keepSessionCookie(c: Context<HonoEnv>, token: string) {
  if (c.req.header("authorization") === undefined) setSessionCookie(c, token);
}

export function clearSessionCookie(c: Context<HonoEnv>) {
  deleteCookie(c, SESSION_COOKIE, cookieScope(c, "/"));
}

export function sessionCookieOf(c: Context<HonoEnv>): string | undefined {
  return getCookie(c, SESSION_COOKIE) || undefined;
}

/** 403 for a cookie-authenticated write that did not come from the dashboard's own origin. */
export function checkSameOrigin(c: Context<HonoEnv>) {
  if (SAFE_METHODS.has(c.req.method)) return;
  const own = new URL(c.req.url).origin;
  const origin = c.req.header("origin");
  if (origin !== undefined ? origin === own : c.req.header("sec-fetch-site") === "same-origin") return;
  throw new ApiError(
    "forbidden",
    "Cross-site request refused: a cookie-signed write must come from the dashboard",
  );
}

/**
 * The SSO flow's state, kept by the browser that started it (workers/routes/tenancy/sso.ts): the
 * callback must bring the same value back, so a callback URL made in another browser (login CSRF)
 * is refused. Lax so the provider's top-level redirect back carries it; scoped to the SSO paths.
 */
const SSO_STATE_COOKIE = "shifty_sso_state";
const SSO_PATH = "/v1/auth/sso";

export function setSsoStateCookie(c: Context<HonoEnv>, state: string) {
  setLaxCookie(c, SSO_STATE_COOKIE, state, SSO_PATH, 600);
}

export function takeSsoStateCookie(c: Context<HonoEnv>): string | undefined {
  const value = getCookie(c, SSO_STATE_COOKIE) || undefined;
  deleteCookie(c, SSO_STATE_COOKIE, cookieScope(c, SSO_PATH));
  return value;
}
