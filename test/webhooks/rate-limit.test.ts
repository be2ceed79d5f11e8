import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { PLAN_QUOTAS } from "../../shared/tenancy/plans.ts";
import { newTenant, problem } from "../helpers.ts";
import { createSource, githubSignature, ingest } from "./helpers.ts";

function push(secret: string, n: number) {
  const body = JSON.stringify({ ref: "refs/heads/main", after: `${n}`.padStart(40, "0"), commits: [] });
  return {
    body,
    headers: {
      "x-github-event": "push",
      "x-github-delivery": crypto.randomUUID(),
      "x-hub-signature-256": githubSignature(secret, body),
    },
  };
}

describe("webhook ingest is rate limited per organisation", () => {
  it("spends the org's `webhooks` bucket only on verified deliveries, then answers 429", async () => {
    const t = await newTenant();
    const source = await createSource(t, { provider: "github", secret: "It's a Secret to Everybody" });
    const first = push("It's a Secret to Everybody", 1);
    const ok = await ingest(source.url, first.body, first.headers);
    expect(ok.status).toBe(202);
    const q = PLAN_QUOTAS.free.webhooks;
    expect(ok.headers.get("ratelimit-policy")).toBe(`"webhooks";q=${q.quota};w=${q.windowSeconds}`);

    // Forged deliveries are refused before the bucket is touched.
    const forged = push("wrong secret", 2);
    for (let i = 0; i < 3; i++)
      expect((await ingest(source.url, forged.body, forged.headers)).status).toBe(401);
    const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(t.orgId));
    const usage = await stub.usage();
    // One token spent by the verified delivery; the bucket refills 10 per second meanwhile, so on a
    // slow machine it may be full again, but three forged spends would leave it below this.
    expect(usage.webhooks?.remaining).toBeGreaterThanOrEqual(q.burst - 1);

    // Drain the bucket, then a verified delivery is throttled.
    const drained = await stub.consume({
      policy: "webhooks",
      cost: q.burst - 1,
      capacity: q.burst,
      refillPerSecond: 1 / 3600,
    });
    expect(drained.allowed).toBe(true);
    const next = push("It's a Secret to Everybody", 3);
    const limited = await ingest(source.url, next.body, next.headers);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    await problem(limited);
  });
});
