import { env } from "cloudflare:workers";
import { base64url, decodeJwt, SignJWT, UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../shared/crypto/hash.ts";
import { api, newTenant, problem } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";
import { waitFor } from "../wait-for.ts";

const JWT = { secret: env.JWT_SECRET!, issuer: "shifty", audience: "shifty-dashboard" };

async function signed(
  claims: Record<string, unknown>,
  opts: { secret?: string; alg?: string; iss?: string; aud?: string; exp?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ typ: "session", ...claims })
    .setProtectedHeader({ alg: opts.alg ?? "HS256" })
    .setIssuer(opts.iss ?? JWT.issuer)
    .setAudience(opts.aud ?? JWT.audience)
    .setIssuedAt(now - 10)
    .setExpirationTime(opts.exp ?? now + 600)
    .sign(new TextEncoder().encode(opts.secret ?? JWT.secret));
}

describe("sign-up and sign-in", () => {
  it("signs in with the right password only, and the session works", async () => {
    const t = await newTenant();
    const bad = await api("/v1/auth/signin", {
      method: "POST",
      json: { email: t.email, password: "wrong password!" },
    });
    expect(bad.status).toBe(401);
    await problem(bad);
    const unknown = await api("/v1/auth/signin", {
      method: "POST",
      json: { email: "nobody@example.com", password: "whatever123" },
    });
    expect(unknown.status).toBe(401);
    const ok = await api("/v1/auth/signin", {
      method: "POST",
      json: { email: t.email.toUpperCase(), password: "correct horse battery" },
    });
    expect(ok.status).toBe(200);
    const session = (await ok.json()) as { token: string; orgs: { orgId: string; role: string }[] };
    expect(session.orgs).toEqual([expect.objectContaining({ orgId: t.orgId, role: "owner" })]);
    const me = await api("/v1/me", { token: session.token });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ kind: "user", orgId: t.orgId, role: "owner" });
  });

  it("stores passwords as PBKDF2, never in clear", async () => {
    const t = await newTenant();
    const row = await env.DB.prepare("SELECT password_hash FROM users WHERE id = ?")
      .bind(t.userId)
      .first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row!.password_hash).not.toContain("correct horse");
  });

  it("refuses a duplicate email and weak passwords", async () => {
    const t = await newTenant();
    const dup = await api("/v1/auth/signup", {
      method: "POST",
      json: { email: t.email, password: "another password", name: "X" },
    });
    expect(dup.status).toBe(409);
    const weak = await api("/v1/auth/signup", {
      method: "POST",
      json: { email: "weak@example.com", password: "short", name: "X" },
    });
    expect(weak.status).toBe(400);
  });
});

