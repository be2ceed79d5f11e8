import { env } from "cloudflare:workers";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterEach, describe, expect, it, vi } from "vitest";
import { api, countOf, newTenant, problem, type Tenant } from "../helpers.ts";
import { addMember, body } from "./helpers.ts";

const CLIENT_ID = "shifty-client";
const CLIENT_SECRET = "provider-issued-secret-1234";

type Claims = Record<string, unknown>;

/**
 * A fake OpenID provider on a unique https host, answering the Worker's outbound fetches: discovery,
 * JWKS and a token endpoint that checks client_secret_basic, the redirect URI and the PKCE verifier
 * (S256) before handing out the ID token the test shaped.
 */
async function fakeProvider() {
  const issuer = `https://idp-${crypto.randomUUID().slice(0, 8)}.example.com`;
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  const grants = new Map<string, { challenge: string; redirectUri: string; claims: Claims }>();
  const tokenRequests: URLSearchParams[] = [];
  const discoveries = { count: 0 };
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (url.origin !== issuer) return real(input as RequestInfo, init);
    if (url.pathname === "/.well-known/openid-configuration") {
      discoveries.count++;
      return Response.json({
        issuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (url.pathname === "/jwks") return Response.json({ keys: [jwk] });
    if (url.pathname === "/token" && req.method === "POST") {
      const form = new URLSearchParams(await req.text());
      tokenRequests.push(form);
      const grant = grants.get(form.get("code") ?? "");
      const basic = `Basic ${btoa(`${CLIENT_ID}:${CLIENT_SECRET}`)}`;
      const digest = await crypto.subtle.digest(
        "SHA-256",
        new TextEncoder().encode(form.get("code_verifier") ?? ""),
      );
      const s256 = btoa(String.fromCharCode(...new Uint8Array(digest)))
        .replace(/\+/g, "-")
        .replace(/\//g, "_")
        .replace(/=+$/, "");
      if (req.headers.get("authorization") !== basic)
        return Response.json({ error: "invalid_client" }, { status: 401 });
      if (!grant || grant.challenge !== s256 || grant.redirectUri !== form.get("redirect_uri")) {
        return Response.json({ error: "invalid_grant" }, { status: 400 });
      }
      grants.delete(form.get("code")!);
      const idToken = await new SignJWT({ ...grant.claims })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .sign(privateKey);
      return Response.json({ access_token: "at", token_type: "Bearer", id_token: idToken });
    }
    return new Response("not found", { status: 404 });
  });

  /** What the user does at the provider: log in; the provider redirects back with a code. */
  function authorize(authorizationUrl: string, who: Claims) {
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.get("scope")).toContain("openid");
    const now = Math.floor(Date.now() / 1000);
    const code = crypto.randomUUID();
    grants.set(code, {
      challenge: url.searchParams.get("code_challenge")!,
      redirectUri: url.searchParams.get("redirect_uri")!,
      claims: {
        iss: issuer,
        aud: CLIENT_ID,
        sub: "sub-1",
        email_verified: true,
        nonce: url.searchParams.get("nonce"),
        iat: now,
        exp: now + 300,
        ...who,
      },
    });
    return { code, state: url.searchParams.get("state")! };
  }
  return { issuer, authorize, tokenRequests, discoveries };
}

afterEach(() => vi.restoreAllMocks());

type Provider = Awaited<ReturnType<typeof fakeProvider>>;

async function configure(t: Tenant, idp: Provider, extra: Record<string, unknown> = {}, token = t.token) {
  return api("/v1/sso", {
    method: "PUT",
    token,
    orgId: t.orgId,
    json: {
      issuer: idp.issuer,
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      allowedDomains: ["acme.test"],
      defaultRole: "member",
      ...extra,
    },
  });
}

/** The Worker's own fetch would follow the 302 to the provider: keep it as the browser sees it. */
const get = (path: string, headers: Record<string, string> = {}) =>
  api(path, { redirect: "manual", headers });

const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);

/** Start → provider → callback, as a browser would (the state cookie travels with it). */
async function ssoSignIn(
  t: Tenant,
  idp: Provider,
  who: Claims,
  tamper: (q: URLSearchParams) => void = () => {},
) {
  const start = await get(`/v1/auth/sso/start?org=${encodeURIComponent(t.orgId)}`);
  expect(start.status, await start.clone().text()).toBe(302);
  const stateCookie = cookieOf(start, "shifty_sso_state");
  const { code, state } = idp.authorize(start.headers.get("location")!, who);
  expect(stateCookie).toBe(state);
  const query = new URLSearchParams({ code, state });
  tamper(query);
  return get(`/v1/auth/sso/callback?${query}`, { cookie: `shifty_sso_state=${stateCookie}` });
}

