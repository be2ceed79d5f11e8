import { describe, expect, it } from "vitest";
import { api, newTenant, postRun } from "../helpers.ts";

const report = `<?xml version="1.0"?><testsuites><testsuite name="s"><testcase classname="s" name="a" time="0.1"/></testsuite></testsuites>`;

describe("runs list ETag (the dashboard's live poll)", () => {
  it("answers 304 without a body while the list is unchanged, and a new ETag once a run arrives", async () => {
    const t = await newTenant();
    const list = (etag?: string) =>
      api(`/v1/projects/${t.projectId}/runs`, {
        token: t.apiKey,
        headers: etag ? { "If-None-Match": etag } : {},
      });
    const first = await list();
    expect(first.status).toBe(200);
    const etag = first.headers.get("ETag");
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("Cache-Control")).toBe("private, no-cache");

    const same = await list(etag!);
    expect(same.status).toBe(304);
    expect(await same.text()).toBe("");
    expect((await list(`W/${etag}`)).status).toBe(304);
    expect((await list('"something-else"')).status).toBe(200);

    const uploaded = await postRun(t, report);
    expect(uploaded.status).toBe(201);
    const changed = await list(etag!);
    expect(changed.status).toBe(200);
    expect(changed.headers.get("ETag")).not.toBe(etag);
    expect(((await changed.json()) as { items: unknown[] }).items).toHaveLength(1);
  });

  it("another organisation's ETag does not reveal its list: the project is still a 404", async () => {
    const [a, b] = [await newTenant(), await newTenant()];
    const etag = (await api(`/v1/projects/${a.projectId}/runs`, { token: a.apiKey })).headers.get("ETag")!;
    const res = await api(`/v1/projects/${a.projectId}/runs`, {
      token: b.apiKey,
      headers: { "If-None-Match": etag },
    });
    expect(res.status).toBe(404);
  });
});
