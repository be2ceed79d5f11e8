import type { Context } from "hono";
import type { OidcDeps } from "../../../shared/auth/oidc-client.ts";
import { getAuthPolicy, updateAuthPolicy } from "../../../shared/auth/policy.ts";
import { finishSso, type SsoDeps, startSso } from "../../../shared/auth/sso.ts";
import { configureSso, deleteSsoConnection, getSsoConnection } from "../../../shared/auth/sso-connections.ts";
import { authTokenSettings } from "../../../shared/auth/token.ts";
import {
  authPolicyPatchSchema,
  authPolicySchema,
  ssoCallbackQuerySchema,
  ssoConnectionInputSchema,
  ssoConnectionSchema,
  ssoStartQuerySchema,
} from "../../../shared/contract/auth.ts";
import type { HonoEnv } from "../../hono-env.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { setSessionCookie, setSsoStateCookie, takeSsoStateCookie } from "../../middleware/session-cookie.ts";
import { jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { actorOf } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { originOf } from "./auth.ts";

const sso = routeGroup({ tags: ["Single sign-on"], permission: "org:read" });

/**
 * Outbound calls to the org's provider: the global fetch (looked up per call, so tests can stand in
 * a fake provider; the client never follows redirects); loopback only in local development, as for
 * webhooks.
 */
function oidcDeps(c: Context<HonoEnv>): OidcDeps {
  const { config } = c.get("services");
  return {
    fetch: (input, init) => fetch(input, init),
    allowLoopback: config.allowLoopbackWebhooks && config.appEnv === "development",
  };
}

function ssoDeps(c: Context<HonoEnv>): SsoDeps {
  const { db, config } = c.get("services");
  return {
    db,
    encryptionKey: config.encryptionKey,
    publicUrl: config.publicUrl,
    tokens: authTokenSettings(config),
    origin: originOf(c),
    oidc: oidcDeps(c),
  };
}

/** The org's OpenID provider and sign-in policy (shared/auth/sso-connections.ts, policy.ts). */
sso.handle(
  sso.get("/sso", {
    summary: "The organisation's OpenID provider (client secret masked)",
    responses: { 200: jsonContent(ssoConnectionSchema, "The SSO connection") },
  }),
  async function getSsoHandler(c) {
    const { db, config } = c.get("services");
    const deps = { db, encryptionKey: config.encryptionKey, publicUrl: config.publicUrl };
    return c.json(await getSsoConnection(deps, orgIdOf(c)), 200);
  },
);

sso.handle(
  sso.put("/sso", {
    permission: ["org:manage", "members:manage"],
    errors: [404, 422, 503],
    summary: "Set the organisation's OpenID provider (discovery is read now; the secret is stored encrypted)",
    request: { body: jsonBody(ssoConnectionInputSchema) },
    responses: { 200: jsonContent(ssoConnectionSchema, "The SSO connection") },
  }),
  async function putSsoHandler(c) {
    const { db, config } = c.get("services");
    const deps = {
      db,
      encryptionKey: config.encryptionKey,
      publicUrl: config.publicUrl,
      oidc: oidcDeps(c),
    };
    return c.json(await configureSso(deps, orgIdOf(c), actorOf(c), c.req.valid("json")), 200);
  },
);

sso.answer(
  sso.delete("/sso", {
    permission: ["org:manage", "members:manage"],
    errors: [404, 409],
    summary: "Remove the organisation's OpenID provider",
    responses: { 204: { description: "Removed" } },
  }),
  function deleteSsoHandler({ db, orgId, actor }) {
    return deleteSsoConnection(db, orgId, actor);
  },
);

sso.answer(
  sso.get("/auth-policy", {
    summary: "The organisation's sign-in policy (require MFA, require SSO)",
    responses: { 200: jsonContent(authPolicySchema, "The policy") },
  }),
  function getAuthPolicyHandler({ db, orgId }) {
    return getAuthPolicy(db, orgId);
  },
);

sso.handle(
  sso.patch("/auth-policy", {
    permission: "org:manage",
    errors: [409],
    summary: "Change the sign-in policy (the caller's own sign-in must already meet a new requirement)",
    request: { body: jsonBody(authPolicyPatchSchema) },
    responses: { 200: jsonContent(authPolicySchema, "The policy") },
  }),
  async function patchAuthPolicyHandler(c) {
    const { db } = c.get("services");
    const principal = c.get("principal");
    const policy = await updateAuthPolicy(
      db,
      orgIdOf(c),
      actorOf(c),
      principal.signInMethod,
      c.req.valid("json"),
    );
    return c.json(policy, 200);
  },
);

/** The browser's side of the authorization-code flow (shared/auth/sso.ts): before any sign-in. */
const flow = routeGroup({ tags: ["Single sign-on"], access: "public" });

flow.handle(
  flow.get("/auth/sso/start", {
    errors: [404, 503],
    summary: "Start signing in through an organisation's OpenID provider (redirects to it)",
    request: { query: ssoStartQuerySchema },
    responses: { 302: { description: "To the provider's authorization endpoint" } },
  }),
  async function startSsoHandler(c) {
    const { url, state } = await startSso(ssoDeps(c), c.req.valid("query").org);
    setSsoStateCookie(c, state);
    return c.redirect(url, 302);
  },
);

flow.handle(
  flow.get("/auth/sso/callback", {
    errors: [401, 403, 404, 409, 503],
    summary: "The provider's redirect back: validates the ID token, signs in, redirects to the dashboard",
    request: { query: ssoCallbackQuerySchema },
    responses: { 302: { description: "Signed in (cookie set); to the organisation's dashboard" } },
  }),
  async function ssoCallbackHandler(c) {
    const query = c.req.valid("query");
    const browserState = takeSsoStateCookie(c);
    const { session, orgId } = await finishSso(ssoDeps(c), { ...query, browserState });
    setSessionCookie(c, session.token);
    // The fragment tells the dashboard a cookie-only sign-in is waiting (docs/sso-mfa.md).
    return c.redirect(`/o/${orgId}#signed-in`, 302);
  },
);

export function registerSsoRoutes(app: Router) {
  sso.register(app);
  flow.register(app);
}
