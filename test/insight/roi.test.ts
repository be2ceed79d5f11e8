import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RoiAssumptionsState, RoiReport } from "../../shared/contract/insight.ts";
import { api, newTenant, postRun, type Tenant } from "../helpers.ts";
import { runFiveMinuteCron } from "./cron.ts";

const junit = (seconds: number, cases: Record<string, "pass" | "fail">) =>
  `<?xml version="1.0"?><testsuites time="${seconds}"><testsuite name="s">${Object.entries(cases)
    .map(
      ([name, o]) =>
        `<testcase classname="s" name="${name}" time="1">${o === "fail" ? '<failure message="x">at a (a.ts:1:1)</failure>' : ""}</testcase>`,
    )
    .join("")}</testsuite></testsuites>`;

async function upload(t: Tenant, body: string, commit: string) {
  const res = await postRun(t, body, { commit: commit.padStart(40, "a"), branch: "main" });
  expect(res.status).toBe(201);
}

async function roi(t: Tenant) {
  const res = await api(
    `/v1/projects/${t.projectId}/insights/roi?from=${Date.now() - 86_400_000}&to=${Date.now() + 60_000}`,
    {
      token: t.apiKey,
    },
  );
  expect(res.status).toBe(200);
  return (await res.json()) as RoiReport;
}

/** PUT /v1/insights/assumptions: the org's ROI assumptions (docs/insight.md). */
const putAssumptions = (t: Tenant, json: Record<string, unknown>) =>
  api("/v1/insights/assumptions", { method: "PUT", token: t.apiKey, json });

/** A healed locator as the healing API records it; only status, project and times matter here. */
async function seedHeal(t: Tenant, status: "accepted" | "pending", n: number) {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO healed_locators (id, org_id, project_id, status, auto_accepted, test_file, test_title,
       source_file, source_line, source_column, original_selector, healed_selector, confidence, attempt_id,
       occurrences, reviewed_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, 0, 'a.spec.ts', 't', 'a.spec.ts', ?, 1, '#old', '#new', 0.9, 'hea_x', 1, ?, ?, ?)`,
  )
    .bind(
      `hlc_${status}${n}${crypto.randomUUID().slice(0, 8)}`,
      t.orgId,
      t.projectId,
      status,
      n,
      now,
      now,
      now,
    )
    .run();
}

describe("ROI", () => {
  it("reports heals, quarantine savings and CI minutes with the org's assumptions beside them", async () => {
    const t = await newTenant();
    await upload(t, junit(600, { pay: "pass", ship: "pass" }), "1");
    const tests = (await (await api(`/v1/projects/${t.projectId}/tests`, { token: t.apiKey })).json()) as {
      items: { id: string; name: string }[];
    };
    const pay = tests.items.find((x) => x.name === "pay")!;
    expect((await api(`/v1/tests/${pay.id}/quarantine`, { method: "POST", token: t.apiKey })).status).toBe(
      200,
    );
    await upload(t, junit(300, { pay: "fail", ship: "pass" }), "2"); // only a quarantined test failed
    await upload(t, junit(120, { pay: "fail", ship: "fail" }), "3"); // a real failure: re-run anyway
    await seedHeal(t, "accepted", 1);
    await seedHeal(t, "accepted", 2);
    await seedHeal(t, "pending", 3);
    await runFiveMinuteCron();

    const before = await roi(t);
    expect(before.heals).toEqual({ accepted: 2, hoursSaved: 0.5, assumptions: { minutesPerHeal: 15 } });
    expect(before.quarantine).toMatchObject({ runsNotRerun: 1, ciMinutesSaved: 5, costSaved: 0.04 });
    expect(before.ci).toMatchObject({ runs: 3, minutes: 17, cost: 0.14 });
    expect(before.testsGeneratedKept.value).toBe(0);

    const put = await putAssumptions(t, { minutesPerHeal: 30, costPerCiMinute: 0.5, currency: "EUR" });
    expect(put.status).toBe(200);
    expect(((await put.json()) as RoiAssumptionsState).source).toBe("org");
    const after = await roi(t);
    expect(after.heals.hoursSaved).toBe(1);
    expect(after.quarantine).toMatchObject({
      costSaved: 2.5,
      assumptions: { costPerCiMinute: 0.5, currency: "EUR" },
    });
    expect(after.ci.cost).toBe(8.5);
    // A second PUT replaces the stored assumptions (the row is upserted, not inserted again).
    const again = await putAssumptions(t, { minutesPerHeal: 60, costPerCiMinute: 0.5, currency: "EUR" });
    expect(again.status).toBe(200);
    expect((await roi(t)).heals.hoursSaved).toBe(2);

    const bad = await putAssumptions(t, { minutesPerHeal: -1, costPerCiMinute: 0.5, currency: "euro" });
    expect(bad.status).toBe(400);
    const other = await newTenant("Other");
    expect((await api(`/v1/projects/${t.projectId}/insights/roi`, { token: other.apiKey })).status).toBe(404);
    const theirs = (await (
      await api("/v1/insights/assumptions", { token: other.apiKey })
    ).json()) as RoiAssumptionsState;
    expect(theirs).toMatchObject({ source: "default", minutesPerHeal: 15 });
  });
});
