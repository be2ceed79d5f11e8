import { createRemoteJWKSet, customFetch, type JWTPayload, errors as joseErrors, jwtVerify } from "jose";
import { z } from "zod";
import { timingSafeEqual } from "../crypto/hash.ts";
import { checkOutboundUrl, fetchNoRedirect } from "../net/outbound-url.ts";

/**
 * A small OpenID Connect relying-party client (authorization code + PKCE, docs/sso-mfa.md): discovery,
 * the token request, and ID-token validation with jose against the provider's JWKS. Every URL it calls
 * comes from an org admin or from the provider, so each passes the outbound-URL policy
 * (shared/net/outbound-url.ts) and no redirect is followed.
 */
export type OidcDeps = { fetch: typeof fetch; allowLoopback: boolean };

export type OidcProvider = {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
};

/** Why the provider or its answer was refused; `kind` picks the HTTP status (shared/auth/sso.ts). */
export class OidcError extends Error {
  readonly kind: "unreachable" | "refused" | "invalid_token";
  constructor(kind: OidcError["kind"], message: string) {
    super(message);
    this.kind = kind;
    this.name = "OidcError";
  }
}

const TIMEOUT_MS = 5_000;
const MAX_BODY = 256 * 1024;

const discoverySchema = z.object({
  issuer: z.string(),
  authorization_endpoint: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
});

const tokenResponseSchema = z.object({ id_token: z.string().min(1), token_type: z.string().optional() });

function checked(url: string, deps: OidcDeps, what: string): string {
  const verdict = checkOutboundUrl(url, { allowLoopback: deps.allowLoopback });
  if (!verdict.ok) throw new OidcError("refused", `The provider's ${what} is not allowed: ${verdict.reason}`);
  return verdict.url.toString();
}

async function readJson(res: Response, what: string): Promise<unknown> {
  const text = await res.text();
  if (text.length > MAX_BODY) throw new OidcError("refused", `The provider's ${what} is too large`);
  try {
    return JSON.parse(text);
  } catch {
    throw new OidcError("refused", `The provider's ${what} is not JSON`);
  }
}

