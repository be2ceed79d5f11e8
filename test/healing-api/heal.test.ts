import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, newTenant, problem } from "../helpers.ts";
import { keyWith } from "../support/keys.ts";
import { checkoutPage, continueButton, submitButton, submitXpath } from "./heal-fixtures.ts";
import { postFeedback, postHeal } from "./heal-requests.ts";

const saveButton = {
  tag: "button",
  attributes: { "data-testid": "save", class: "btn btn-primary", type: "submit" },
  text: "Save changes",
  xpath: "/html[1]/body[1]/form[1]/button[1]",
  rect: { x: 100, y: 400, width: 120, height: 40 },
};
const candidates = [
  {
    tag: "a",
    attributes: { href: "/help", class: "link" },
    text: "Help",
    rect: { x: 10, y: 10, width: 40, height: 20 },
  },
  {
    tag: "button",
    attributes: { class: "btn btn-secondary", type: "button" },
    text: "Cancel",
    rect: { x: 240, y: 400, width: 100, height: 40 },
  },
  {
    tag: "button",
    attributes: { "data-testid": "save", class: "Button_primary__x7Gh2", type: "submit" },
    text: "Save changes",
    rect: { x: 100, y: 402, width: 120, height: 40 },
  },
];

describe("POST /v1/heal — candidates form", () => {
  it("heals to the right candidate and records the attempt", async () => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, {
      selector: "button.btn-primary",
      target: saveButton,
      candidates,
      projectId: t.projectId,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit-policy")).toMatch(/^"heal";/);
    const body = (await res.json()) as {
      healed: boolean;
      index: number;
      confidence: number;
      attemptId: string;
      selector: string;
      alternatives: { index: number; confidence: number }[];
    };
    expect(body).toMatchObject({ healed: true, index: 2 });
    expect(body.confidence).toBeGreaterThan(0.8);
    expect(body.attemptId).toMatch(/^hea_/);
    expect(body.selector).toContain("save");
    expect(body.alternatives.length).toBeLessThanOrEqual(5);
    const row = await env.DB.prepare("SELECT * FROM heal_attempts WHERE id = ?")
      .bind(body.attemptId)
      .first<Record<string, unknown>>();
    expect(row).toMatchObject({
      org_id: t.orgId,
      project_id: t.projectId,
      healed: 1,
      result_index: 2,
      form: "candidates",
    });
  });

  it("reads null fields and serialised DOMRects as a browser or WebDriver client sends them", async () => {
    const t = await newTenant();
    // What `JSON.stringify(el.getBoundingClientRect())` gives, and null for every unknown field.
    const asSent = (d: (typeof candidates)[number] | typeof saveButton) => ({
      xpath: null,
      idXpath: null,
      neighborText: null,
      role: null,
      accessibleName: null,
      ...d,
      attributes: { ...d.attributes, hidden: false, title: null },
      rect: {
        ...d.rect,
        top: d.rect.y,
        left: d.rect.x,
        right: d.rect.x + d.rect.width,
        bottom: d.rect.y + d.rect.height,
      },
    });
    const paths = [
      "/html[1]/body[1]/a[1]",
      "/html[1]/body[1]/form[1]/button[2]",
      "/html[1]/body[1]/form[1]/button[1]",
    ];
    const located = candidates.map((c, i) => ({ ...c, xpath: paths[i] }));
    const clean = (await (await postHeal(t.apiKey, { target: saveButton, candidates: located })).json()) as {
      confidence: number;
    };
    // A browser's "copy full XPath" form of the same path: upper-case tags, no [1] where a tag is alone.
    const target = { ...asSent(saveButton), xpath: "/HTML/BODY/form/button" };
    const res = await postHeal(t.apiKey, { target, candidates: located.map(asSent) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { healed: boolean; index: number; confidence: number };
    expect(body).toMatchObject({ healed: true, index: 2 });
    expect(body.confidence).toBeCloseTo(clean.confidence, 6);
  });

  it("reads a browser's unindexed xpath as the indexed one: between twins, the path decides", async () => {
    const t = await newTenant();
    // Two identical buttons; only the path tells them apart. The first in the list stands second.
    const twin = { tag: "button", attributes: { class: "btn" }, text: "Add" };
    const candidates = [
      { ...twin, xpath: "/html[1]/body[1]/form[1]/button[2]" },
      { ...twin, xpath: "/html[1]/body[1]/form[1]/button[1]" },
    ];
    const target = { ...twin, xpath: "/html/body/form/button" }; // "copy full XPath": button[1]
    const res = await postHeal(t.apiKey, { target, candidates });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { index: number | null; suggestion: { index: number } | null };
    expect(body.index ?? body.suggestion?.index).toBe(1);
  });

  it("abstains when the element is gone", async () => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, { target: saveButton, candidates: candidates.slice(0, 2) });
    const body = (await res.json()) as { healed: boolean; index: number | null };
    expect(body).toMatchObject({ healed: false, index: null });
  });

  it("handles an empty candidate list and a cold start from the selector alone", async () => {
    const t = await newTenant();
    const empty = await postHeal(t.apiKey, { target: saveButton, candidates: [] });
    expect(empty.status).toBe(200);
    expect(await empty.json()).toMatchObject({ healed: false, index: null });
    const full = (await (await postHeal(t.apiKey, { target: saveButton, candidates })).json()) as {
      confidence: number;
    };
    const cold = await postHeal(t.apiKey, {
      selector: "[data-testid=save]",
      target: { tag: "button" },
      candidates,
    });
    expect(cold.status).toBe(200);
    const body = (await cold.json()) as {
      healed: boolean;
      index: number | null;
      confidence: number;
      alternatives: { index: number }[];
    };
    // Built from the selector alone: the right element ranks first, with honestly lower confidence.
    expect(body.confidence).toBeLessThan(full.confidence);
    expect(body.confidence).toBeGreaterThan(0.5);
    if (body.healed) expect(body.index).toBe(2);
    else expect(body.alternatives.map((a) => a.index)).not.toContain(2);
  });
});