describe("session JWTs", () => {
  it("accepts a well-formed token", async () => {
    const t = await newTenant();
    const res = await api("/v1/me", { token: await signed({ sub: t.userId, sid: decodeJwt(t.token).sid }) });
    expect(res.status).toBe(200);
  });

  it.each([
    ["expired", { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ["wrong issuer", { iss: "someone-else" }],
    ["wrong audience", { aud: "another-app" }],
    ["wrong secret", { secret: "x".repeat(40) }],
    ["HS512 instead of the pinned HS256", { alg: "HS512" }],
  ])("rejects a token with %s", async (_name, opts) => {
    const t = await newTenant();
    const res = await api("/v1/me", {
      token: await signed({ sub: t.userId, sid: decodeJwt(t.token).sid }, opts),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toContain("Bearer");
  });

  it("rejects a well-signed token that names no live sign-in (no sid, or an unknown one)", async () => {
    const t = await newTenant();
    expect((await api("/v1/me", { token: await signed({ sub: t.userId }) })).status).toBe(401);
    const unknown = await signed({ sub: t.userId, sid: "sgn_00000000000000000000000000" });
    expect((await api("/v1/me", { token: unknown })).status).toBe(401);
    // A sign-in of another user does not vouch for this one.
    const other = await newTenant();
    const borrowed = await signed({ sub: t.userId, sid: decodeJwt(other.token).sid });
    expect((await api("/v1/me", { token: borrowed })).status).toBe(401);
  });

  it("rejects alg: none", async () => {
    const t = await newTenant();
    const token = new UnsecuredJWT({ typ: "session", sub: t.userId })
      .setIssuer(JWT.issuer)
      .setAudience(JWT.audience)
      .setIssuedAt()
      .setExpirationTime("10m")
      .encode();
    expect((await api("/v1/me", { token })).status).toBe(401);
  });

  it("rejects algorithm confusion (RS256 header signed with the HMAC secret bytes)", async () => {
    const t = await newTenant();
    const header = base64url.encode(JSON.stringify({ alg: "RS256", typ: "JWT" }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({
        typ: "session",
        sub: t.userId,
        iss: JWT.issuer,
        aud: JWT.audience,
        iat: now,
        exp: now + 600,
      }),
    );
    const key = await crypto.subtle.importKey(
      "raw",
      new TextEncoder().encode(JWT.secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign"],
    );
    const sig = new Uint8Array(
      await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${header}.${payload}`)),
    );
    const token = `${header}.${payload}.${base64url.encode(sig)}`;
    expect((await api("/v1/me", { token })).status).toBe(401);
  });

  it("rejects garbage and missing credentials", async () => {
    expect((await api("/v1/projects")).status).toBe(401);
    expect((await api("/v1/projects", { token: "not.a.jwt" })).status).toBe(401);
    expect((await api("/v1/projects", { headers: { authorization: "Basic Zm9vOmJhcg==" } })).status).toBe(
      401,
    );
  });
});

describe("API keys", () => {
  it("shows the key once and stores only its SHA-256", async () => {
    const t = await newTenant();
    const res = await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "ci" } });
    expect(res.status).toBe(201);
    const { key, apiKey } = (await res.json()) as { key: string; apiKey: { id: string; prefix: string } };
    expect(key).toMatch(/^shf_[0-9A-Za-z]{43}$/);
    expect(key.startsWith(apiKey.prefix)).toBe(true);
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?")
      .bind(apiKey.id)
      .first<Record<string, unknown>>();
    expect(row!.key_hash).toBe(await sha256Hex(key));
    expect(JSON.stringify(row)).not.toContain(key);
    const list = (await (await api("/v1/api-keys", { token: t.token })).json()) as {
      items: Record<string, unknown>[];
    };
    expect(JSON.stringify(list)).not.toContain(key);
    expect(list.items.find((k) => k.id === apiKey.id)).toMatchObject({ status: "active", name: "ci" });
  });

  it("revoked keys stop working at once (cache invalidated)", async () => {
    const t = await newTenant();
    const created = (await (
      await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "tmp" } })
    ).json()) as { key: string; apiKey: { id: string } };
    expect((await api("/v1/projects", { token: created.key })).status).toBe(200); // now cached in KV
    expect(
      (await api(`/v1/api-keys/${created.apiKey.id}`, { method: "DELETE", token: t.token })).status,
    ).toBe(204);
    expect((await api("/v1/projects", { token: created.key })).status).toBe(401);
  });

  it("expired keys are rejected; expiry must be in the future", async () => {
    const t = await newTenant();
    const past = await api("/v1/api-keys", {
      method: "POST",
      token: t.token,
      json: { name: "old", expiresAt: Date.now() - 1000 },
    });
    expect(past.status).toBe(422);
    const created = (await (
      await api("/v1/api-keys", {
        method: "POST",
        token: t.token,
        json: { name: "soon", expiresAt: Date.now() + 3000 },
      })
    ).json()) as { key: string; apiKey: { id: string } };
    expect((await api("/v1/projects", { token: created.key })).status).toBe(200); // cached from now on
    // Poll past the expiry instead of sleeping a fixed time; the cached lookup must not outlive it.
    const status = await waitFor(async () => (await api("/v1/projects", { token: created.key })).status, {
      until: (s) => s !== 200,
      timeoutMs: 15_000,
      intervalMs: 200,
    });
    expect(status).toBe(401);
  });

  it("rotation: old and new both work during the grace period, only the new one after", async () => {
    const t = await newTenant();
    const old = (await (
      await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "deploy" } })
    ).json()) as { key: string; apiKey: { id: string } };
    const rotated = await api(`/v1/api-keys/${old.apiKey.id}/rotate`, {
      method: "POST",
      token: t.token,
      json: { gracePeriodSeconds: 3600 },
    });
    expect(rotated.status).toBe(201);
    const fresh = (await rotated.json()) as { key: string; apiKey: { id: string } };
    expect(fresh.key).not.toBe(old.key);
    expect((await api("/v1/projects", { token: old.key })).status).toBe(200);
    expect((await api("/v1/projects", { token: fresh.key })).status).toBe(200);
    // Grace over: rotate with zero grace ends the old key immediately.
    const again = await api(`/v1/api-keys/${fresh.apiKey.id}/rotate`, {
      method: "POST",
      token: t.token,
      json: { gracePeriodSeconds: 0 },
    });
    const newest = (await again.json()) as { key: string };
    expect((await api("/v1/projects", { token: fresh.key })).status).toBe(401);
    expect((await api("/v1/projects", { token: newest.key })).status).toBe(200);
  });

  it("a key cannot hold permissions its creator lacks, and scopes are enforced", async () => {
    const t = await newTenant();
    const readOnly = await mintKey(t.token, ["projects:read"], "ro");
    expect((await api("/v1/projects", { token: readOnly.key })).status).toBe(200);
    const denied = await api("/v1/projects", { method: "POST", token: readOnly.key, json: { name: "nope" } });
    expect(denied.status).toBe(403);
    expect((await problem(denied)).detail).toContain("projects:write");
    const escalate = await api("/v1/api-keys", { method: "POST", token: readOnly.key, json: { name: "x" } });
    expect(escalate.status).toBe(403);
  });

  it("writes lastUsedAt after the response", async () => {
    const t = await newTenant();
    const created = (await (
      await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "used" } })
    ).json()) as { key: string; apiKey: { id: string } };
    await api("/v1/projects", { token: created.key });
    const lastUsed = await waitFor(
      async () => {
        const row = await env.DB.prepare("SELECT last_used_at FROM api_keys WHERE id = ?")
          .bind(created.apiKey.id)
          .first<{ last_used_at: number | null }>();
        return row?.last_used_at ?? null;
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    expect(lastUsed).toBeGreaterThan(Date.now() - 60_000);
  });

  it("a key bound to one org refuses another org's X-Org-Id", async () => {
    const a = await newTenant();
    const b = await newTenant();
    expect((await api("/v1/projects", { token: a.apiKey, orgId: b.orgId })).status).toBe(403);
  });
});
