import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { signArtifactUrl } from "../../shared/ci/artifact-links.ts";
import { runScheduled } from "../../workers/cron/index.ts";
import { api, auditActionOn, newTenant, postRun, problem, type Tenant } from "../helpers.ts";

type Artifact = {
  id: string;
  runId: string;
  resultId: string;
  kind: string;
  name: string;
  contentType: string;
  size: number;
  url: string;
  urlExpiresAt: number;
};
type Page<T> = { items: T[]; nextCursor: string | null };

const SECRET = "test-jwt-secret-that-is-at-least-32-characters";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 7]);
const ZIP = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 1, 2, 3]);
const WEBM = new Uint8Array([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81]);

const REPORT =
  '<?xml version="1.0"?><testsuites><testsuite name="shop.Cart">' +
  '<testcase classname="shop.Cart" name="adds" time="0.1"><failure message="boom">at add (cart.ts:1:1)</failure></testcase>' +
  '<testcase classname="shop.Cart" name="lists" time="0.1"/>' +
  "</testsuite></testsuites>";

/** A tenant with one run: a failed result and a passed one. */
async function runWithFailure(t: Tenant) {
  const res = await postRun(t, REPORT);
  expect(res.status).toBe(201);
  const run = (await res.json()) as { id: string };
  const results = (await (await api(`/v1/runs/${run.id}/results`, { token: t.apiKey })).json()) as Page<{
    id: string;
    status: string;
  }>;
  const failed = results.items.find((r) => r.status === "failed")!;
  const passed = results.items.find((r) => r.status === "passed")!;
  return { runId: run.id, failedId: failed.id, passedId: passed.id };
}

function upload(
  t: Tenant,
  runId: string,
  resultId: string,
  body: Uint8Array<ArrayBuffer>,
  type: string,
  query = "",
) {
  return api(`/v1/runs/${runId}/results/${resultId}/artifacts${query}`, {
    method: "POST",
    token: t.apiKey,
    body,
    headers: { "content-type": type },
  });
}