describe("POST /v1/heal — DOM form", () => {
  it("returns a unique selector, xpath and Playwright locator for the healed element", async () => {
    const t = await newTenant();
    const previousDom = `<html><body><nav><a id="home" href="/">Home</a></nav><form><input name="email" placeholder="Email"><button id="submit-3f9a2" class="btn primary">Sign in</button></form></body></html>`;
    const dom = `<html><body><nav><a id="home" href="/">Home</a></nav><form><div class="row"><input name="email" placeholder="Email"></div><div class="actions"><button id="submit-77c1d" class="Btn_primary__k2">Sign in</button></div></form></body></html>`;
    const res = await postHeal(t.apiKey, { selector: "#submit-3f9a2", dom, previousDom });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      healed: boolean;
      selector: string;
      xpath: string;
      playwright: string;
      attemptId: string;
    };
    expect(body.healed).toBe(true);
    expect(body.xpath).toBe("/html[1]/body[1]/form[1]/div[2]/button[1]");
    expect(body.playwright).toBeTruthy();
    expect(body.selector).toBeTruthy();
  });

  it("does not heal a removed button to the neighbour that stood beside it on the old page", async () => {
    const t = await newTenant();
    const page = (actions: string) => checkoutPage(actions, true);
    const previousDom = page(`${continueButton}${submitButton}`);
    const selector = submitXpath;
    type Body = { healed: boolean; xpath: string | null; suggestion: { xpath: string } | null };
    // "Submit" is gone; "Continue" was already there, unchanged: it is offered, never healed to.
    const removed = (await (
      await postHeal(t.apiKey, { selector, dom: page(continueButton), previousDom })
    ).json()) as Body;
    expect(removed).toMatchObject({ healed: false, xpath: null });
    expect(removed.suggestion?.xpath).toBe("/html[1]/body[1]/main[1]/form[1]/div[3]/button[1]");
    // "Submit" renamed beside the same neighbour still heals.
    const renamedDom = page(
      `${continueButton}<button type="submit" class="btn btn-secondary">Send order</button>`,
    );
    const renamed = (await (
      await postHeal(t.apiKey, { selector, dom: renamedDom, previousDom })
    ).json()) as Body;
    expect(renamed).toMatchObject({ healed: true, xpath: selector });
  });
});

describe("POST /v1/heal — DOM form with HTML fragments", () => {
  it("reads fragments as a browser does (html > body), so xpaths match the browser's", async () => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, {
      selector: "/html[1]/body[1]/form[1]/button[1]",
      previousDom: '<form><input name="q"><button id="go-1a2b" class="btn">Search</button></form>',
      dom: '<form><input name="q"><span class="wrap"><button id="go-9f8e" class="Btn_x">Search</button></span></form>',
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { healed: boolean; xpath: string; selector: string };
    expect(body.healed).toBe(true);
    expect(body.xpath).toBe("/html[1]/body[1]/form[1]/span[1]/button[1]");
  });
});

