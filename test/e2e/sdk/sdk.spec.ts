// The SDK end to end, in real headless Chromium against the local Shifty that run.mjs started:
// the demo suite passes on v1 with the fixture (descriptors stored, no heal call), fails on v2 without
// it, passes on v2 with it by healing (annotations, heals recorded, run uploaded, gate answers), reuses
// accepted heals on the next run, `shifty heals --fix` turns the heals into a patch of the sources, and
// a suite that broke before any run described its elements heals from the locators alone.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { expect, test } from "@playwright/test";
import { call, newKeyedTenant, playwrightBin, root, run, shiftyBin, shiftyUrl } from "../cli-helpers.ts";

const appDir = join(root, "test", "e2e", "sdk", "demo", "app");
const demoConfig = join("test", "e2e", "sdk", "demo", "playwright.config.ts");

type Report = {
  stats: { expected: number; unexpected: number; skipped: number };
  suites: {
    specs: {
      title: string;
      tests: { results: { annotations?: { type: string; description?: string }[] }[] }[];
    }[];
  }[];
};
type Heal = {
  id: string;
  status: string;
  originalSelector: string;
  healedSelector: string;
  location: string;
  confidence: number;
};

test.describe.configure({ mode: "serial" });

let server: Server;
let demoBase = "";
let work = "";
let tenant: { apiKey: string; projectId: string; token: string };

function serveDemo(): Promise<{ server: Server; base: string }> {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".js": "text/javascript" };
  const s = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (path.includes("..")) {
      res.writeHead(400).end();
      return;
    }
    try {
      const body = await readFile(join(appDir, path.endsWith("/") ? `${path}index.html` : path));
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) =>
    s.listen(0, "127.0.0.1", () => {
      const address = s.address() as { port: number };
      resolve({ server: s, base: `http://127.0.0.1:${address.port}` });
    }),
  );
}

function shiftyEnv(extra: Record<string, string> = {}) {
  return {
    SHIFTY_URL: shiftyUrl,
    SHIFTY_API_KEY: tenant.apiKey,
    SHIFTY_PROJECT_ID: tenant.projectId,
    SHIFTY_CACHE_DIR: join(work, ".shifty"),
    ...extra,
  };
}

async function runDemo(version: "v1" | "v2", env: Record<string, string>, name: string, args: string[] = []) {
  const report = join(work, `${name}.json`);
  const result = await run(playwrightBin, ["test", "-c", demoConfig, ...args], {
    ...shiftyEnv(),
    DEMO_URL: `${demoBase}/${version}/`,
    DEMO_REPORT: report,
    DEMO_OUTPUT: join(work, `${name}-results`),
    ...env,
  });
  const json = existsSync(report) ? (JSON.parse(readFileSync(report, "utf8")) as Report) : null;
  return { ...result, report: json };
}

function healAnnotations(report: Report | null): string[] {
  const out: string[] = [];
  for (const suite of report?.suites ?? []) {
    for (const spec of suite.specs) {
      for (const t of spec.tests) {
        for (const r of t.results) {
          for (const a of r.annotations ?? [])
            if (a.type === "shifty-heal") out.push(`${spec.title}: ${a.description}`);
        }
      }
    }
  }
  return out;
}

async function attempts(): Promise<number> {
  const page = await call<{ items: unknown[] }>(
    "GET",
    `/v1/heal/attempts?projectId=${tenant.projectId}&limit=100`,
    tenant.apiKey,
  );
  return page.items.length;
}

test.beforeAll(async () => {
  ({ server, base: demoBase } = await serveDemo());
  work = mkdtempSync(join(tmpdir(), "shifty-sdk-e2e-"));
  tenant = await newKeyedTenant("SDK E2E", "sdk");
  // Heals at or above the fixture's own threshold are accepted at once, so the next run reuses them.
  await call("PUT", `/v1/projects/${tenant.projectId}/heal-settings`, tenant.apiKey, {
    autoAcceptThreshold: 0.85,
  });
});

