import { afterEach, describe, expect, it, vi } from "vitest";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { mintKey } from "../support/keys.ts";

/** POST /v1/projects/{projectId}/integrations/github/test (docs/ci-api.md, "Reporting to GitHub"). */

const token = "ghp_checkcheckcheckcheck1234";
const githubPath = (t: Tenant) => `/v1/projects/${t.projectId}/integrations/github`;

async function configure(t: Tenant) {
  const res = await api(githubPath(t), {
    method: "PUT",
    token: t.apiKey,
    json: { token, owner: "acme", repo: "shop" },
  });
  expect(res.status).toBe(200);
}

/** A fake GitHub answering `GET /repos/acme/shop` with the given status and push permission. */
function fakeGithub(answer: { status?: number; push?: boolean } = {}) {
  const seen: { method: string; url: string; authorization: string | null }[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const req = new Request(input, init);
    seen.push({ method: req.method, url: req.url, authorization: req.headers.get("authorization") });
    if (req.url !== "https://api.github.com/repos/acme/shop") return new Response("no", { status: 418 });
    if ((answer.status ?? 200) !== 200)
      return Response.json({ message: "Not Found" }, { status: answer.status });
    return Response.json({ full_name: "acme/shop", permissions: { pull: true, push: answer.push ?? true } });
  });
  return seen;
}

type Check = { ok: boolean; status: number | null; message: string };
const check = async (t: Tenant) => {
  const res = await api(`${githubPath(t)}/test`, { method: "POST", token: t.apiKey });
  expect(res.status).toBe(200);
  return (await res.json()) as Check;
};

afterEach(() => vi.restoreAllMocks());

describe("testing the GitHub integration", () => {
  it("reads the repository with the stored token", async () => {
    const t = await newTenant();
    await configure(t);
    const seen = fakeGithub();
    const result = await check(t);
    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(result.message).toContain("acme/shop");
    expect(seen).toEqual([
      { method: "GET", url: "https://api.github.com/repos/acme/shop", authorization: `Bearer ${token}` },
    ]);
  });

  it("says so when the repository is hidden from the token, or read-only", async () => {
    const t = await newTenant();
    await configure(t);
    fakeGithub({ status: 404 });
    expect(await check(t)).toMatchObject({ ok: false, status: 404 });
    vi.restoreAllMocks();
    fakeGithub({ push: false });
    const readOnly = await check(t);
    expect(readOnly.ok).toBe(false);
    expect(readOnly.message).toContain("may not write");
    vi.restoreAllMocks();
    vi.spyOn(globalThis, "fetch").mockRejectedValue(new TypeError("connection refused"));
    expect(await check(t)).toMatchObject({ ok: false, status: null });
  });

  it("is a 404 when not configured or another tenant's; needs integrations:manage", async () => {
    const t = await newTenant();
    const intruder = await newTenant("Intruder");
    expect((await api(`${githubPath(t)}/test`, { method: "POST", token: t.apiKey })).status).toBe(404);
    await configure(t);
    expect((await api(`${githubPath(t)}/test`, { method: "POST", token: intruder.apiKey })).status).toBe(404);
    const { key } = await mintKey(t.token, ["runs:read", "runs:write"], "runs");
    expect((await api(`${githubPath(t)}/test`, { method: "POST", token: key })).status).toBe(403);
  });
});
