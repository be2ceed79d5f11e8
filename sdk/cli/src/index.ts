import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  ciMetadataFromEnv,
  type HealedLocator,
  type HealStatus,
  type Provider,
  type RunMetadata,
  ShiftyApiError,
  ShiftyClient,
  ShiftyError,
  ShiftyNetworkError,
  ShiftyTimeoutError,
} from "@shifty/sdk";
import type { CliHelpers } from "./command-helpers.ts";
import { type Edit, type EditOutcome, rewriteSource, unifiedDiff } from "./fix.ts";
import { generateCommand } from "./generate-command.ts";
import { GitHubClient } from "./github.ts";
import { knownSecrets, maskSecrets, terminalConfirm } from "./guard.ts";
import { recordCommand } from "./record-command.ts";

export { locatorExpression, rewriteSource, unifiedDiff } from "./fix.ts";
export { GitHubClient, GitHubError } from "./github.ts";
export { maskSecrets } from "./guard.ts";

const USAGE = `Usage: shifty <command> [options]

Commands:
  upload <junit.xml|report.json>   Upload a JUnit XML or Playwright JSON report; prints the run id
  gate --run <runId>               Print the quality gate; exit 0 pass/warn, 1 fail
  heals [--status pending]         List healed locators (default: pending and accepted)
        [--fix [--apply] [--patch <file>] [--pr [--base <branch>]] [--yes]]
                                   Rewrite healed locators in the test sources as a patch,
                                   apply it, or open a pull request (GITHUB_TOKEN, GITHUB_REPOSITORY);
                                   --apply and --pr ask first, or need --yes without a terminal
  generate <app-url> --out <dir>   Explore the app in Chromium and write a verified Playwright suite
        [--max-pages N] [--max-tests N] [--verify N] [--browser <path>]
  generate --openapi <url|file> --out <dir>
        [--max-tests N] [--verify N]
                                   Write a verified Playwright API suite from an OpenAPI 3 document
                                   (JSON); runs against BASE_URL with API_TOKEN, no Shifty key needed
  generate --session <sessionId> --out <dir>
                                   Write a Playwright spec from a manual session's recorded steps
  record <app-url> --session <sessionId>
        [--browser <path>] [--headless --script <file.mjs>] [--screenshot-key F9]
                                   Open the app in Chromium and stream every click, fill, key
                                   press and navigation into the session's live room

Options (or environment):
  --url <url>           SHIFTY_URL
  --api-key <key>       SHIFTY_API_KEY
  --project <id>        SHIFTY_PROJECT_ID
  --json                machine-readable output on stdout
  --yes, -y             confirm commands that write files or push (no prompt)
  upload: --commit --branch --base-branch --pr --provider --run-url --build-id
          (defaults from GitHub Actions' environment or SHIFTY_COMMIT, SHIFTY_BRANCH, …)

Exit codes: 0 ok (gate pass or warn), 1 failure (gate fail, API error), 2 usage or configuration error.`;

/** A usage or configuration problem (exit 2). */
class UsageError extends Error {}

export type CliIo = {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  cwd: string;
  fetch?: typeof fetch;
  /** Asks a yes/no question; absent when there is no terminal (then `--yes` is required). */
  confirm?: (question: string) => Promise<boolean>;
};