describe("POST /v1/heal — validation", () => {
  it.each([
    ["empty tag", { target: { tag: "" }, candidates: [] }],
    ["negative size", { target: { tag: "a", rect: { x: 0, y: 0, width: -5, height: 10 } }, candidates: [] }],
    [
      "attribute that is an object",
      { target: { tag: "a", attributes: { id: { value: 42 } } }, candidates: [] },
    ],
    ["candidates not an array", { target: { tag: "a" }, candidates: "all of them" }],
    ["neither form", { selector: "#x" }],
    ["unknown field", { target: { tag: "a" }, candidates: [], extra: true }],
  ])("%s → 400 with field errors", async (_name, body) => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, body);
    expect(res.status).toBe(400);
    const p = await problem(res);
    expect(p.errors!.length).toBeGreaterThan(0);
  });

  it("more than 5000 candidates → 413", async () => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, {
      target: { tag: "a" },
      candidates: Array.from({ length: 5001 }, () => ({ tag: "a" })),
    });
    expect(res.status).toBe(413);
    await problem(res);
  });

  it("a DOM over 5 MiB → 413", async () => {
    const t = await newTenant();
    const dom = `<html><body>${"<p>x</p>".repeat(700_000)}</body></html>`;
    const res = await postHeal(t.apiKey, { selector: "#a", dom });
    expect(res.status).toBe(413);
  });

  it("pathological DOMs are refused before real work: too deep → 422, too many elements → 413", async () => {
    const t = await newTenant();
    const deep = `<html><body>${"<div>".repeat(20_000)}x${"</div>".repeat(20_000)}</body></html>`;
    const tooDeep = await postHeal(t.apiKey, { selector: "#a", dom: deep });
    expect(tooDeep.status).toBe(422);
    expect((await problem(tooDeep)).detail).toContain("too deep");
    const huge = `<html><body>${"<div></div>".repeat(60_000)}</body></html>`;
    const tooMany = await postHeal(t.apiKey, { selector: "#a", dom: huge });
    expect(tooMany.status).toBe(413);
    expect((await problem(tooMany)).detail).toContain("too many elements");
  });

  it("abstaining answers carry the engine's best guess as a suggestion, never as the heal", async () => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, {
      target: { tag: "button", text: "Save draft" },
      candidates: [
        { tag: "a", text: "Help" },
        { tag: "span", text: "Archive" },
      ],
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { healed: boolean; index: number | null; suggestion: unknown };
    expect(body.healed).toBe(false);
    expect(body.index).toBeNull();
    expect(body.suggestion).toMatchObject({ index: expect.any(Number), confidence: expect.any(Number) });
  });

  it("another org's project → 404; missing heal:write → 403", async () => {
    const a = await newTenant();
    const b = await newTenant();
    expect(
      (await postHeal(a.apiKey, { target: saveButton, candidates, projectId: b.projectId })).status,
    ).toBe(404);
    const ro = await keyWith(a, ["heal:read"], "ro");
    expect((await postHeal(ro, { target: saveButton, candidates })).status).toBe(403);
  });
});

describe("feedback, attempts and stats", () => {
  it("records feedback, filters attempts, reports rates; tenant-scoped", async () => {
    const t = await newTenant();
    const first = (await (
      await postHeal(t.apiKey, { target: saveButton, candidates, projectId: t.projectId })
    ).json()) as { attemptId: string };
    const second = (await (await postHeal(t.apiKey, { target: saveButton, candidates })).json()) as {
      attemptId: string;
    };
    const ok = await postFeedback(t.apiKey, first.attemptId, { accepted: true });
    expect(ok.status).toBe(200);
    const wrong = await postFeedback(t.apiKey, second.attemptId, { accepted: false, correctIndex: 1 });
    expect(wrong.status).toBe(200);
    const outOfRange = await postFeedback(t.apiKey, second.attemptId, { accepted: false, correctIndex: 3 });
    expect(outOfRange.status).toBe(422);
    const contradictory = await postFeedback(t.apiKey, second.attemptId, { accepted: true, correctIndex: 1 });
    expect(contradictory.status).toBe(422);

    const accepted = (await (
      await api("/v1/heal/attempts?outcome=accepted", { token: t.apiKey })
    ).json()) as { items: { id: string; feedback: { accepted: boolean } }[] };
    expect(accepted.items.map((a) => a.id)).toEqual([first.attemptId]);
    const byProject = (await (
      await api(`/v1/heal/attempts?projectId=${t.projectId}`, { token: t.apiKey })
    ).json()) as { items: { id: string }[] };
    expect(byProject.items.map((a) => a.id)).toEqual([first.attemptId]);

    const stats = (await (await api("/v1/heal/stats", { token: t.apiKey })).json()) as {
      overall: {
        attempts: number;
        healed: number;
        reviewed: number;
        accepted: number;
        acceptanceRate: number;
      };
      byStrategy: { key: string; attempts: number }[];
      byProject: { key: string; attempts: number }[];
    };
    expect(stats.overall).toMatchObject({
      attempts: 2,
      healed: 2,
      reviewed: 2,
      accepted: 1,
      acceptanceRate: 0.5,
    });
    expect(stats.byProject).toEqual([expect.objectContaining({ key: t.projectId, attempts: 1 })]);
    expect(stats.byStrategy.reduce((s, b) => s + b.attempts, 0)).toBe(2);

    const audit = (await (await api("/v1/audit?action=heal.feedback", { token: t.apiKey })).json()) as {
      items: { targetId: string }[];
    };
    expect(audit.items.map((e) => e.targetId).sort()).toEqual([first.attemptId, second.attemptId].sort());

    const other = await newTenant();
    expect((await postFeedback(other.apiKey, first.attemptId, { accepted: true })).status).toBe(404);
    const otherList = (await (await api("/v1/heal/attempts", { token: other.apiKey })).json()) as {
      items: unknown[];
    };
    expect(otherList.items).toHaveLength(0);
  });
});