async function call(deps: OidcDeps, url: string, init: RequestInit, what: string): Promise<Response> {
  try {
    return await fetchNoRedirect(deps.fetch)(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new OidcError("unreachable", `The provider's ${what} did not answer`);
  }
}

const trimSlash = (s: string) => s.replace(/\/+$/, "");

/**
 * A sign-in reads the provider's endpoints twice (start, then callback a few seconds later): a short
 * per-isolate memo of each issuer's checked document spares the second fetch. Keyed with the
 * loopback switch, since it decides which URLs pass the outbound policy.
 */
const DISCOVERY_TTL_MS = 5 * 60_000;
const discoveryMemo = new Map<string, { provider: OidcProvider; until: number }>();
const discoveryKey = (issuer: string, deps: OidcDeps) => `${deps.allowLoopback ? "L" : "-"}${issuer}`;

/** `discover`, answered from the memo when this isolate read the same issuer in the last 5 minutes. */
export async function discoverCached(issuer: string, deps: OidcDeps, now = Date.now()) {
  const hit = discoveryMemo.get(discoveryKey(issuer, deps));
  return hit && hit.until > now ? hit.provider : discover(issuer, deps, now);
}

/**
 * Reads `<issuer>/.well-known/openid-configuration`; the document must name the same issuer. Always
 * fetches (saving an SSO connection checks the provider as it is now) and refreshes the memo.
 */
export async function discover(issuer: string, deps: OidcDeps, now = Date.now()): Promise<OidcProvider> {
  const base = checked(trimSlash(issuer), deps, "issuer");
  const url = `${trimSlash(base)}/.well-known/openid-configuration`;
  const res = await call(deps, url, { headers: { accept: "application/json" } }, "discovery document");
  if (res.status !== 200) throw new OidcError("refused", `Discovery answered ${res.status}`);
  const doc = discoverySchema.safeParse(await readJson(res, "discovery document"));
  if (!doc.success) throw new OidcError("refused", "The discovery document lacks required endpoints");
  if (trimSlash(doc.data.issuer) !== trimSlash(issuer)) {
    throw new OidcError("refused", `The discovery document names another issuer (${doc.data.issuer})`);
  }
  const methods = doc.data.code_challenge_methods_supported;
  if (methods && !methods.includes("S256")) throw new OidcError("refused", "The provider lacks PKCE S256");
  const provider = {
    issuer: doc.data.issuer,
    authorizationEndpoint: checked(doc.data.authorization_endpoint, deps, "authorization endpoint"),
    tokenEndpoint: checked(doc.data.token_endpoint, deps, "token endpoint"),
    jwksUri: checked(doc.data.jwks_uri, deps, "JWKS URI"),
  };
  if (discoveryMemo.size > 200) discoveryMemo.clear();
  discoveryMemo.set(discoveryKey(issuer, deps), { provider, until: now + DISCOVERY_TTL_MS });
  return provider;
}

export type AuthorizationRequest = {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
};

export function authorizationUrl(provider: OidcProvider, req: AuthorizationRequest): string {
  const url = new URL(provider.authorizationEndpoint);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", "openid email profile");
  url.searchParams.set("client_id", req.clientId);
  url.searchParams.set("redirect_uri", req.redirectUri);
  url.searchParams.set("state", req.state);
  url.searchParams.set("nonce", req.nonce);
  url.searchParams.set("code_challenge", req.codeChallenge);
  url.searchParams.set("code_challenge_method", "S256");
  return url.toString();
}

export type CodeExchange = {
  clientId: string;
  clientSecret: string;
  code: string;
  redirectUri: string;
  codeVerifier: string;
};

/** The token request (client_secret_basic, RFC 6749 §2.3.1 form-encodes id and secret); the ID token. */
export async function exchangeCode(provider: OidcProvider, ex: CodeExchange, deps: OidcDeps) {
  const basic = btoa(`${encodeURIComponent(ex.clientId)}:${encodeURIComponent(ex.clientSecret)}`);
  const res = await call(
    deps,
    provider.tokenEndpoint,
    {
      method: "POST",
      headers: {
        authorization: `Basic ${basic}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code: ex.code,
        redirect_uri: ex.redirectUri,
        code_verifier: ex.codeVerifier,
      }),
    },
    "token endpoint",
  );
  const body = await readJson(res, "token response");
  if (res.status !== 200) {
    const error = (body as { error?: unknown } | null)?.error;
    throw new OidcError("refused", `The token endpoint refused the code (${String(error ?? res.status)})`);
  }
  const parsed = tokenResponseSchema.safeParse(body);
  if (!parsed.success) throw new OidcError("refused", "The token response has no id_token");
  return parsed.data.id_token;
}

const jwksMemo = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

function jwksFor(uri: string, deps: OidcDeps) {
  let set = jwksMemo.get(uri);
  if (!set) {
    set = createRemoteJWKSet(new URL(uri), {
      timeoutDuration: TIMEOUT_MS,
      [customFetch]: (url, init) => fetchNoRedirect(deps.fetch)(url, init),
    });
    if (jwksMemo.size > 200) jwksMemo.clear();
    jwksMemo.set(uri, set);
  }
  return set;
}

export type IdClaims = { subject: string; email: string | null; emailVerified: boolean; name: string | null };

function refusal(error: unknown): OidcError {
  if (error instanceof OidcError) return error;
  if (error instanceof joseErrors.JWTExpired)
    return new OidcError("invalid_token", "the ID token has expired");
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    const what = error.claim === "aud" ? "audience" : error.claim === "iss" ? "issuer" : error.claim;
    return new OidcError("invalid_token", `the ID token's ${what} is wrong (${error.reason})`);
  }
  if (error instanceof joseErrors.JWKSTimeout || error instanceof joseErrors.JWKSInvalid) {
    return new OidcError("unreachable", "the provider's keys could not be read");
  }
  return new OidcError("invalid_token", "the ID token's signature or format is invalid");
}

/**
 * OpenID Connect Core §3.1.3.7: signature by a provider key (asymmetric algorithms only), `iss` equal
 * to the provider's, `aud` containing the client id (and `azp` equal to it when there are several),
 * `exp`/`iat` with 60 s tolerance, and the `nonce` this flow sent.
 */
export async function verifyIdToken(
  provider: OidcProvider,
  idToken: string,
  expected: { clientId: string; nonce: string; now?: number },
  deps: OidcDeps,
): Promise<IdClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, jwksFor(provider.jwksUri, deps), {
      issuer: provider.issuer,
      audience: expected.clientId,
      algorithms: ["RS256", "PS256", "ES256", "EdDSA"],
      clockTolerance: 60,
      requiredClaims: ["sub", "exp", "iat"],
      ...(expected.now === undefined ? {} : { currentDate: new Date(expected.now) }),
    }));
  } catch (error) {
    throw refusal(error);
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expected.clientId) {
    throw new OidcError("invalid_token", "the ID token's azp is not this client");
  }
  if (typeof payload.nonce !== "string" || !timingSafeEqual(payload.nonce, expected.nonce)) {
    throw new OidcError("invalid_token", "the ID token's nonce does not match this sign-in");
  }
  return {
    subject: payload.sub as string,
    email: typeof payload.email === "string" ? payload.email.trim().toLowerCase() : null,
    emailVerified: payload.email_verified === true,
    name: typeof payload.name === "string" ? payload.name.slice(0, 200) : null,
  };
}