describe("OIDC single sign-on", () => {
  it("configures a provider (secret sealed, masked) and signs a new user in with JIT membership", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    const saved = await body<{ clientSecret: string; redirectUri: string; signInUrl: string }>(
      configure(t, idp),
      200,
    );
    expect(saved.clientSecret).toBe("********1234");
    expect(saved.redirectUri).toMatch(/\/v1\/auth\/sso\/callback$/);
    const row = await env.DB.prepare("SELECT client_secret_sealed FROM sso_connections WHERE org_id = ?")
      .bind(t.orgId)
      .first<{ client_secret_sealed: string }>();
    expect(row?.client_secret_sealed).toMatch(/^v1\./);
    expect(row?.client_secret_sealed).not.toContain(CLIENT_SECRET);

    const res = await ssoSignIn(t, idp, { sub: "alice-1", email: "Alice@acme.test", name: "Alice" });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(res.headers.get("location")).toBe(`/o/${t.orgId}#signed-in`);
    const session = cookieOf(res, "shifty_session")!;
    expect(idp.tokenRequests[0]?.get("grant_type")).toBe("authorization_code");
    const me = await body<{ user: { email: string }; orgs: { orgId: string; role: string }[] }>(
      api("/v1/me", { token: session }),
      200,
    );
    expect(me.user.email).toBe("alice@acme.test");
    expect(me.orgs).toEqual([expect.objectContaining({ orgId: t.orgId, role: "member" })]);
    const signIns = await body<{ items: { method: string }[] }>(
      api("/v1/auth/sign-ins", { token: session }),
      200,
    );
    expect(signIns.items[0]?.method).toBe("sso");

    // The same subject again is the same user, not a second account.
    const again = await ssoSignIn(t, idp, { sub: "alice-1", email: "alice@acme.test" });
    expect(again.status).toBe(302);
    const me2 = await body<{ user: { id: string } }>(
      api("/v1/me", { token: cookieOf(again, "shifty_session")! }),
      200,
    );
    const users = await countOf("SELECT count(*) AS n FROM users WHERE email = ?", "alice@acme.test");
    expect(users).toBe(1);
    expect(me2.user.id).toBeTruthy();
  });

  it("reads the discovery document once per sign-in, not at both start and callback", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    await body(configure(t, idp), 200);
    const before = idp.discoveries.count;
    const res = await ssoSignIn(t, idp, { sub: "dora-1", email: "dora@acme.test" });
    expect(res.status, await res.clone().text()).toBe(302);
    expect(idp.discoveries.count - before).toBeLessThanOrEqual(1);
  });

  it("refuses a callback with a bad, foreign or replayed state (400)", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    await body(configure(t, idp), 200);
    const forged = await ssoSignIn(t, idp, { email: "a@acme.test" }, (q) => q.set("state", "forged-state"));
    expect(forged.status).toBe(400);
    expect((await problem(forged)).detail).toMatch(/state/);
    // No cookie: a callback URL opened in another browser (login CSRF).
    const start = await get(`/v1/auth/sso/start?org=${t.orgId}`);
    const { code, state } = idp.authorize(start.headers.get("location")!, { email: "a@acme.test" });
    const noCookie = await get(`/v1/auth/sso/callback?code=${code}&state=${state}`);
    expect(noCookie.status).toBe(400);
    // Used once: the same state again is refused even with its cookie.
    const ok = await ssoSignIn(t, idp, { sub: "b", email: "b@acme.test" });
    expect(ok.status).toBe(302);
    const start2 = await get(`/v1/auth/sso/start?org=${t.orgId}`);
    const grant = idp.authorize(start2.headers.get("location")!, { sub: "c", email: "c@acme.test" });
    const cookie = { cookie: `shifty_sso_state=${grant.state}` };
    const callback = `/v1/auth/sso/callback?code=${grant.code}&state=${grant.state}`;
    expect((await get(callback, cookie)).status).toBe(302);
    const replay = await get(callback, cookie);
    expect(replay.status).toBe(400);
    expect((await problem(replay)).detail).toMatch(/already used|unknown/);
    expect((await get("/v1/auth/sso/callback")).status).toBe(400);
  });

  it("refuses ID tokens with a wrong nonce, audience or issuer, or expired (401), and a disallowed domain (403)", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    await body(configure(t, idp), 200);
    const past = Math.floor(Date.now() / 1000) - 3600;
    const cases: [Claims, number, RegExp][] = [
      [{ email: "a@acme.test", nonce: "not-the-nonce" }, 401, /nonce/],
      [{ email: "a@acme.test", aud: "another-client" }, 401, /audience/],
      [{ email: "a@acme.test", iss: "https://evil.example.com" }, 401, /issuer/],
      [{ email: "a@acme.test", iat: past, exp: past + 300 }, 401, /expired/],
      [{ email: "a@elsewhere.test" }, 403, /elsewhere\.test is not allowed/],
      [{ email: "a@acme.test", email_verified: false }, 403, /verified email/],
    ];
    for (const [claims, status, detail] of cases) {
      const res = await ssoSignIn(t, idp, claims);
      expect(res.status, JSON.stringify(claims)).toBe(status);
      expect((await problem(res)).detail).toMatch(detail);
      expect(cookieOf(res, "shifty_session")).toBeUndefined();
    }
    const none = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE email = 'a@acme.test'").first<{
      n: number;
    }>();
    expect(none?.n).toBe(0);
  });

  it("never takes over an account outside the org; links a member's account by email", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    await body(configure(t, idp, { allowedDomains: ["example.com", "acme.test"] }), 200);
    const outsider = await newTenant("Other");
    const res = await ssoSignIn(t, idp, { sub: "x", email: outsider.email });
    expect(res.status).toBe(409);
    // The owner is a member: the provider's subject is linked to the existing account.
    const owner = await ssoSignIn(t, idp, { sub: "owner-sub", email: t.email });
    expect(owner.status).toBe(302);
    const me = await body<{ user: { id: string } }>(
      api("/v1/me", { token: cookieOf(owner, "shifty_session")! }),
      200,
    );
    expect(me.user.id).toBe(t.userId);
  });

  it("the default role cannot exceed what the configuring admin holds", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    const role = await body<{ id: string }>(
      api("/v1/roles", {
        method: "POST",
        token: t.token,
        orgId: t.orgId,
        json: {
          name: "sso-admin",
          permissions: ["org:read", "org:manage", "members:read", "members:manage"],
        },
      }),
      201,
    );
    const limited = await addMember(t.token, t.orgId, "custom", { customRoleId: role.id });
    for (const defaultRole of ["admin", "viewer"]) {
      const res = await configure(t, idp, { defaultRole }, limited.token);
      expect(res.status).toBe(403);
      expect((await problem(res)).detail).toMatch(/permissions you lack/);
    }
    await body(configure(t, idp, { defaultRole: "custom", customRoleId: role.id }, limited.token), 200);
  });

  it("require SSO: only after signing in through it; then password sign-ins are refused on org routes", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    await body(configure(t, idp, { allowedDomains: ["example.com"] }), 200);
    const early = await api("/v1/auth-policy", {
      method: "PATCH",
      token: t.token,
      json: { requireSso: true },
    });
    expect(early.status).toBe(409);
    const via = await ssoSignIn(t, idp, { sub: "owner", email: t.email });
    const ssoToken = cookieOf(via, "shifty_session")!;
    await body(api("/v1/auth-policy", { method: "PATCH", token: ssoToken, json: { requireSso: true } }), 200);
    const blocked = await api("/v1/projects", { token: t.token });
    expect(blocked.status).toBe(403);
    expect((await problem(blocked)).detail).toMatch(/single sign-on/);
    expect((await api("/v1/projects", { token: ssoToken })).status).toBe(200);
    expect((await api("/v1/sso", { method: "DELETE", token: ssoToken })).status).toBe(409);
  });

  it("refuses a provider whose discovery fails or names another issuer (422) and unknown orgs at start (404)", async () => {
    const t = await newTenant();
    const idp = await fakeProvider();
    const wrong = await configure(t, { ...idp, issuer: `${idp.issuer}/other` });
    expect(wrong.status).toBe(422);
    const internal = await configure(t, { ...idp, issuer: "https://metadata.google.internal" });
    expect(internal.status).toBe(422);
    expect((await get("/v1/auth/sso/start?org=no-such-org")).status).toBe(404);
    expect((await get(`/v1/auth/sso/start?org=${t.orgId}`)).status).toBe(404);
    expect((await api("/v1/sso", { token: t.token })).status).toBe(404);
  });
});