/** The signed URL as a path the test Worker answers (its origin is PUBLIC_URL). */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe("failure artifacts", () => {
  it("stores a trace, a screenshot and a video of a failed result and serves them by token and by signed URL", async () => {
    const t = await newTenant();
    const { runId, failedId } = await runWithFailure(t);
    const trace = await upload(t, runId, failedId, ZIP, "application/zip", "?name=trace.zip");
    expect(trace.status).toBe(201);
    const stored = (await trace.json()) as Artifact;
    expect(stored).toMatchObject({
      runId,
      resultId: failedId,
      kind: "trace",
      name: "trace.zip",
      size: ZIP.length,
    });
    expect(stored.id).toMatch(/^art_/);
    expect(stored.urlExpiresAt - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(stored.urlExpiresAt - Date.now()).toBeLessThanOrEqual(10 * 60_000);
    expect((await upload(t, runId, failedId, PNG, "image/png")).status).toBe(201);
    expect((await upload(t, runId, failedId, WEBM, "video/webm; codecs=vp8")).status).toBe(201);

    const page = (await (
      await api(`/v1/runs/${runId}/artifacts`, { token: t.apiKey })
    ).json()) as Page<Artifact>;
    expect(page.items.map((a) => a.kind).sort()).toEqual(["screenshot", "trace", "video"]);
    const shot = page.items.find((a) => a.kind === "screenshot")!;
    expect(shot.name).toBe("screenshot.png");

    const byToken = await api(`/v1/runs/${runId}/artifacts/${shot.id}`, { token: t.apiKey });
    expect(byToken.status).toBe(200);
    expect(byToken.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await byToken.arrayBuffer())).toEqual(PNG);

    // The signed URL needs no credential at all.
    const signed = await api(local(stored.url));
    expect(signed.status).toBe(200);
    expect(signed.headers.get("content-type")).toBe("application/zip");
    expect(Number(signed.headers.get("cache-control")?.match(/max-age=(\d+)/)?.[1])).toBeLessThanOrEqual(600);
    expect(new Uint8Array(await signed.arrayBuffer())).toEqual(ZIP);

    const row = await env.DB.prepare("SELECT org_id, kind, size, r2_key FROM ci_artifacts WHERE id = ?")
      .bind(stored.id)
      .first<{ org_id: string; kind: string; size: number; r2_key: string }>();
    expect(row).toMatchObject({ org_id: t.orgId, kind: "trace", size: ZIP.length });
    expect(row!.r2_key.startsWith(`orgs/${t.orgId}/`)).toBe(true);
    expect(await env.ARTIFACTS.head(row!.r2_key)).not.toBeNull();
    expect(await auditActionOn(t.orgId, stored.id)).toBe("ci.artifact.upload");
  });

  it("narrows the list to one result", async () => {
    const t = await newTenant();
    const { runId, failedId } = await runWithFailure(t);
    await upload(t, runId, failedId, PNG, "image/png");
    const other = `res_${"0".repeat(26)}`;
    const none = (await (
      await api(`/v1/runs/${runId}/artifacts?resultId=${other}`, { token: t.apiKey })
    ).json()) as Page<Artifact>;
    expect(none.items).toEqual([]);
    const one = (await (
      await api(`/v1/runs/${runId}/artifacts?resultId=${failedId}`, { token: t.apiKey })
    ).json()) as Page<Artifact>;
    expect(one.items).toHaveLength(1);
  });

  it("refuses types off the allow-list, bytes that are not what they claim, empty bodies and bad names", async () => {
    const t = await newTenant();
    const { runId, failedId } = await runWithFailure(t);
    const offList = await upload(t, runId, failedId, PNG, "image/jpeg");
    expect(offList.status).toBe(415);
    expect((await problem(offList)).type).toBe("https://shifty.dev/problems/unsupported-media-type");
    expect((await upload(t, runId, failedId, PNG, "application/zip")).status).toBe(415);
    expect((await upload(t, runId, failedId, new TextEncoder().encode("<svg/>"), "image/png")).status).toBe(
      415,
    );
    expect((await upload(t, runId, failedId, new Uint8Array(), "image/png")).status).toBe(400);
    const badName = await upload(t, runId, failedId, PNG, "image/png", "?name=..%2F..%2Fetc");
    expect(badName.status).toBe(400);
    expect((await problem(badName)).errors?.[0]?.path).toBe("name");
    const listed = (await (
      await api(`/v1/runs/${runId}/artifacts`, { token: t.apiKey })
    ).json()) as Page<Artifact>;
    expect(listed.items).toEqual([]);
  });

  it("keeps artifacts only for failed or flaky results, at most 20 per result", async () => {
    const t = await newTenant();
    const { runId, failedId, passedId } = await runWithFailure(t);
    const passed = await upload(t, runId, passedId, PNG, "image/png");
    expect(passed.status).toBe(422);
    for (let i = 0; i < 20; i++)
      expect((await upload(t, runId, failedId, PNG, "image/png")).status).toBe(201);
    const full = await upload(t, runId, failedId, PNG, "image/png");
    expect(full.status).toBe(409);
  });

  it("isolates tenants: another org's run, result or artifact is a 404", async () => {
    const [a, b] = await Promise.all([newTenant("A"), newTenant("B")]);
    const { runId, failedId } = await runWithFailure(a);
    const mine = (await (await upload(a, runId, failedId, PNG, "image/png")).json()) as Artifact;
    expect((await upload(b, runId, failedId, PNG, "image/png")).status).toBe(404);
    expect((await api(`/v1/runs/${runId}/artifacts`, { token: b.apiKey })).status).toBe(404);
    expect((await api(`/v1/runs/${runId}/artifacts/${mine.id}`, { token: b.apiKey })).status).toBe(404);
    // B's own run does not reach A's artifact either.
    const theirs = await runWithFailure(b);
    expect((await api(`/v1/runs/${theirs.runId}/artifacts/${mine.id}`, { token: b.apiKey })).status).toBe(
      404,
    );
    expect((await upload(b, theirs.runId, failedId, PNG, "image/png")).status).toBe(404);
  });

  it("a signed URL works only for its org and artifact, unaltered and before it expires", async () => {
    const [a, b] = await Promise.all([newTenant("A"), newTenant("B")]);
    const { runId, failedId } = await runWithFailure(a);
    const first = (await (await upload(a, runId, failedId, PNG, "image/png")).json()) as Artifact;
    const second = (await (await upload(a, runId, failedId, ZIP, "application/zip")).json()) as Artifact;
    const url = new URL(first.url);
    const variant = (edit: (u: URL) => void) => {
      const u = new URL(url);
      edit(u);
      return api(`${u.pathname}${u.search}`);
    };
    expect((await variant(() => undefined)).status).toBe(200);
    // Another artifact under the same signature, another org, a later expiry, a flipped signature bit.
    const swapped = await variant((u) => {
      u.pathname = u.pathname.replace(first.id, second.id);
    });
    expect(swapped.status).toBe(404);
    expect((await problem(swapped)).type).toBe("https://shifty.dev/problems/not-found");
    expect((await variant((u) => u.searchParams.set("org", b.orgId))).status).toBe(404);
    expect(
      (
        await variant((u) =>
          u.searchParams.set("expires", String(Number(u.searchParams.get("expires")) + 3600)),
        )
      ).status,
    ).toBe(404);
    const sig = url.searchParams.get("sig")!;
    const flipped = (sig[0] === "0" ? "1" : "0") + sig.slice(1);
    expect((await variant((u) => u.searchParams.set("sig", flipped))).status).toBe(404);
    expect((await variant((u) => u.searchParams.delete("sig"))).status).toBe(400);

    // Signed for B's org with the right secret: still not A's artifact.
    const forB = await signArtifactUrl({ secret: SECRET, publicUrl: "http://x" }, b.orgId, first.id);
    expect((await api(local(forB.url))).status).toBe(404);
    // Correctly signed eleven minutes ago: expired.
    const old = await signArtifactUrl(
      { secret: SECRET, publicUrl: "http://x" },
      a.orgId,
      first.id,
      Date.now() - 11 * 60_000,
    );
    const expired = await api(local(old.url));
    expect(expired.status).toBe(410);
    expect((await problem(expired)).type).toBe("https://shifty.dev/problems/gone");
  });
});

