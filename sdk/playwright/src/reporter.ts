import { relative, resolve } from "node:path";
import type {
  FullConfig,
  FullResult,
  Reporter,
  Suite,
  TestCase,
  TestResult,
} from "@playwright/test/reporter";
import { ciMetadataFromEnv, type Gate, type Run, ShiftyClient } from "@shifty/sdk";
import { artifactsOf, uploadArtifacts } from "./artifacts.ts";
import { writeJsonAtomic } from "./cache.ts";
import type { HealEvent } from "./heal.ts";

export type ShiftyReporterOptions = {
  url?: string;
  apiKey?: string;
  projectId?: string;
  /** Upload the run (default true when URL, key and project are configured; SHIFTY_UPLOAD=0 turns it off). */
  upload?: boolean;
  /** The `.shifty/` folder for heal-report.json. Default `<cwd>/.shifty` (SHIFTY_CACHE_DIR). */
  outputDir?: string;
  /** Also write the Playwright JSON it uploads here. */
  reportFile?: string;
  /**
   * After the run, upload failed and flaky tests' traces, screenshots and videos (default true;
   * SHIFTY_ARTIFACTS=0 turns it off). Playwright must record them: `trace`, `screenshot`, `video`.
   */
  artifacts?: boolean;
};

type HealRow = HealEvent & { test: string; file: string };

/**
 * Uploads the run at the end (a Playwright JSON report it builds itself) with git metadata from the
 * environment, prints the quality gate, uploads failed tests' traces, screenshots and videos, and writes
 * `.shifty/heal-report.json` plus a short table.
 *
 * @example
 * // playwright.config.ts
 * reporter: [["list"], ["@shifty/playwright/reporter"]]
 */
export default class ShiftyReporter implements Reporter {
  private readonly options: ShiftyReporterOptions;
  private config!: FullConfig;
  private suite!: Suite;
  private readonly started = Date.now();
  /** The uploaded run and its gate, once onEnd has run (for tests and wrappers). */
  run: Run | null = null;
  gate: Gate | null = null;

  constructor(options: ShiftyReporterOptions = {}) {
    this.options = options;
  }

  printsToStdio() {
    return false;
  }

  onBegin(config: FullConfig, suite: Suite) {
    this.config = config;
    this.suite = suite;
  }

  async onEnd(result: FullResult) {
    const outputDir =
      this.options.outputDir ?? process.env.SHIFTY_CACHE_DIR ?? resolve(process.cwd(), ".shifty");
    const report = this.buildReport(result);
    if (this.options.reportFile) writeJsonAtomic(this.options.reportFile, report);
    const heals = this.collectHeals();

    const url = this.options.url ?? process.env.SHIFTY_URL;
    const apiKey = this.options.apiKey ?? process.env.SHIFTY_API_KEY;
    const projectId = this.options.projectId ?? process.env.SHIFTY_PROJECT_ID;
    const wanted = (this.options.upload ?? process.env.SHIFTY_UPLOAD !== "0") && report.suites.length > 0;
    if (wanted && url && apiKey && projectId) {
      const client = new ShiftyClient({
        baseUrl: url,
        apiKey,
        onRetry: (r) => log(`retrying upload in ${Math.round(r.delayMs)} ms (${r.reason})`),
      });
      try {
        this.run = await client.uploadRun(projectId, JSON.stringify(report), {
          format: "playwright",
          ...ciMetadataFromEnv(),
        });
        this.gate = await client.getGate(this.run.id);
        log(
          `run ${this.run.id} uploaded: ${this.run.passed} passed, ${this.run.failed} failed, ${this.run.healed} healed`,
        );
        log(`gate: ${this.gate.status.toUpperCase()}`);
        for (const reason of this.gate.reasons)
          log(`  ${reason.status.padEnd(4)} ${reason.rule}: ${reason.message}`);
      } catch (error) {
        log(`upload failed: ${(error as Error).message}`);
      }
      if (this.run && (this.options.artifacts ?? process.env.SHIFTY_ARTIFACTS !== "0")) {
        await this.uploadArtifacts(client, this.run.id);
      }
    } else if (wanted) {
      log("not uploading: set SHIFTY_URL, SHIFTY_API_KEY and SHIFTY_PROJECT_ID");
    }

    writeJsonAtomic(resolve(outputDir, "heal-report.json"), {
      generatedAt: new Date().toISOString(),
      run: this.run ? { id: this.run.id, gate: this.gate?.status ?? this.run.gate.status } : null,
      heals,
    });
    if (heals.length > 0) {
      log(`${heals.length} locator(s) healed:`);
      for (const h of heals) {
        log(
          `  ${h.originalSelector} → ${h.healedLocator}  ${h.confidence.toFixed(2)}  ${h.status}${h.reused ? " (reused)" : ""}  ${h.location ?? h.file}`,
        );
      }
      if (heals.some((h) => h.status === "pending")) log("review them with `shifty heals --status pending`");
    }
  }

