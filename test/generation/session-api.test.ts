// `POST /v1/sessions/{sessionId}/generate`: a session's timeline becomes a stored generation job.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Generation } from "../../shared/contract/generation.ts";
import { api, newTenant, problem, type Tenant } from "../helpers.ts";
import { newSession, postEvent } from "../sessions/room-client.ts";

/** A session with the cart charter; its id. */
async function cartSession(t: Tenant) {
  const session = await newSession(t, {
    title: "Add to cart",
    charter: "Explore adding items",
    environment: "local",
    timeboxMinutes: 30,
  });
  return session.id;
}

async function post(t: Tenant, sessionId: string, frame: Record<string, unknown>) {
  expect((await postEvent(t.apiKey, sessionId, frame)).status).toBe(201);
}

describe("generation from a session", () => {
  it("plans the recorded steps and expectations into a spec kept like any generation", async () => {
    const t = await newTenant();
    const sessionId = await cartSession(t);
    await post(t, sessionId, { type: "step", action: "navigate", url: "http://127.0.0.1:4173/shop.html" });
    await post(t, sessionId, {
      type: "step",
      action: "click",
      target: { role: "button", accessibleName: "Add to cart", testId: "add", selector: "#add" },
      url: "http://127.0.0.1:4173/shop.html",
    });
    await post(t, sessionId, { type: "note", text: "expect: cart shows 1 item" });
    await post(t, sessionId, { type: "chat", text: "looks fine" });

    const res = await api(`/v1/sessions/${sessionId}/generate`, {
      method: "POST",
      token: t.apiKey,
      json: { maxTests: 5 },
    });
    expect(res.status).toBe(201);
    const job = (await res.json()) as Generation;
    expect(job).toMatchObject({
      status: "succeeded",
      progress: 1,
      projectId: t.projectId,
      appUrl: "http://127.0.0.1:4173/",
      error: null,
      source: "session",
      sessionId,
    });
    expect(job.figures).toEqual({ pages: 1, interactions: 2, tests: 1, assertions: 1 });
    expect(job.files.map((f) => [f.path, f.tests])).toEqual([
      ["session-add-to-cart.spec.ts", 1],
      ["playwright.config.ts", 0],
    ]);
    const spec = job.files[0]!.content;
    expect(spec).toContain(
      'await page.goto("/shop.html");\n  await page.getByRole("button", { name: "Add to cart", exact: true }).click();',
    );
    expect(spec).toContain('await expect(page.getByText("1 item").first()).toBeVisible();');
    expect(spec).not.toContain("looks fine");
    const stored = await env.ARTIFACTS.get(`generations/${t.orgId}/${job.id}/session-add-to-cart.spec.ts`);
    expect(await stored!.text()).toBe(spec);

    const again = await api(`/v1/generations/${job.id}`, { token: t.apiKey });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(job);

    const audit = await env.DB.prepare(
      "SELECT changes FROM audit_log WHERE org_id = ? AND action = 'generation.create' AND target_id = ?",
    )
      .bind(t.orgId, job.id)
      .first<{ changes: string }>();
    expect(JSON.parse(audit!.changes)).toEqual({ sessionId });
  });

  it("accepts an empty body, refuses a session without steps with 422 and a bad body with 400", async () => {
    const t = await newTenant();
    const sessionId = await cartSession(t);
    await post(t, sessionId, { type: "note", text: "expect: shows Welcome" });
    const empty = await api(`/v1/sessions/${sessionId}/generate`, { method: "POST", token: t.apiKey });
    expect(empty.status).toBe(422);
    expect(empty.headers.get("content-type")).toContain("application/problem+json");
    expect((await problem(empty)).detail).toMatch(/no recorded steps/);

    const bad = await api(`/v1/sessions/${sessionId}/generate`, {
      method: "POST",
      token: t.apiKey,
      json: { maxTests: 0, extra: true },
    });
    expect(bad.status).toBe(400);
    const notJson = await api(`/v1/sessions/${sessionId}/generate`, {
      method: "POST",
      token: t.apiKey,
      body: "{",
      headers: { "content-type": "application/json" },
    });
    expect(notJson.status).toBe(400);

    await post(t, sessionId, { type: "step", action: "click", target: "#go", url: "http://app.test/" });
    const ok = await api(`/v1/sessions/${sessionId}/generate`, { method: "POST", token: t.apiKey });
    expect(ok.status).toBe(201);
  });

  it("answers another organisation's session as not found", async () => {
    const [a, b] = [await newTenant("A"), await newTenant("B")];
    const sessionId = await cartSession(a);
    await post(a, sessionId, { type: "step", action: "click", target: "#go", url: "http://app.test/" });
    const cross = await api(`/v1/sessions/${sessionId}/generate`, { method: "POST", token: b.apiKey });
    expect(cross.status).toBe(404);
    const unknown = await api("/v1/sessions/ses_00000000000000000000000000/generate", {
      method: "POST",
      token: a.apiKey,
    });
    expect(unknown.status).toBe(404);
  });
});