describe("malformed sign-in requests", () => {
  it("answer 4xx (never 5xx) on the SSO, policy and second-factor routes", async () => {
    const t = await newTenant();
    const values: unknown[] = [null, 1, -1, true, "", "x".repeat(5000), "\u0000", [], {}, { a: [1] }, "💥"];
    const fields = ["issuer", "clientId", "clientSecret", "allowedDomains", "defaultRole", "customRoleId"];
    const statuses: number[] = [];
    for (const value of values) {
      for (const field of fields) {
        const res = await api("/v1/sso", { method: "PUT", token: t.token, json: { [field]: value } });
        statuses.push(res.status);
      }
      for (const json of [{ requireMfa: value }, { requireSso: value }, value]) {
        statuses.push((await api("/v1/auth-policy", { method: "PATCH", token: t.token, json })).status);
      }
      for (const json of [
        { challenge: value, code: value },
        { challenge: "x", recoveryCode: value },
        value,
      ]) {
        statuses.push((await api("/v1/auth/mfa/verify", { method: "POST", json })).status);
        statuses.push(
          (await api("/v1/auth/mfa/totp/confirm", { method: "POST", token: t.token, json })).status,
        );
        statuses.push(
          (await api("/v1/auth/mfa/totp/disable", { method: "POST", token: t.token, json })).status,
        );
      }
      const q = encodeURIComponent(String(value));
      statuses.push((await get(`/v1/auth/sso/callback?state=${q}&code=${q}`)).status);
      statuses.push((await get(`/v1/auth/sso/start?org=${q}`)).status);
    }
    expect(statuses.length).toBeGreaterThan(200);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    // Only an empty or `false` policy patch is a valid request here; everything else is refused.
    expect(statuses.filter((s) => s < 400).length).toBeLessThanOrEqual(4);
  });
});
