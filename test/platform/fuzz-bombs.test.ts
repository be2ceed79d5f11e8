import { describe, expect, it } from "vitest";
import { seededRng as rng } from "../../shared/pipeline/bandit.ts";
import { api, newTenant, setPlan } from "../helpers.ts";
import { barrage } from "../support/barrage.ts";

/**
 * The second fuzz pass (the first is fuzz.test.ts, 2 000 requests): 8 000 generated requests of
 * hostile shapes — JSON and XML depth bombs, entity bombs, DTDs, oversize fields, wide arrays and
 * nested DOMs — against every domain's writes. None may answer 5xx.
 */

const FIELDS = [
  "name",
  "description",
  "email",
  "role",
  "customRoleId",
  "permissions",
  "url",
  "host",
  "selector",
  "dom",
  "title",
  "summary",
  "projectKey",
  "events",
  "threshold",
  "rules",
];
const DEPTHS = [50, 101, 500, 2000, 5000];

type Payload = { body: string; type: string };

function jsonDepth(depth: number, r: () => number): string {
  const key = FIELDS[Math.floor(r() * FIELDS.length)]!;
  return r() < 0.5
    ? "[".repeat(depth) + "]".repeat(depth)
    : `{"${key}":`.repeat(depth) + "1" + "}".repeat(depth);
}

function xmlDepth(depth: number): string {
  return `${'<testsuite name="s">'.repeat(depth)}<testcase classname="c" name="t"/>${"</testsuite>".repeat(depth)}`;
}

const LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><testsuite name="s"><testcase classname="c" name="&lol3;"/></testsuite>`;

function payload(r: () => number): Payload {
  const depth = DEPTHS[Math.floor(r() * DEPTHS.length)]!;
  const field = FIELDS[Math.floor(r() * FIELDS.length)]!;
  const json = (value: unknown) => ({ body: JSON.stringify(value), type: "application/json" });
  switch (Math.floor(r() * 10)) {
    case 0:
      return { body: jsonDepth(depth, r), type: "application/json" };
    case 1:
      return { body: xmlDepth(Math.min(depth, 500)), type: "application/xml" };
    case 2:
      return { body: LAUGHS, type: "application/xml" };
    case 3:
      return {
        body: `<testsuite name="s"><testcase classname="c" name="a"/>${" ".repeat(5000)}<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]></testsuite>`,
        type: "text/xml",
      };
    case 4:
      return json({ [field]: "x".repeat([1000, 70_000, 300_000][Math.floor(r() * 3)]!) });
    case 5:
      return json({ [field]: Array.from({ length: 5000 }, (_, i) => i) });
    case 6:
      return json({ selector: "#a", dom: `${"<div>".repeat(depth * 4)}x${"</div>".repeat(depth * 4)}` });
    case 7: {
      let suite: unknown = { title: "t", specs: [{ title: "x", tests: [] }] };
      for (let i = 0; i < depth; i++) suite = { title: `s${i}`, suites: [suite] };
      return json({ suites: [suite] });
    }
    case 8:
      return json({ name: "ok", [field]: { [field]: { [field]: "\u0000".repeat(100) } }, customRoleId: "" });
    default:
      return { body: `${"{".repeat(depth)}`, type: "application/json" };
  }
}

describe("fuzzing with bombs: depth, entities and oversize fields never cause a 5xx", () => {
  it("8 000 generated hostile requests across every domain", async () => {
    const t = await newTenant();
    await setPlan(t.orgId, "enterprise");
    const p = t.projectId;
    const routes: [string, string][] = [
      ["POST", "/v1/projects"],
      ["PATCH", `/v1/projects/${p}`],
      ["POST", "/v1/api-keys"],
      ["POST", "/v1/roles"],
      ["POST", "/v1/invites"],
      ["POST", "/v1/invites/accept"],
      ["PATCH", `/v1/members/${t.userId}`],
      ["PATCH", "/v1/org"],
      ["POST", "/v1/auth/signup"],
      ["POST", "/v1/heal"],
      ["POST", `/v1/projects/${p}/runs`],
      ["POST", `/v1/projects/${p}/runs`],
      ["PUT", `/v1/projects/${p}/gate-rules`],
      ["PUT", `/v1/projects/${p}/integrations/github`],
      ["PUT", `/v1/projects/${p}/heal-settings`],
      ["POST", `/v1/projects/${p}/heals`],
      ["POST", "/v1/webhook-sources"],
      ["POST", "/v1/webhook-endpoints"],
      ["POST", "/v1/webhook-events/replay"],
      ["POST", `/v1/projects/${p}/sessions`],
      ["PUT", `/v1/projects/${p}/integrations/jira`],
      ["POST", "/hooks/src_00000000000000000000000000"],
    ];
    const r = rng(20261202);
    const N = 8000;
    const { statuses, failures, total } = await barrage(N, 40, async () => {
      const [method, path] = routes[Math.floor(r() * routes.length)]!;
      const { body, type } = payload(r);
      const res = await api(path, { method, token: t.apiKey, headers: { "content-type": type }, body });
      return { res, sent: `${method} ${path} ${type} ${body.slice(0, 120)}…` };
    });
    expect(total).toBe(N);
    expect(failures.slice(0, 20)).toEqual([]);
    // The bombs must reach the parsers and validators, not only bounce off auth or the rate limiter.
    const refused = (statuses.get(400) ?? 0) + (statuses.get(413) ?? 0) + (statuses.get(422) ?? 0);
    expect(refused).toBeGreaterThan(N / 2);
  }, 240_000);
});
