import { beforeAll, describe, expect, it } from "vitest";
import { api, newTenant, postRun, type Tenant } from "../helpers.ts";

/** Inputs that used to end in a 500; each must be a clear 4xx (RFC 9457 problem). */

let t: Tenant;
beforeAll(async () => {
  t = await newTenant();
}, 60_000);

const upload = (body: string, contentType?: string) => postRun(t, body, {}, contentType);

async function expectProblem(res: Response, statuses: number[]) {
  const text = await res.text();
  expect(statuses, `${res.status}: ${text.slice(0, 200)}`).toContain(res.status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  return JSON.parse(text) as { detail: string };
}

const testcase = (name: string) => `<testcase classname="c" name="${name}" time="0.1"/>`;

describe("malformed input is a 4xx, never a 500", () => {
  it('an invite with customRoleId "" is a 400', async () => {
    for (const role of ["custom", "viewer"]) {
      const res = await api("/v1/invites", {
        method: "POST",
        token: t.token,
        json: { email: "e@example.com", role, customRoleId: "" },
      });
      await expectProblem(res, [400]);
    }
  });

  it("JUnit with 101 nested <testsuite> is a 422", async () => {
    const xml = `${'<testsuite name="s">'.repeat(101)}${testcase("deep")}${"</testsuite>".repeat(101)}`;
    await expectProblem(await upload(xml), [422]);
  });

  it("a DOCTYPE with an external entity after 5 KB (not in the first 4 KiB) is a 422", async () => {
    const padding = `<!-- ${"x".repeat(5 * 1024)} -->`;
    const xml = `<?xml version="1.0"?>${padding}<!DOCTYPE r [<!ENTITY x SYSTEM "http://169.254.169.254/">]><testsuite name="s">${testcase("&x;")}</testsuite>`;
    const problem = await expectProblem(await upload(xml), [422]);
    expect(problem.detail).toMatch(/DOCTYPE/);
    const late = `<testsuite name="s">${testcase("a")}${" ".repeat(6000)}<!DOCTYPE x></testsuite>`;
    await expectProblem(await upload(late), [400, 422]);
  });

  it("a DOCTYPE quoted in CDATA (captured test output) is only text", async () => {
    const xml = `<testsuite name="s"><testcase classname="c" name="html"><system-out><![CDATA[<!DOCTYPE html><p>hi</p>]]></system-out></testcase></testsuite>`;
    expect((await upload(xml)).status).toBe(201);
  });

  it("a 5 MB test name is a 422, in JUnit and in Playwright JSON", async () => {
    const name = "n".repeat(5 * 1024 * 1024);
    await expectProblem(await upload(`<testsuite name="s">${testcase(name)}</testsuite>`), [413, 422]);
    const pw = {
      suites: [
        {
          title: "f.spec.ts",
          file: "f.spec.ts",
          specs: [{ title: name, tests: [{ results: [{ status: "passed" }] }] }],
        },
      ],
    };
    await expectProblem(await upload(JSON.stringify(pw), "application/json"), [413, 422]);
  });

  it("Playwright JSON with suites nested 5,000 deep is a 422", async () => {
    let suite: Record<string, unknown> = {
      title: "leaf",
      specs: [{ title: "t", tests: [{ results: [{ status: "passed" }] }] }],
    };
    for (let i = 0; i < 5000; i++) suite = { title: `s${i}`, suites: [suite] };
    const body = JSON.stringify({ suites: [{ title: "f.spec.ts", file: "f.spec.ts", suites: [suite] }] });
    await expectProblem(await upload(body, "application/json"), [400, 422]);
  });

  it("a heal DOM of 20,000 nested divs is a 413/422 before the engine runs", async () => {
    const dom = `<html><body>${"<div>".repeat(20_000)}<button id="b">Save</button>${"</div>".repeat(20_000)}</body></html>`;
    const res = await api("/v1/heal", {
      method: "POST",
      token: t.apiKey,
      json: { selector: "#old", dom },
    });
    await expectProblem(res, [413, 422]);
  });
});