test.afterAll(async () => {
  server?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test("v1 with the fixture passes, stores descriptors and makes no heal call", async () => {
  const v1 = await runDemo("v1", { SHIFTY_UPLOAD: "0" }, "v1");
  expect(v1.code, v1.stdout + v1.stderr).toBe(0);
  expect(v1.report?.stats).toMatchObject({ expected: 5, unexpected: 0 });
  expect(healAnnotations(v1.report)).toEqual([]);
  const stored = JSON.parse(readFileSync(join(work, ".shifty", "descriptors.json"), "utf8")) as {
    descriptors: Record<string, { descriptor: { tag: string } }>;
  };
  expect(Object.keys(stored.descriptors)).toEqual(
    expect.arrayContaining([
      "locator('#login-btn')",
      "getByText('Add to cart')",
      "getByTestId('newsletter-checkbox')",
    ]),
  );
  expect(stored.descriptors["locator('#login-btn')"]?.descriptor.tag).toBe("button");
  expect(await attempts()).toBe(0);
});

test("v2 without the fixture fails", async () => {
  // Five broken locators each wait out the action timeout before failing; the demo app renders at
  // once, so 1 s (not the suite's 5 s) is enough to call them broken.
  test.setTimeout(150_000);
  const v2 = await runDemo(
    "v2",
    { SHIFTY_FIXTURE: "off", SHIFTY_UPLOAD: "0", DEMO_ACTION_TIMEOUT_MS: "1000" },
    "v2-plain",
  );
  expect(v2.code).not.toBe(0);
  expect(v2.report?.stats.unexpected).toBe(5);
  expect(await attempts()).toBe(0);
});

test("v2 with the fixture passes by healing; the run is uploaded and the gate answers", async () => {
  const v2 = await runDemo("v2", {}, "v2-healed");
  expect(v2.code, v2.stdout + v2.stderr).toBe(0);
  expect(v2.report?.stats).toMatchObject({ expected: 5, unexpected: 0 });
  const annotations = healAnnotations(v2.report);
  expect(annotations.length).toBeGreaterThanOrEqual(5);
  expect(annotations.join("\n")).toContain("locator('#login-btn') → ");
  for (const a of annotations) expect(a).toMatch(/ → .+ \(confidence (0\.8[5-9]|0\.9\d|1\.00)/);
  expect(await attempts()).toBeGreaterThanOrEqual(5);

  const report = JSON.parse(readFileSync(join(work, ".shifty", "heal-report.json"), "utf8")) as {
    run: { id: string } | null;
    heals: Heal[];
  };
  expect(report.run?.id).toMatch(/^run_/);
  expect(report.heals.length).toBe(annotations.length);
  const gate = await call<{ status: string; reasons: unknown[] }>(
    "GET",
    `/v1/runs/${report.run!.id}/gate`,
    tenant.apiKey,
  );
  expect(["pass", "warn", "fail"]).toContain(gate.status);
  const uploaded = await call<{ healed: number; passed: number }>(
    "GET",
    `/v1/runs/${report.run!.id}`,
    tenant.apiKey,
  );
  expect(uploaded).toMatchObject({ passed: 5, healed: 5 });

  const gateCli = await run(shiftyBin, ["gate", "--run", report.run!.id], shiftyEnv());
  expect(gateCli.stdout).toContain(`gate ${gate.status.toUpperCase()}`);
  expect(gateCli.code).toBe(gate.status === "fail" ? 1 : 0);
});

test("the next run reuses the accepted heals without asking /v1/heal again", async () => {
  const before = await attempts();
  const again = await runDemo("v2", { SHIFTY_UPLOAD: "0" }, "v2-reused");
  expect(again.code, again.stdout + again.stderr).toBe(0);
  const annotations = healAnnotations(again.report);
  expect(annotations.length).toBeGreaterThanOrEqual(5);
  for (const a of annotations) expect(a).toContain("reused");
  expect(await attempts()).toBe(before);
});

test("`shifty heals` lists the heals and `--fix` writes a patch that changes the selectors", async () => {
  const listed = await run(shiftyBin, ["heals", "--status", "all", "--json"], shiftyEnv());
  expect(listed.code, listed.stderr).toBe(0);
  const heals = JSON.parse(listed.stdout) as Heal[];
  expect(heals.map((h) => h.originalSelector)).toEqual(
    expect.arrayContaining(["locator('#email')", "getByText('Add to cart')", "locator('a.help-link')"]),
  );
  for (const h of heals) expect(h.location).toMatch(/^test\/e2e\/sdk\/demo\/shop\.demo\.ts:\d+:\d+$/);

  const patchFile = join(work, "heals.patch");
  const fixed = await run(shiftyBin, ["heals", "--fix", "--patch", patchFile], shiftyEnv());
  expect(fixed.code, fixed.stderr).toBe(0);
  const patch = readFileSync(patchFile, "utf8");
  expect(patch).toContain("--- a/test/e2e/sdk/demo/shop.demo.ts");
  expect(patch).toMatch(/^-.*page\.locator\("#login-btn"\)\.click\(\);$/m);
  expect(patch).toMatch(/^-.*page\.getByText\("Add to cart"\)\.click\(\);$/m);
  expect(patch).not.toMatch(/^\+.*#login-btn/m);
  expect(patch).not.toMatch(/^\+.*Add to cart/m);
  // Assertions are untouched: no removed line is an expect().
  expect(patch).not.toMatch(/^-.*expect\(/m);
  // The sources themselves are untouched without --apply.
  expect(readFileSync(join(root, "test", "e2e", "sdk", "demo", "shop.demo.ts"), "utf8")).toContain(
    '"#login-btn"',
  );
});

test("a failed test's trace and screenshot are uploaded with the run and download by their signed URLs", async () => {
  // One broken locator without the fixture: it fails after the action timeout, recorded with trace: 'on'.
  test.setTimeout(180_000);
  const failed = await runDemo(
    "v2",
    { SHIFTY_FIXTURE: "off", DEMO_REPORTER: "on", DEMO_TRACE: "on", DEMO_SCREENSHOT: "only-on-failure" },
    "v2-artifacts",
    ["-g", "adds to the cart"],
  );
  expect(failed.code).not.toBe(0);
  expect(failed.report?.stats).toMatchObject({ expected: 0, unexpected: 1 });
  expect(failed.stderr).toMatch(/\[shifty\] artifacts: 2 uploaded/);
  const report = JSON.parse(readFileSync(join(work, ".shifty", "heal-report.json"), "utf8")) as {
    run: { id: string } | null;
  };
  const runId = report.run!.id;
  const results = await call<{ items: { id: string; name: string }[] }>(
    "GET",
    `/v1/runs/${runId}/results?status=failed`,
    tenant.apiKey,
  );
  expect(results.items.map((r) => r.name)).toEqual(["adds to the cart (text locator)"]);
  const artifacts = await call<{
    items: { resultId: string; kind: string; name: string; contentType: string; size: number; url: string }[];
  }>("GET", `/v1/runs/${runId}/artifacts`, tenant.apiKey);
  expect(artifacts.items.map((a) => a.kind).sort()).toEqual(["screenshot", "trace"]);
  for (const artifact of artifacts.items) {
    expect(artifact.resultId).toBe(results.items[0]!.id);
    // The signed URL is the credential: no Authorization header.
    const res = await fetch(artifact.url);
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(bytes.byteLength).toBe(artifact.size);
    const magic = artifact.kind === "trace" ? [0x50, 0x4b] : [0x89, 0x50];
    expect([...bytes.slice(0, 2)]).toEqual(magic);
  }
  expect(artifacts.items.find((a) => a.kind === "trace")?.name).toBe("trace.zip");
});

test("a locator no run has described yet heals from the locator alone (cold start), or fails saying so", async () => {
  // A project whose suite broke before it ever ran with the fixture: no descriptors, no accepted heals.
  test.setTimeout(150_000);
  const fresh = await newKeyedTenant("SDK Cold Start", "sdk-cold");
  const cold = await runDemo(
    "v2",
    {
      SHIFTY_API_KEY: fresh.apiKey,
      SHIFTY_PROJECT_ID: fresh.projectId,
      SHIFTY_CACHE_DIR: join(work, ".shifty-cold"),
      SHIFTY_UPLOAD: "0",
      DEMO_ACTION_TIMEOUT_MS: "1000",
    },
    "v2-cold",
  );
  const annotations = healAnnotations(cold.report);
  // The reworded button is named by the locator's own text; a heal is only as sure as that evidence.
  expect(annotations.join("\n")).toMatch(
    /adds to the cart.*getByText\('Add to cart'\) → .+ \(confidence 0\.(8[5-9]|9\d)/,
  );
  // Every healed test passed (no wrong element was acted on); the others failed, saying why.
  expect(cold.report?.stats).toMatchObject({
    expected: annotations.length,
    unexpected: 5 - annotations.length,
  });
  if (annotations.length < 5)
    expect(cold.stdout).toContain("cold start: no stored descriptor for this locator");
});
