// `shifty generate --openapi <url|file> --out <dir>`: reads an OpenAPI 3.0/3.1 document, plans the API
// tests locally (./openapi/, pure), writes the suite and verifies it
// with the same loop as the app generator (./verify.ts). No Shifty credentials are needed.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type CliCommand, countOption } from "./command-helpers.ts";
import { generateApiSuite, OpenApiError } from "./openapi/index.ts";
import { type VerifyResult, verifySuite } from "./verify.ts";

export type OpenApiSummary = {
  source: string;
  baseUrl: string;
  operations: number;
  planned: number;
  skipped: { operation: string; reason: string }[];
  verify: VerifyResult | null;
  files: string[];
  totalMs: number;
};

const FETCH_TIMEOUT_MS = 30_000;

/** The document's text, from an http(s) URL or a file relative to the working directory. */
export async function readDocument(source: string, cwd: string): Promise<string> {
  if (/^https?:\/\//i.test(source)) {
    let res: Response;
    try {
      res = await fetch(source, {
        headers: { accept: "application/json" },
        signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(`could not fetch ${source}: ${(error as Error).message}`);
    }
    if (!res.ok) throw new Error(`could not fetch ${source}: HTTP ${res.status}`);
    return res.text();
  }
  try {
    return readFileSync(resolve(cwd, source), "utf8");
  } catch (error) {
    throw new Error(
      `could not read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
}

export async function generateOpenApi(options: {
  source: string;
  out: string;
  maxTests: number;
  verify: number;
  env: Record<string, string | undefined>;
  cwd: string;
  log: (line: string) => void;
}): Promise<OpenApiSummary> {
  const started = Date.now();
  const text = await readDocument(options.source, options.cwd);
  let suite: ReturnType<typeof generateApiSuite>;
  try {
    suite = generateApiSuite(text, {
      maxTests: options.maxTests,
      source: /^https?:/i.test(options.source) ? options.source : undefined,
    });
  } catch (error) {
    if (error instanceof OpenApiError) throw new Error(`${options.source}: ${error.message}`);
    throw error;
  }
  for (const s of suite.skipped) options.log(`skipped ${s.operation}: ${s.reason}`);
  const out = resolve(options.cwd, options.out);
  mkdirSync(out, { recursive: true });
  for (const f of readdirSync(out)) if (f.endsWith(".spec.ts")) rmSync(join(out, f));
  for (const f of suite.files) writeFileSync(join(out, f.path), f.content);
  const planned = suite.figures.tests;
  options.log(
    `wrote ${planned} test(s) for ${suite.figures.operations - suite.figures.skipped} operation(s) to ${options.out}`,
  );
  let verify: VerifyResult | null = null;
  if (options.verify > 0 && planned > 0) {
    if (!options.env.API_TOKEN && suite.files.some((f) => f.content.includes("authHeaders(")))
      options.log("API_TOKEN is not set: tests of operations that need credentials will fail and be dropped");
    options.log(`verifying against ${options.env.BASE_URL ?? suite.baseUrl}`);
    verify = await verifySuite(out, options.verify, options.env, options.cwd, options.log);
  }
  return {
    source: options.source,
    baseUrl: suite.baseUrl,
    operations: suite.figures.operations,
    planned,
    skipped: suite.skipped,
    verify,
    files: readdirSync(out)
      .filter((f) => f.endsWith(".ts"))
      .sort(),
    totalMs: Date.now() - started,
  };
}

/** It plans locally, so it uses no API client from index.ts: only argument parsing and usage errors. */
export const generateOpenApiCommand: CliCommand = async (args, io, progress, h) => {
  const { values, positionals } = h.parse(
    args,
    {
      openapi: { type: "string" },
      out: { type: "string" },
      "max-tests": { type: "string" },
      verify: { type: "string" },
    },
    false,
  );
  if (positionals.length) throw h.usage("generate --openapi takes no app URL");
  if (typeof values.openapi !== "string" || !values.openapi)
    throw h.usage("--openapi needs a URL or a file of an OpenAPI 3 document");
  if (typeof values.out !== "string") throw h.usage("generate needs --out <dir>");
  const summary = await generateOpenApi({
    source: values.openapi,
    out: values.out,
    maxTests: countOption(values["max-tests"], "max-tests", 100, h) || 1,
    verify: countOption(values.verify, "verify", 3, h),
    env: io.env,
    cwd: io.cwd,
    log: progress,
  });
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  const v = summary.verify;
  io.stdout(
    [
      `generated ${v ? v.kept : summary.planned} API test(s) for ${summary.operations} operation(s), ${summary.skipped.length} skipped`,
      v ? `verify: ${v.runs} runs, ${v.failedRuns} failed; ${v.dropped} dropped` : "verify: skipped",
      ...summary.skipped.map((s) => `skipped ${s.operation}: ${s.reason}`),
      `files: ${summary.files.join(", ")}`,
      `time: ${(summary.totalMs / 1000).toFixed(1)} s`,
    ].join("\n") + "\n",
  );
  return 0;
};
