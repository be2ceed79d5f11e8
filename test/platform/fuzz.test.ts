import { describe, expect, it } from "vitest";
import { seededRng as rng } from "../../shared/pipeline/bandit.ts";
import { api, newTenant, setPlan } from "../helpers.ts";
import { barrage } from "../support/barrage.ts";

const STRINGS = [
  "",
  " ",
  "a",
  "💥🔥",
  "\u0000",
  "'; DROP TABLE projects;--",
  "<script>alert(1)</script>",
  "x".repeat(5000),
  "𝕊𝕙𝕚𝕗𝕥𝕪",
  "\ud800",
  "../../etc/passwd",
  "%00",
  "null",
  "prj_00000000000000000000000000",
  "shf_xxx",
];

function randomValue(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 10);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return r() > 0.5;
    case 2:
      return Math.floor((r() - 0.5) * 1e12);
    case 3:
      return [Number.MAX_SAFE_INTEGER, -1, 0, 1.5, 1e308][Math.floor(r() * 5)];
    case 4:
    case 5:
      return STRINGS[Math.floor(r() * STRINGS.length)];
    case 6:
      return depth > 3
        ? "deep"
        : Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      if (depth > 3) return {};
      const obj: Record<string, unknown> = {};
      const keys = [
        "name",
        "slug",
        "description",
        "email",
        "password",
        "role",
        "permissions",
        "plan",
        "expiresAt",
        "gracePeriodSeconds",
        "customRoleId",
        "token",
        "orgName",
        "__proto__",
        "constructor",
      ];
      for (let i = 0; i < 1 + Math.floor(r() * 5); i++)
        obj[keys[Math.floor(r() * keys.length)]!] = randomValue(r, depth + 1);
      return obj;
    }
  }
}

describe("fuzzing: malformed requests never cause a 5xx", () => {
  it("≥ 2000 generated requests across every domain's API", async () => {
    const t = await newTenant();
    await setPlan(t.orgId, "enterprise");
    const key = (
      (await (
        await api("/v1/api-keys", { method: "POST", token: t.token, json: { name: "fuzz" } })
      ).json()) as { key: string }
    ).key;
    const r = rng(20261126);
    const routes: [string, string][] = [
      ["POST", "/v1/projects"],
      ["PATCH", `/v1/projects/${t.projectId}`],
      ["GET", "/v1/projects"],
      ["POST", "/v1/api-keys"],
      ["POST", "/v1/roles"],
      ["POST", "/v1/invites"],
      ["POST", "/v1/invites/accept"],
      ["PATCH", `/v1/members/${t.userId}`],
      ["GET", "/v1/audit"],
      ["POST", "/v1/auth/signup"],
      ["POST", "/v1/auth/signin"],
      ["POST", "/v1/orgs"],
      ["PATCH", "/v1/org"],
      ["PUT", `/v1/admin/orgs/${t.orgId}/plan`],
      ["GET", "/v1/members"],
      ["GET", "/v1/invites"],
      ["GET", "/v1/api-keys"],
      ["GET", "/v1/roles"],
      ["POST", "/v1/heal"],
      ["GET", "/v1/me"],
      // Every other domain's writes and list filters get the same treatment.
      ["POST", `/v1/projects/${t.projectId}/runs`],
      ["GET", `/v1/projects/${t.projectId}/runs`],
      ["PUT", `/v1/projects/${t.projectId}/gate-rules`],
      ["PUT", `/v1/projects/${t.projectId}/integrations/github`],
      ["GET", `/v1/projects/${t.projectId}/flaky`],
      ["GET", `/v1/projects/${t.projectId}/clusters`],
      ["POST", `/v1/projects/${t.projectId}/heals`],
      ["PUT", `/v1/projects/${t.projectId}/heal-settings`],
      ["GET", "/v1/heal/attempts"],
      ["GET", "/v1/heal/stats"],
      ["POST", "/v1/heal/hea_00000000000000000000000000/feedback"],
      ["POST", "/v1/webhook-sources"],
      ["POST", "/v1/webhook-endpoints"],
      ["GET", "/v1/webhook-events"],
      ["POST", "/v1/webhook-events/replay"],
      ["POST", `/v1/projects/${t.projectId}/sessions`],
      ["PUT", `/v1/projects/${t.projectId}/integrations/jira`],
      ["GET", "/v1/sessions"],
      ["POST", "/hooks/src_00000000000000000000000000"],
    ];
    const queries = [
      "",
      "?limit=abc",
      "?limit=-1",
      "?cursor=%00",
      "?limit=1e9",
      "?from=yesterday",
      "?format=xml",
      "?cursor=prj_zzzzzzzzzzzzzzzzzzzzzzzzzz",
      "?action=%F0%9F%92%A5*",
    ];
    const { statuses, failures, total } = await barrage(2000, 25, async () => {
      const [method, path] = routes[Math.floor(r() * routes.length)]!;
      const query = queries[Math.floor(r() * queries.length)]!;
      const mode = Math.floor(r() * 8);
      const headers: Record<string, string> = {};
      let body: string | undefined;
      if (method !== "GET") {
        headers["content-type"] =
          mode === 0 ? "text/plain" : mode === 1 ? "application/json; charset=utf-16" : "application/json";
        body = mode === 2 ? '{"unterminated' : mode === 3 ? "\u0000\u0001" : JSON.stringify(randomValue(r));
      }
      if (mode === 4)
        headers["x-org-id"] = STRINGS[Math.floor(r() * STRINGS.length)]!.replace(/[^\x20-\x7e]/g, "?");
      if (mode === 5) headers["x-request-id"] = "bad id with spaces ✓".replace(/[^\x20-\x7e]/g, "?");
      const token = mode === 6 ? "shf_" + "A".repeat(43) : mode === 7 ? "eyJhbGciOiJub25lIn0.e30." : key;
      const res = await api(path + query, { method, token, headers, body });
      return { res, sent: `${method} ${path}${query} ${body?.slice(0, 200)}` };
    });
    expect(total).toBeGreaterThanOrEqual(1000);
    expect(failures).toEqual([]);
    // The fuzz must reach validation, not bounce off auth or rate limits only.
    expect(statuses.get(400) ?? 0).toBeGreaterThan(200);
  }, 120_000);
});
