// `shifty generate <app-url> --out <dir>`: explore the app in Chromium, have the API plan the tests,
// write the specs and config, verify them --verify times and keep only the stable ones.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Exploration, GeneratedFile, ShiftyClient } from "@shifty/sdk";
import { explore, launch } from "./explore.ts";
import { type VerifyResult, verifySuite } from "./verify.ts";

export type GenerateOptions = {
  appUrl: string;
  out: string;
  maxPages: number;
  maxTests: number;
  verify: number;
  browserPath?: string;
  env: Record<string, string | undefined>;
  cwd: string;
  log: (line: string) => void;
  /** Exploration → files. The CLI asks the API; the bench may plan in-process. */
  plan: (exploration: Exploration, maxTests: number) => Promise<GeneratedFile[]>;
};

export type GenerateSummary = {
  pages: number;
  interactions: number;
  planned: number;
  verify: VerifyResult | null;
  files: string[];
  exploreMs: number;
  totalMs: number;
};

export async function generate(options: GenerateOptions): Promise<GenerateSummary> {
  const started = Date.now();
  const browser = await launch(options.browserPath);
  let exploration: Exploration;
  try {
    exploration = await explore(browser, {
      appUrl: options.appUrl,
      maxPages: options.maxPages,
      browserPath: options.browserPath,
      log: options.log,
    });
  } finally {
    await browser.close();
  }
  const exploreMs = Date.now() - started;
  options.log(
    `explored ${exploration.pages.length} page(s), ${exploration.interactions.length} interaction(s) with effects`,
  );
  const files = await options.plan(exploration, options.maxTests);
  const out = writeSuite(options.cwd, options.out, files);
  const planned = files.reduce((n, f) => n + f.tests, 0);
  options.log(`wrote ${planned} test(s) in ${files.length - 1} spec file(s) to ${options.out}`);
  let verify: VerifyResult | null = null;
  if (options.verify > 0 && planned > 0) {
    const env = {
      ...options.env,
      ...(options.browserPath ? { CHROMIUM_PATH: options.browserPath } : {}),
      BASE_URL: options.env.BASE_URL ?? undefined,
    };
    verify = await verifySuite(out, options.verify, env, options.cwd, options.log);
  }
  return {
    pages: exploration.pages.length,
    interactions: exploration.interactions.length,
    planned,
    verify,
    files: readdirSync(out)
      .filter((f) => f.endsWith(".ts"))
      .sort(),
    exploreMs,
    totalMs: Date.now() - started,
  };
}

/** Replaces the specs in `out` with the generated files; returns the absolute directory. */
export function writeSuite(cwd: string, dir: string, files: GeneratedFile[]): string {
  const out = resolve(cwd, dir);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith(".spec.ts")) rmSync(join(out, f));
  for (const f of files) writeFileSync(join(out, f.path), f.content);
  return out;
}

/** Plans through the API: POST the exploration, poll the job until it has finished. */
export function apiPlanner(client: ShiftyClient, projectId: string, log: (line: string) => void) {
  return async (exploration: Exploration, maxTests: number): Promise<GeneratedFile[]> => {
    let job = await client.createGeneration(projectId, exploration, maxTests);
    log(`generation ${job.id}: ${job.status}`);
    const deadline = Date.now() + 120_000;
    while (job.status === "queued" || job.status === "planning") {
      if (Date.now() > deadline) throw new Error(`generation ${job.id} did not finish within 120 s`);
      await new Promise((r) => setTimeout(r, 500));
      job = await client.getGeneration(job.id);
    }
    if (job.status === "failed")
      throw new Error(`generation ${job.id} failed: ${job.error ?? "unknown error"}`);
    return job.files;
  };
}