const defaultIo = (): CliIo => ({
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  confirm: terminalConfirm(),
});

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: string[], rawIo: CliIo = defaultIo()): Promise<number> {
  // Everything printed passes the mask: API keys and tokens never reach a terminal or a CI log.
  const secrets = knownSecrets(rawIo.env);
  const io: CliIo = {
    ...rawIo,
    stdout: (text) => rawIo.stdout(maskSecrets(text, secrets)),
    stderr: (text) => rawIo.stderr(maskSecrets(text, secrets)),
  };
  const [command, ...rest] = argv;
  const progress = (line: string) => io.stderr(`shifty: ${line}\n`);
  try {
    switch (command) {
      case "upload":
        return await upload(rest, io, progress);
      case "gate":
        return await gate(rest, io, progress);
      case "heals":
        return await heals(rest, io, progress);
      case "generate":
        return await generateCommand(rest, io, progress, COMMAND_HELPERS);
      case "record":
        return await recordCommand(rest, io, progress, COMMAND_HELPERS);
      case undefined:
      case "help":
      case "--help":
      case "-h":
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`shifty: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`shifty: ${explain(error, io.env)}\n`);
    return error instanceof ShiftyError && !(error instanceof ShiftyApiError) ? 2 : 1;
  }
}

/** Turns API failures into what to do about them. */
function explain(error: unknown, env: Record<string, string | undefined>): string {
  if (error instanceof ShiftyApiError) {
    const id = error.requestId ? ` (request id ${error.requestId})` : "";
    switch (error.status) {
      case 401:
        return `the API key was refused: check SHIFTY_API_KEY${id}`;
      case 403:
        return `not allowed: ${error.detail}. Use an API key with that permission${id}`;
      case 404:
        return `${error.detail}: check SHIFTY_PROJECT_ID / the id you passed, and that the key belongs to that organisation${id}`;
      case 413:
        return `${error.detail}: the report is too large${id}`;
      case 429:
        return `rate limited, still after retries: ${error.detail}${id}`;
      default:
        return `${error.message}${id}`;
    }
  }
  if (error instanceof ShiftyNetworkError) {
    return `${error.message}. Is SHIFTY_URL (${env.SHIFTY_URL ?? "unset"}) right and the server running?`;
  }
  if (error instanceof ShiftyTimeoutError) return `${error.message}; try again, or check the server`;
  return error instanceof Error ? error.message : String(error);
}

const common = {
  url: { type: "string" },
  "api-key": { type: "string" },
  project: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

function parse<T extends Record<string, { type: "string" | "boolean"; short?: string }>>(
  args: string[],
  options: T,
  allowPositionals: boolean,
) {
  try {
    return parseArgs({ args, options: { ...common, ...options }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function clientFrom(
  values: { url?: string | boolean; "api-key"?: string | boolean },
  io: CliIo,
  progress: (line: string) => void,
): ShiftyClient {
  const url = (values.url as string | undefined) ?? io.env.SHIFTY_URL;
  const apiKey = (values["api-key"] as string | undefined) ?? io.env.SHIFTY_API_KEY;
  const missing = [!url && "SHIFTY_URL (or --url)", !apiKey && "SHIFTY_API_KEY (or --api-key)"].filter(
    Boolean,
  );
  if (missing.length) throw new UsageError(`missing ${missing.join(" and ")}`);
  try {
    return new ShiftyClient({
      baseUrl: url!,
      apiKey: apiKey!,
      fetch: io.fetch,
      onRetry: (r) => progress(`${r.reason}; retry ${r.attempt} in ${(r.delayMs / 1000).toFixed(1)} s`),
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function projectFrom(values: { project?: string | boolean }, io: CliIo): string {
  const project = (values.project as string | undefined) ?? io.env.SHIFTY_PROJECT_ID;
  if (!project) throw new UsageError("missing SHIFTY_PROJECT_ID (or --project)");
  return project;
}

/** What the `generate` and `record` sub-commands borrow from here (./command-helpers.ts). */
const COMMAND_HELPERS: CliHelpers = { parse, clientFrom, projectFrom, usage: (m) => new UsageError(m) };

/** JUnit XML or Playwright JSON, by content (not by file name). */
export function detectFormat(content: string): "junit" | "playwright" | null {
  const head = content.replace(/^\uFEFF/, "").trimStart();
  if (head.startsWith("<"))
    return /<(testsuites|testsuite)[\s>]/.test(head.slice(0, 10_000)) ? "junit" : null;
  if (head.startsWith("{")) {
    try {
      const doc = JSON.parse(head) as { suites?: unknown };
      return Array.isArray(doc.suites) ? "playwright" : null;
    } catch {
      return null;
    }
  }
  return null;
}

async function upload(args: string[], io: CliIo, progress: (line: string) => void): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      commit: { type: "string" },
      branch: { type: "string" },
      "base-branch": { type: "string" },
      pr: { type: "string" },
      provider: { type: "string" },
      "run-url": { type: "string" },
      "build-id": { type: "string" },
    },
    true,
  );
  if (positionals.length !== 1) throw new UsageError("upload takes exactly one report file");
  const file = resolve(io.cwd, positionals[0]!);
  if (!existsSync(file)) throw new UsageError(`no such file: ${positionals[0]}`);
  const content = readFileSync(file, "utf8");
  const format = detectFormat(content);
  if (!format) {
    throw new UsageError(
      `${positionals[0]} is neither JUnit XML (<testsuites>/<testsuite>) nor a Playwright JSON report`,
    );
  }
  const client = clientFrom(values, io, progress);
  const projectId = projectFrom(values, io);
  const meta: RunMetadata = ciMetadataFromEnv(io.env);
  if (values.commit) meta.commit = values.commit as string;
  if (values.branch) meta.branch = values.branch as string;
  if (values["base-branch"]) meta.baseBranch = values["base-branch"] as string;
  if (values.pr) {
    if (!/^\d+$/.test(values.pr as string)) throw new UsageError("--pr must be a pull request number");
    meta.pr = Number(values.pr);
  }
  if (values.provider) meta.provider = values.provider as Provider;
  if (values["run-url"]) meta.runUrl = values["run-url"] as string;
  if (values["build-id"]) meta.buildId = values["build-id"] as string;
  progress(
    `uploading ${positionals[0]} (${format}, ${(content.length / 1024).toFixed(1)} KiB) to project ${projectId}`,
  );
  const run = await client.uploadRun(projectId, content, { format, ...meta });
  progress(
    `run ${run.id}: ${run.total} tests, ${run.passed} passed, ${run.failed} failed, ${run.flaky} flaky, ${run.healed} healed; gate ${run.gate.status}`,
  );
  io.stdout(values.json ? `${JSON.stringify(run)}\n` : `${run.id}\n`);
  return 0;
}

async function gate(args: string[], io: CliIo, progress: (line: string) => void): Promise<number> {
  const { values } = parse(args, { run: { type: "string" } }, false);
  const runId = values.run as string | undefined;
  if (!runId) throw new UsageError("gate needs --run <runId> (the id `shifty upload` printed)");
  const client = clientFrom(values, io, progress);
  const result = await client.getGate(runId);
  if (values.json) io.stdout(`${JSON.stringify(result)}\n`);
  else {
    io.stdout(`gate ${result.status.toUpperCase()} for ${runId}\n`);
    for (const r of result.reasons) io.stdout(`  ${r.status.padEnd(4)} ${r.rule}: ${r.message}\n`);
  }
  return result.status === "fail" ? 1 : 0;
}

async function heals(args: string[], io: CliIo, progress: (line: string) => void): Promise<number> {
  const { values } = parse(
    args,
    {
      status: { type: "string" },
      fix: { type: "boolean" },
      apply: { type: "boolean" },
      patch: { type: "string" },
      pr: { type: "boolean" },
      base: { type: "string" },
      root: { type: "string" },
      yes: { type: "boolean", short: "y" },
    },
    false,
  );
  const status = values.status as string | undefined;
  if (status && !["pending", "accepted", "rejected", "all"].includes(status)) {
    throw new UsageError("--status is pending, accepted, rejected or all");
  }
  if ((values.apply || values.pr || values.patch) && !values.fix)
    throw new UsageError("--apply, --patch and --pr go with --fix");
  const client = clientFrom(values, io, progress);
  const projectId = projectFrom(values, io);
  const wanted: (HealStatus | undefined)[] =
    status === "all" ? [undefined] : status ? [status as HealStatus] : ["pending", "accepted"];
  const found: HealedLocator[] = [];
  for (const s of wanted) found.push(...(await client.allHeals(projectId, s)));
  progress(
    `${found.length} healed locator(s)${status ? ` with status ${status}` : ""} in project ${projectId}`,
  );

  if (!values.fix) {
    if (values.json) io.stdout(`${JSON.stringify(found)}\n`);
    else {
      for (const h of found) {
        io.stdout(
          `${h.id}  ${h.status.padEnd(8)} ${h.confidence.toFixed(2)}  ${h.originalSelector} → ${h.healedLocator ?? h.healedSelector}\n    ${h.location}  ${h.testTitle}${h.occurrences > 1 ? `  (×${h.occurrences})` : ""}\n`,
        );
      }
    }
    return 0;
  }

  const root = resolve(io.cwd, (values.root as string | undefined) ?? ".");
  const { patch, files, outcomes } = buildFix(root, found);
  for (const o of outcomes) {
    const where = `${o.file}:${o.outcome.edit.line}:${o.outcome.edit.column}`;
    if (o.outcome.applied) progress(`${where}  ${o.outcome.before} → ${o.outcome.after}`);
    else progress(`${where}  skipped: ${o.outcome.reason}`);
  }
  if (!patch) {
    progress("nothing to rewrite");
    return 0;
  }
  const patchPath = resolve(io.cwd, (values.patch as string | undefined) ?? ".shifty/heals.patch");
  mkdirSync(dirname(patchPath), { recursive: true });
  writeFileSync(patchPath, patch);
  progress(
    `patch written to ${relative(io.cwd, patchPath) || patchPath} (${files.length} file(s)); review it, then git apply`,
  );
  if (values.json) io.stdout(`${JSON.stringify({ patch: patchPath, files: files.map((f) => f.path) })}\n`);
  else io.stdout(patch);
  const acts = [
    values.apply && `rewrite ${files.length} file(s) under ${root}`,
    values.pr && "push a branch and open a pull request",
  ];
  await confirmOrRefuse(
    acts.filter((a): a is string => typeof a === "string"),
    values.yes === true,
    io,
  );
  if (values.apply) {
    for (const f of files) writeFileSync(resolve(root, f.path), f.content);
    progress(`applied to ${files.length} file(s)`);
  }
  if (values.pr) {
    const token = io.env.GITHUB_TOKEN;
    const repository = io.env.GITHUB_REPOSITORY;
    if (!token || !repository)
      throw new UsageError("--pr needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name)");
    const github = new GitHubClient({ token, repository, apiUrl: io.env.GITHUB_API_URL, fetch: io.fetch });
    const branch = `shifty/heals-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
    progress(`opening a pull request on ${repository} from ${branch}`);
    const applied = outcomes.filter((o) => o.outcome.applied);
    const pr = await github.openPullRequest({
      base: (values.base as string | undefined) ?? io.env.GITHUB_BASE_REF ?? undefined,
      branch,
      title: `Shifty: update ${applied.length} healed locator(s)`,
      message: `test: update ${applied.length} healed locator(s)\n\nRewritten by shifty heals --fix from heals recorded in project ${projectId}.`,
      body: [
        "Locators that Shifty healed during test runs, written back into the tests.",
        "",
        "| location | before | after |",
        "|---|---|---|",
        ...applied.map(
          (o) =>
            `| \`${o.file}:${o.outcome.edit.line}\` | \`${o.outcome.before}\` | \`${o.outcome.after}\` |`,
        ),
      ].join("\n"),
      files,
    });
    progress(`pull request #${pr.number}: ${pr.url}`);
  }
  return 0;
}

/** Destructive steps go ahead with `--yes`, or after a "y" on the terminal; otherwise exit 2. */
async function confirmOrRefuse(acts: string[], yes: boolean, io: CliIo) {
  if (acts.length === 0 || yes) return;
  const question = `shifty: this will ${acts.join(" and ")}. Continue?`;
  if (!io.confirm) throw new UsageError(`${acts.join(" and ")}: pass --yes to confirm (no terminal to ask)`);
  if (!(await io.confirm(question))) throw new UsageError("not confirmed; nothing was written");
}

/**
 * Whether `path` lies inside `root`, lexically and after following symlinks (a link inside the
 * repository pointing outside it is refused too).
 */
export function insideRoot(root: string, path: string): boolean {
  const within = (base: string, p: string) => {
    const rel = relative(base, p);
    return rel !== "" && !rel.startsWith("..") && !isAbsolute(rel);
  };
  if (!within(root, path)) return false;
  if (!existsSync(path)) return true;
  return within(realpathSync(root), realpathSync(path));
}

/** Groups heals by file, rewrites each file once, and returns the patch and new contents. */
export function buildFix(root: string, found: HealedLocator[]) {
  const byFile = new Map<string, Edit[]>();
  const outcomes: { file: string; outcome: EditOutcome }[] = [];
  for (const h of found) {
    if (h.status === "rejected") continue;
    const match = /^(.*):(\d+):(\d+)$/.exec(h.location);
    if (!match) continue;
    const file = match[1]!;
    const edits = byFile.get(file) ?? [];
    // One rewrite per call site: the most confident heal wins.
    const line = Number(match[2]);
    const column = Number(match[3]);
    const same = edits.findIndex((e) => e.line === line && e.column === column);
    const edit = { line, column, healedSelector: h.healedSelector, originalSelector: h.originalSelector };
    if (same === -1) edits.push(edit);
    byFile.set(file, edits);
  }
  let patch = "";
  const files: { path: string; content: string }[] = [];
  for (const [file, edits] of byFile) {
    const path = resolve(root, file);
    if (!insideRoot(root, path)) {
      // The location comes from the server: never read or write outside the repository because of it.
      for (const edit of edits)
        outcomes.push({
          file,
          outcome: { edit, applied: false, reason: "outside the repository root; refused" },
        });
      continue;
    }
    if (!existsSync(path)) {
      for (const edit of edits)
        outcomes.push({
          file,
          outcome: {
            edit,
            applied: false,
            reason: "file not found (run from the repository root or pass --root)",
          },
        });
      continue;
    }
    const before = readFileSync(path, "utf8");
    const result = rewriteSource(before, edits);
    for (const outcome of result.outcomes) outcomes.push({ file, outcome });
    const rel = relative(root, path).split("\\").join("/");
    const diff = unifiedDiff(rel, before, result.source);
    if (diff) {
      patch += diff;
      files.push({ path: rel, content: result.source });
    }
  }
  return { patch, files, outcomes };
}
