import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../shared/db/client.ts";
import { healedLocators } from "../../shared/db/schema/healed-locators.ts";
import { writeUndo } from "../../shared/healing/store/undo-review.ts";
import { jsonLogger } from "../../shared/logger.ts";
import { api, newTenant, problem, type Tenant } from "../helpers.ts";
import { keyWith } from "../support/keys.ts";
import { saveButtonRenamed } from "./heal-fixtures.ts";
import { postHeal, recordHeal } from "./heal-requests.ts";

type Heal = {
  id: string;
  status: "pending" | "accepted" | "rejected";
  autoAccepted: boolean;
  location: string;
  originalSelector: string;
  healedSelector: string;
  confidence: number;
  attemptId: string;
  occurrences: number;
  reviewedBy: string | null;
};

async function attempt(t: Tenant): Promise<string> {
  const res = await postHeal(t.apiKey, { selector: "#save", ...saveButtonRenamed, projectId: t.projectId });
  expect(res.status).toBe(200);
  return ((await res.json()) as { attemptId: string }).attemptId;
}

function healBody(attemptId: string, overrides: Record<string, unknown> = {}) {
  return {
    testFile: "tests/checkout.spec.ts",
    testTitle: "checkout › saves the cart",
    location: "tests/checkout.spec.ts:12:22",
    originalSelector: "#save",
    healedSelector: "#save-v2",
    healedLocator: 'locator("#save-v2")',
    confidence: 0.97,
    attemptId,
    ...overrides,
  };
}

/** `POST /v1/heals/{healId}/approve|reject`, with an optional body (docs/heal-review.md). */
function reviewHeal(decision: "approve" | "reject", healId: string, token: string, body?: unknown) {
  return api(`/v1/heals/${healId}/${decision}`, { method: "POST", token, json: body });
}

async function list(t: Tenant, query = "") {
  const res = await api(`/v1/projects/${t.projectId}/heals${query}`, { token: t.apiKey });
  expect(res.status).toBe(200);
  return (await res.json()) as { items: Heal[]; nextCursor: string | null };
}

