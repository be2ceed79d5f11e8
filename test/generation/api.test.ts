// The generations API: an exploration in, a finished job out (files in R2), read back by id; tenant
// isolation, validation and permissions.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Exploration, Generation } from "../../shared/contract/generation.ts";
import { api, newTenant } from "../helpers.ts";

const exploration: Exploration = {
  appUrl: "http://127.0.0.1:4000/",
  pages: [{ path: "/", title: "Groceries" }],
  interactions: [
    {
      path: "/",
      setup: [{ type: "fill", target: { by: "placeholder", name: "Add an item" }, value: "Buy milk" }],
      action: { type: "press", target: { by: "placeholder", name: "Add an item" }, value: "Enter" },
      effects: [
        { kind: "count", target: { by: "role", role: "listitem", name: "" }, count: 1 },
        { kind: "text-visible", value: "1 item left" },
      ],
    },
  ],
};

/** POST /v1/projects/{projectId}/generations with `body`, as the holder of `token`. */
const generate = (projectId: string, token: string, body: unknown) =>
  api(`/v1/projects/${projectId}/generations`, { method: "POST", token, json: body });

describe("generations", () => {
  it("plans the exploration, keeps the files in R2 and answers them by id", async () => {
    const t = await newTenant();
    const res = await generate(t.projectId, t.apiKey, { exploration, maxTests: 5 });
    expect(res.status).toBe(201);
    const job = (await res.json()) as Generation;
    expect(job).toMatchObject({ status: "succeeded", progress: 1, projectId: t.projectId });
    expect(job.figures).toEqual({ pages: 1, interactions: 1, tests: 1, assertions: 2 });
    expect(job.files.map((f) => f.path)).toEqual(["home.spec.ts", "playwright.config.ts"]);
    expect(job.files[0]!.content).toContain(
      'await page.getByPlaceholder("Add an item", { exact: true }).fill("Buy milk");',
    );
    const stored = await env.ARTIFACTS.get(`generations/${t.orgId}/${job.id}/home.spec.ts`);
    expect(await stored!.text()).toBe(job.files[0]!.content);

    const again = await api(`/v1/generations/${job.id}`, { token: t.apiKey });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(job);
  });

  it("answers another organisation's generation as not found", async () => {
    const [a, b] = [await newTenant("A"), await newTenant("B")];
    const res = await generate(a.projectId, a.apiKey, { exploration });
    const job = (await res.json()) as Generation;
    expect((await api(`/v1/generations/${job.id}`, { token: b.apiKey })).status).toBe(404);
    const cross = await generate(a.projectId, b.apiKey, { exploration });
    expect(cross.status).toBe(404);
  });

  it("plans arrival tests and control-state assertions, and refuses an unknown ARIA state", async () => {
    const t = await newTenant();
    const save = { by: "role", role: "button", name: "Save" } as const;
    const landing: Exploration = {
      ...exploration,
      pages: [
        {
          path: "/",
          title: "Settings",
          arrival: [
            { kind: "enabled", target: save, enabled: false },
            {
              kind: "attribute",
              target: { by: "role", role: "tab", name: "Profile" },
              attribute: "aria-selected",
              value: "true",
            },
          ],
        },
      ],
    };
    const res = await generate(t.projectId, t.apiKey, { exploration: landing });
    expect(res.status).toBe(201);
    const job = (await res.json()) as Generation;
    expect(job.figures).toMatchObject({ tests: 2, assertions: 4 });
    expect(job.files[0]!.content).toContain(
      'await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();',
    );
    const bad = structuredClone(landing) as { pages: { arrival: { attribute?: string }[] }[] };
    bad.pages[0]!.arrival[1]!.attribute = "aria-hidden";
    const refused = await generate(t.projectId, t.apiKey, { exploration: bad });
    expect(refused.status).toBe(400);
  });

  it("rejects a malformed exploration with 400 and field errors", async () => {
    const t = await newTenant();
    const bad = {
      ...exploration,
      interactions: [{ path: "/", setup: [], action: { type: "explode" }, effects: [] }],
    };
    const res = await generate(t.projectId, t.apiKey, { exploration: bad });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.length).toBeGreaterThan(0);
    const notUrl = await generate(t.projectId, t.apiKey, {
      exploration: { ...exploration, appUrl: "not a url" },
    });
    expect(notUrl.status).toBe(400);
  });
});

describe("listing generations", () => {
  it("pages a project's generations newest first, files named without contents", async () => {
    const t = await newTenant();
    const other = await api(`/v1/projects`, { method: "POST", token: t.apiKey, json: { name: "Other" } });
    const otherProject = ((await other.json()) as { id: string }).id;
    const created: Generation[] = [];
    for (const maxTests of [1, 2, 3]) {
      const res = await generate(t.projectId, t.apiKey, { exploration, maxTests });
      created.push((await res.json()) as Generation);
    }
    await generate(otherProject, t.apiKey, { exploration });

    type Summary = Omit<Generation, "files"> & { files: { path: string; tests: number }[] };
    const first = await api(`/v1/projects/${t.projectId}/generations?limit=2`, { token: t.apiKey });
    expect(first.status).toBe(200);
    const page1 = (await first.json()) as { items: Summary[]; nextCursor: string | null };
    expect(page1.items.map((g) => g.id)).toEqual([created[2]!.id, created[1]!.id]);
    expect(page1.nextCursor).toBe(created[1]!.id);
    expect(page1.items[0]).toMatchObject({ source: "exploration", sessionId: null, status: "succeeded" });
    expect(page1.items[0]!.files).toEqual([
      { path: "home.spec.ts", tests: 1 },
      { path: "playwright.config.ts", tests: 0 },
    ]);
    expect(page1.items[0]!.figures).toEqual(created[2]!.figures);

    const second = await api(`/v1/projects/${t.projectId}/generations?limit=2&cursor=${page1.nextCursor}`, {
      token: t.apiKey,
    });
    const page2 = (await second.json()) as { items: Summary[]; nextCursor: string | null };
    expect(page2.items.map((g) => g.id)).toEqual([created[0]!.id]);
    expect(page2.nextCursor).toBeNull();
  });

  it("answers another organisation's project as not found and a bad cursor as 400", async () => {
    const [a, b] = [await newTenant("A"), await newTenant("B")];
    expect((await api(`/v1/projects/${a.projectId}/generations`, { token: b.apiKey })).status).toBe(404);
    const bad = await api(`/v1/projects/${a.projectId}/generations?cursor=nope`, { token: a.apiKey });
    expect(bad.status).toBe(400);
  });
});