describe("artifact retention (daily cron)", () => {
  const DAY = 24 * 60 * 60 * 1000;
  const age = (artifactId: string, days: number) =>
    env.DB.prepare("UPDATE ci_artifacts SET created_at = ? WHERE id = ?")
      .bind(Date.now() - days * DAY, artifactId)
      .run();
  const r2KeyOf = async (artifactId: string) =>
    (await env.DB.prepare("SELECT r2_key FROM ci_artifacts WHERE id = ?").bind(artifactId).first<{
      r2_key: string;
    }>())!.r2_key;

  it("removes artifacts past their plan's retention, object and row, and keeps the rest", async () => {
    const free = await newTenant();
    const pro = await newTenant("Pro");
    await env.DB.prepare("UPDATE organizations SET plan = 'pro' WHERE id = ?").bind(pro.orgId).run();
    const a = await runWithFailure(free);
    const b = await runWithFailure(pro);
    const stored = async (t: Tenant, run: { runId: string; failedId: string }) =>
      ((await (await upload(t, run.runId, run.failedId, PNG, "image/png")).json()) as Artifact).id;
    const freeOld = await stored(free, a);
    const freeNew = await stored(free, a);
    const proOld = await stored(pro, b);
    await age(freeOld, 15); // past the free plan's 14 days
    await age(freeNew, 13);
    await age(proOld, 15); // within the pro plan's 30 days
    const freeOldKey = await r2KeyOf(freeOld);
    expect(await env.ARTIFACTS.head(freeOldKey)).not.toBeNull();

    const ctx = createExecutionContext();
    await runScheduled(
      createScheduledController({ cron: "30 2 * * *", scheduledTime: Date.now() }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);

    expect(await env.ARTIFACTS.head(freeOldKey)).toBeNull();
    expect((await api(`/v1/runs/${a.runId}/artifacts/${freeOld}`, { token: free.apiKey })).status).toBe(404);
    const left = (await (
      await api(`/v1/runs/${a.runId}/artifacts`, { token: free.apiKey })
    ).json()) as Page<Artifact>;
    expect(left.items.map((x) => x.id)).toEqual([freeNew]);
    expect((await api(`/v1/runs/${b.runId}/artifacts/${proOld}`, { token: pro.apiKey })).status).toBe(200);
    const job = await env.DB.prepare(
      "SELECT status FROM job_runs WHERE job = 'artifact-retention' ORDER BY started_at DESC LIMIT 1",
    ).first<{ status: string }>();
    expect(job?.status).toBe("succeeded");
  });
});