describe("healed locators — record and reuse", () => {
  it("auto-accepts a heal at or above the project's threshold and lists it in the accepted map", async () => {
    const t = await newTenant();
    const res = await recordHeal(t, healBody(await attempt(t)));
    expect(res.status).toBe(201);
    const heal = (await res.json()) as Heal;
    expect(heal).toMatchObject({
      status: "accepted",
      autoAccepted: true,
      location: "tests/checkout.spec.ts:12:22",
      originalSelector: "#save",
      healedSelector: "#save-v2",
      occurrences: 1,
    });
    expect(heal.id).toMatch(/^hlc_[0-9a-z]{26}$/);
    expect((await list(t, "?status=accepted")).items.map((h) => h.id)).toEqual([heal.id]);
    expect((await list(t, "?status=pending")).items).toEqual([]);

    const audit = await env.DB.prepare(
      "SELECT action, target_id FROM audit_log WHERE org_id = ? AND action = 'heal.record'",
    )
      .bind(t.orgId)
      .all<{ action: string; target_id: string }>();
    expect(audit.results).toEqual([{ action: "heal.record", target_id: heal.id }]);
  });

  it("keeps a heal below the threshold pending, and the project's threshold is configurable", async () => {
    const t = await newTenant();
    const low = await recordHeal(t, healBody(await attempt(t), { confidence: 0.9 }));
    expect(((await low.json()) as Heal).status).toBe("pending");

    const put = await api(`/v1/projects/${t.projectId}/heal-settings`, {
      method: "PUT",
      token: t.apiKey,
      json: { autoAcceptThreshold: 0.85 },
    });
    expect(put.status).toBe(200);
    const got = await api(`/v1/projects/${t.projectId}/heal-settings`, { token: t.apiKey });
    expect(await got.json()).toMatchObject({ autoAcceptThreshold: 0.85 });

    const again = await recordHeal(
      t,
      healBody(await attempt(t), { confidence: 0.9, location: "tests/checkout.spec.ts:30:5" }),
    );
    expect(((await again.json()) as Heal).status).toBe("accepted");
    expect((await list(t, "?status=pending")).items).toHaveLength(1);
  });

  it("counts a repeat of the same heal instead of duplicating it", async () => {
    const t = await newTenant();
    const attemptId = await attempt(t);
    const first = await recordHeal(t, healBody(attemptId));
    const second = await recordHeal(t, healBody(attemptId));
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    const repeat = (await second.json()) as Heal;
    expect(repeat.id).toBe(((await first.json()) as Heal).id);
    expect(repeat.occurrences).toBe(2);
    expect((await list(t)).items).toHaveLength(1);
  });

  it("paginates newest first", async () => {
    const t = await newTenant();
    for (let line = 1; line <= 3; line++) {
      const res = await recordHeal(t, healBody(await attempt(t), { location: `a.spec.ts:${line}:1` }));
      expect(res.status).toBe(201);
    }
    const page1 = await list(t, "?limit=2");
    expect(page1.items.map((h) => h.location)).toEqual(["a.spec.ts:3:1", "a.spec.ts:2:1"]);
    const page2 = await list(t, `?limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((h) => h.location)).toEqual(["a.spec.ts:1:1"]);
    expect(page2.nextCursor).toBeNull();
  });
});

describe("healed locators — review", () => {
  it("approve accepts a pending heal and records accepted feedback on the attempt", async () => {
    const t = await newTenant();
    const attemptId = await attempt(t);
    const heal = (await (await recordHeal(t, healBody(attemptId, { confidence: 0.5 }))).json()) as Heal;
    expect(heal.status).toBe("pending");

    const res = await reviewHeal("approve", heal.id, t.token, { note: "ok" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "accepted", autoAccepted: false, reviewedBy: t.userId });
    expect((await list(t, "?status=accepted")).items.map((h) => h.id)).toEqual([heal.id]);

    const attempts = await api(`/v1/heal/attempts?outcome=accepted`, { token: t.apiKey });
    const items = ((await attempts.json()) as { items: { id: string }[] }).items;
    expect(items.map((a) => a.id)).toContain(attemptId);
  });

  it("reject (without a body) stops reuse and records rejected feedback with the right selector", async () => {
    const t = await newTenant();
    const attemptId = await attempt(t);
    const heal = (await (await recordHeal(t, healBody(attemptId))).json()) as Heal;
    expect(heal.status).toBe("accepted");

    const bare = await reviewHeal("reject", heal.id, t.apiKey);
    expect(bare.status).toBe(200);
    expect(((await bare.json()) as Heal).status).toBe("rejected");
    expect((await list(t, "?status=accepted")).items).toEqual([]);

    const again = await reviewHeal("reject", heal.id, t.apiKey, { correctSelector: "#really-save" });
    expect(again.status).toBe(200);
    const row = await env.DB.prepare(
      "SELECT feedback_accepted, feedback_correct_selector FROM heal_attempts WHERE id = ?",
    )
      .bind(attemptId)
      .first<{ feedback_accepted: number; feedback_correct_selector: string }>();
    expect(row).toEqual({ feedback_accepted: 0, feedback_correct_selector: "#really-save" });
  });
});

describe("healed locators — bad input", () => {
  it.each([
    ["no location", { location: undefined }],
    ["location without line and column", { location: "a.spec.ts" }],
    ["confidence above 1", { confidence: 1.5 }],
    ["empty selector", { healedSelector: "" }],
    ["unknown field", { extra: true }],
    ["malformed attempt id", { attemptId: "nope" }],
  ])("%s → 400 problem+json", async (_name, overrides) => {
    const t = await newTenant();
    const res = await recordHeal(t, healBody("hea_00000000000000000000000000", overrides));
    expect(res.status).toBe(400);
    const body = await problem(res);
    expect(body.errors?.length).toBeGreaterThan(0);
  });

  it("an unknown attempt or run is a 404", async () => {
    const t = await newTenant();
    const missing = await recordHeal(t, healBody("hea_00000000000000000000000000"));
    expect(missing.status).toBe(404);
    expect((await problem(missing)).detail).toMatch(/attempt/i);
    const noRun = await recordHeal(
      t,
      healBody(await attempt(t), { runId: "run_00000000000000000000000000" }),
    );
    expect(noRun.status).toBe(404);
  });

  it("approve with correctSelector is a 422; a threshold outside 0..1 is a 400", async () => {
    const t = await newTenant();
    const heal = (await (await recordHeal(t, healBody(await attempt(t)))).json()) as Heal;
    const res = await reviewHeal("approve", heal.id, t.apiKey, { correctSelector: "#x" });
    expect(res.status).toBe(422);
    const put = await api(`/v1/projects/${t.projectId}/heal-settings`, {
      method: "PUT",
      token: t.apiKey,
      json: { autoAcceptThreshold: 2 },
    });
    expect(put.status).toBe(400);
  });
});

describe("healed locators — security", () => {
  it("another tenant's project, heal or attempt is a 404", async () => {
    const a = await newTenant("A");
    const b = await newTenant("B");
    const heal = (await (await recordHeal(a, healBody(await attempt(a)))).json()) as Heal;

    const listOther = await api(`/v1/projects/${a.projectId}/heals`, { token: b.apiKey });
    expect(listOther.status).toBe(404);
    const approveOther = await reviewHeal("approve", heal.id, b.apiKey);
    expect(approveOther.status).toBe(404);
    await problem(approveOther);
    const recordOther = await recordHeal(b, healBody(heal.attemptId));
    expect(recordOther.status).toBe(404);
    const settingsOther = await api(`/v1/projects/${a.projectId}/heal-settings`, { token: b.apiKey });
    expect(settingsOther.status).toBe(404);
  });

  it("a read-only key lists but cannot record or review (403); no credentials is a 401", async () => {
    const t = await newTenant();
    const heal = (await (await recordHeal(t, healBody(await attempt(t)))).json()) as Heal;
    const keyRes = await api("/v1/api-keys", {
      method: "POST",
      token: t.token,
      json: { name: "reader", permissions: ["heal:read", "projects:read"] },
    });
    expect(keyRes.status).toBe(201);
    const { key } = (await keyRes.json()) as { key: string };

    const listed = await api(`/v1/projects/${t.projectId}/heals`, { token: key });
    expect(listed.status).toBe(200);
    const denied = await recordHeal(t, healBody(heal.attemptId, { location: "b.spec.ts:1:1" }), key);
    expect(denied.status).toBe(403);
    expect((await problem(denied)).detail).toMatch(/heal:write/);
    const review = await reviewHeal("reject", heal.id, key);
    expect(review.status).toBe(403);
    const anonymous = await api(`/v1/projects/${t.projectId}/heals`);
    expect(anonymous.status).toBe(401);
  });
});

describe("healed locators — undoing a review", () => {
  const undo = (healId: string, token: string) => api(`/v1/heals/${healId}/undo`, { method: "POST", token });
  const unreviewed = async (t: Tenant) => {
    const res = await api("/v1/heal/attempts?outcome=unreviewed", { token: t.apiKey });
    return ((await res.json()) as { items: { id: string }[] }).items.map((a) => a.id);
  };

  it("the reviewer takes an approval back: pending again, the attempt's verdict cleared, audited", async () => {
    const t = await newTenant();
    const attemptId = await attempt(t);
    const heal = (await (await recordHeal(t, healBody(attemptId, { confidence: 0.5 }))).json()) as Heal;
    await reviewHeal("approve", heal.id, t.token, { note: "ok" });
    expect(await unreviewed(t)).not.toContain(attemptId);

    const res = await undo(heal.id, t.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "pending", reviewedBy: null, reviewedAt: null });
    expect((await list(t, "?status=pending")).items.map((h) => h.id)).toEqual([heal.id]);
    expect(await unreviewed(t)).toContain(attemptId);
    const audit = await api("/v1/audit?action=heal.review.undo", { token: t.apiKey });
    expect(((await audit.json()) as { items: { targetId: string }[] }).items[0]?.targetId).toBe(heal.id);
    // Nothing left to undo, and the heal can be reviewed again.
    expect((await undo(heal.id, t.token)).status).toBe(409);
    const again = await reviewHeal("reject", heal.id, t.token);
    expect(((await again.json()) as Heal).status).toBe("rejected");
  });

  it("a review made after the undo's checks stays: nothing is written or audited (409)", async () => {
    const t = await newTenant();
    const attemptId = await attempt(t);
    const heal = (await (await recordHeal(t, healBody(attemptId, { confidence: 0.5 }))).json()) as Heal;
    await reviewHeal("approve", heal.id, t.token);
    const db = createDb(env.DB);
    const [read] = await db.select().from(healedLocators).where(eq(healedLocators.id, heal.id));
    // The reviewer changes their mind in another tab between the undo's read and its write.
    await reviewHeal("reject", heal.id, t.token, { note: "no" });
    const services = {
      db,
      artifacts: env.ARTIFACTS,
      cache: env.CACHE,
      logger: jsonLogger(),
      clock: Date.now,
    };
    const actor = { actor: { type: "user" as const, id: t.userId } };
    const stale = writeUndo(
      services,
      t.orgId,
      actor,
      { heal: read!, reviewedAt: read!.reviewedAt! },
      Date.now(),
    );
    await expect(stale).rejects.toMatchObject({ code: "conflict" });
    expect((await list(t, "?status=rejected")).items.map((h) => h.id)).toEqual([heal.id]);
    const audit = await api("/v1/audit?action=heal.review.undo", { token: t.apiKey });
    expect(((await audit.json()) as { items: unknown[] }).items).toEqual([]);
    // The attempt keeps the rejection as its verdict.
    const attempts = await api("/v1/heal/attempts?outcome=rejected", { token: t.apiKey });
    expect(((await attempts.json()) as { items: { id: string }[] }).items.map((a) => a.id)).toContain(
      attemptId,
    );
  });

  it("is refused after the window, for another person's review, and for an automatic acceptance", async () => {
    const t = await newTenant();
    const auto = (await (await recordHeal(t, healBody(await attempt(t)))).json()) as Heal;
    expect(auto.autoAccepted).toBe(true);
    expect((await undo(auto.id, t.token)).status).toBe(409);

    const heal = (await (
      await recordHeal(t, healBody(await attempt(t), { confidence: 0.5 }))
    ).json()) as Heal;
    await reviewHeal("approve", heal.id, t.token);
    const other = await undo(heal.id, t.apiKey);
    expect(other.status).toBe(409);
    expect((await problem(other)).detail).toContain("Only the person who reviewed");

    await env.DB.prepare("UPDATE healed_locators SET reviewed_at = reviewed_at - 121000 WHERE id = ?")
      .bind(heal.id)
      .run();
    const late = await undo(heal.id, t.token);
    expect(late.status).toBe(409);
    expect((await problem(late)).detail).toContain("undo window has closed");
    expect((await list(t, "?status=accepted")).items.map((h) => h.id)).toContain(heal.id);
  });

  it("another tenant's heal is a 404; a key without heal:write is a 403", async () => {
    const t = await newTenant();
    const b = await newTenant("Other");
    const heal = (await (
      await recordHeal(t, healBody(await attempt(t), { confidence: 0.5 }))
    ).json()) as Heal;
    await reviewHeal("approve", heal.id, t.token);
    expect((await undo(heal.id, b.token)).status).toBe(404);
    expect((await undo(heal.id, await keyWith(t, ["heal:read"], "reader"))).status).toBe(403);
    expect((await list(t, "?status=accepted")).items.map((h) => h.id)).toContain(heal.id);
  });
});

describe("the review queue for live dashboards (docs/live-updates.md)", () => {
  it("answers with an ETag, 304 while unchanged, and a new body once a heal is recorded", async () => {
    const t = await newTenant();
    const path = `/v1/projects/${t.projectId}/heals?status=pending`;
    const etag = (await api(path, { token: t.apiKey })).headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const same = await api(path, { token: t.apiKey, headers: { "If-None-Match": etag! } });
    expect(same.status).toBe(304);
    expect((await recordHeal(t, healBody(await attempt(t), { confidence: 0.5 }))).status).toBe(201);
    const changed = await api(path, { token: t.apiKey, headers: { "If-None-Match": etag! } });
    expect(changed.status).toBe(200);
    expect(((await changed.json()) as { items: Heal[] }).items).toHaveLength(1);
  });
});