  /** Failure artifacts after the run (sdk/playwright/src/artifacts.ts); never throws. */
  private async uploadArtifacts(client: ShiftyClient, runId: string) {
    try {
      const pending = this.suite
        .allTests()
        .flatMap((test) => artifactsOf(test, this.rel(test.location.file)));
      if (pending.length === 0) return;
      const done = await uploadArtifacts(client, runId, pending, log);
      log(
        `artifacts: ${done.uploaded} uploaded${done.skipped ? `, ${done.skipped} skipped` : ""}${done.failed ? `, ${done.failed} failed` : ""}`,
      );
    } catch (error) {
      log(`artifacts not uploaded: ${(error as Error).message}`);
    }
  }

  private collectHeals(): HealRow[] {
    const rows: HealRow[] = [];
    for (const test of this.suite.allTests()) {
      for (const result of test.results) {
        for (const attachment of result.attachments) {
          if (attachment.name !== "shifty-heal.json" || !attachment.body) continue;
          try {
            const event = JSON.parse(attachment.body.toString("utf8")) as HealEvent;
            rows.push({
              ...event,
              test: test.titlePath().slice(2).join(" › "),
              file: this.rel(test.location.file),
            });
          } catch {
            // not ours
          }
        }
      }
    }
    return rows;
  }

  private rel(file: string) {
    return relative(this.config.rootDir, file).split("\\").join("/");
  }

  /** The @playwright/test JSON reporter's shape (what POST /v1/projects/{id}/runs parses). */
  buildReport(result: FullResult) {
    const stats = { expected: 0, unexpected: 0, flaky: 0, skipped: 0 };
    const toSpec = (test: TestCase) => {
      const outcome = test.outcome();
      stats[outcome]++;
      return {
        title: test.title,
        file: this.rel(test.location.file),
        line: test.location.line,
        column: test.location.column,
        ok: test.ok(),
        tests: [
          {
            projectName: test.parent.project()?.name ?? "",
            status: outcome,
            expectedStatus: test.expectedStatus,
            annotations: test.annotations,
            results: test.results.map((r: TestResult) => ({
              status: r.status,
              duration: r.duration,
              retry: r.retry,
              startTime: r.startTime.toISOString(),
              annotations: r.annotations,
              errors: r.errors.map((e) => ({ message: e.message ?? e.value ?? "", stack: e.stack })),
              ...(r.error
                ? { error: { message: r.error.message ?? r.error.value ?? "", stack: r.error.stack } }
                : {}),
            })),
          },
        ],
      };
    };
    const toSuite = (suite: Suite): Record<string, unknown> => ({
      title: suite.type === "file" ? this.rel(suite.location?.file ?? suite.title) : suite.title,
      file: suite.location ? this.rel(suite.location.file) : undefined,
      specs: suite.tests.map(toSpec),
      suites: suite.suites.map(toSuite),
    });
    // Root → projects → files: one top-level suite per file, like the JSON reporter.
    const suites: Record<string, unknown>[] = [];
    for (const project of this.suite.suites) for (const file of project.suites) suites.push(toSuite(file));
    return {
      config: { version: this.config.version, rootDir: this.config.rootDir },
      suites,
      errors: [],
      stats: {
        startTime: new Date(this.started).toISOString(),
        duration: result.duration,
        ...stats,
      },
    };
  }
}

function log(line: string) {
  process.stderr.write(`[shifty] ${line}\n`);
}
