import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../shared/crypto/hash.ts";
import { LEASE_TTL_MS } from "../../shared/rate-limit/leases.ts";
import { MEMO_TTL_MS } from "../../shared/tenancy/api-key-cache.ts";
import { api, newTenant } from "../helpers.ts";
import { waitFor } from "../wait-for.ts";

/**
 * Cached key lookups against the org's auth epoch (docs/architecture.md, "Caches on the request
 * path"). "Elsewhere" is simulated the way another isolate acts: D1 changes and the org's RateLimiter
 * object bumps its epoch, while this isolate's memo and KV still hold the old lookup.
 */
const limiterOf = (orgId: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(orgId));

async function revokeElsewhere(orgId: string, key: string) {
  await env.DB.prepare("UPDATE api_keys SET revoked_at = ? WHERE key_hash = ?")
    .bind(Date.now(), await sha256Hex(key))
    .run();
  await limiterOf(orgId).bumpAuthEpoch();
}

describe("auth epoch", () => {
  it("revoking through the API starts a new epoch in the org's limiter", async () => {
    const t = await newTenant();
    const created = (await (
      await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "tmp" } })
    ).json()) as { apiKey: { id: string } };
    const probe = { policy: "ai", cost: 0, capacity: 1, refillPerSecond: 1 };
    const before = (await limiterOf(t.orgId).consume(probe)).authEpoch;
    const revoke = await api(`/v1/api-keys/${created.apiKey.id}`, { method: "DELETE", token: t.token });
    expect(revoke.status).toBe(204);
    expect((await limiterOf(t.orgId).consume(probe)).authEpoch).toBeGreaterThan(before);
  });

  it("a key revoked elsewhere is refused on the next request that reaches the limiter", async () => {
    const t = await newTenant();
    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200); // memo + KV hold it now
    await revokeElsewhere(t.orgId, t.apiKey);
    const res = await api("/v1/projects", { token: t.apiKey });
    expect(res.status).toBe(401);
  });

  it("a demotion elsewhere narrows a cached key at once", async () => {
    const t = await newTenant();
    const write = () =>
      api("/v1/projects", { method: "POST", token: t.apiKey, json: { name: `p${crypto.randomUUID()}` } });
    expect((await write()).status).toBe(201);
    // The key's owner becomes a viewer (another owner is needed to keep the org's owner rule).
    const other = `usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 26)}`;
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, 'o', 'x', 0)",
      ).bind(other, `${other}@example.com`),
      env.DB.prepare(
        "INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (?, ?, 'owner', 0)",
      ).bind(t.orgId, other),
      env.DB.prepare("UPDATE memberships SET role = 'viewer' WHERE org_id = ? AND user_id = ?").bind(
        t.orgId,
        t.userId,
      ),
    ]);
    await limiterOf(t.orgId).bumpAuthEpoch();
    expect((await write()).status).toBe(403);
    expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200);
  });

  it("a tenant hot on leased tokens sees a revocation elsewhere within a lease lifetime", async () => {
    const t = await newTenant();
    // Enough back-to-back reads to make this isolate hold a lease for the tenant.
    for (let i = 0; i < 30; i++) expect((await api("/v1/projects", { token: t.apiKey })).status).toBe(200);
    const revokedAt = Date.now();
    await revokeElsewhere(t.orgId, t.apiKey);
    const status = await waitFor(async () => (await api("/v1/projects", { token: t.apiKey })).status, {
      until: (s) => s === 401,
      timeoutMs: MEMO_TTL_MS,
      intervalMs: 50,
    });
    expect(status).toBe(401);
    // Well before the memo's own expiry: the lease ran out and the limiter's answer carried the epoch.
    expect(Date.now() - revokedAt).toBeLessThan(LEASE_TTL_MS + (MEMO_TTL_MS - LEASE_TTL_MS) / 2);
  });
});
