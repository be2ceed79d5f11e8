import { describe, expect, it } from "vitest";
import { parseJUnit } from "../../shared/ci/junit.ts";
import { parseReport, reportFormatFor } from "../../shared/ci/parse.ts";
import { parsePlaywrightJson } from "../../shared/ci/playwright.ts";
import { ReportError, summarise } from "../../shared/ci/report.ts";
import jestJunit from "../fixtures/ci/jest-junit.xml?raw";
import { PLAYWRIGHT_JSON_COUNTS, playwrightJson } from "../fixtures/ci/playwright-json.ts";
import playwrightJunit from "../fixtures/ci/playwright-junit.xml?raw";
import pytest from "../fixtures/ci/pytest.xml?raw";
import surefire from "../fixtures/ci/surefire.xml?raw";

const byName = (tests: { name: string }[], name: string) => {
  const t = tests.find((x) => x.name === name);
  if (!t) throw new Error(`no test ${name}`);
  return t as ReturnType<typeof parseJUnit>["tests"][number];
};

function reportError(fn: () => unknown): ReportError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ReportError) return error;
    throw error;
  }
  throw new Error("expected a ReportError");
}

describe("JUnit parser", () => {
  it("reads jest-junit: file attribute, failure body as message + stack, skipped, entities", () => {
    const report = parseJUnit(jestJunit);
    expect(report.format).toBe("junit");
    expect(report.tests).toHaveLength(5);
    expect(report.durationMs).toBe(3214);
    const failed = byName(report.tests, "Cart applies a discount code");
    expect(failed.status).toBe("failed");
    expect(failed.file).toBe("src/cart/cart.test.ts");
    expect(failed.failure?.message).toBe("Error: expect(received).toBe(expected) // Object.is equality");
    expect(failed.failure?.stack).toContain("cart.test.ts:27:31");
    expect(byName(report.tests, "Cart removes an item").status).toBe("skipped");
    expect(byName(report.tests, "Cart totals & taxes").status).toBe("passed");
    expect(summarise(report)).toMatchObject({
      total: 5,
      passed: 3,
      failed: 1,
      skipped: 1,
      flaky: 0,
      status: "failed",
    });
  });

  it("reads pytest: failure and setup error both fail, skipped with message, classname as suite", () => {
    const report = parseJUnit(pytest);
    expect(summarise(report)).toMatchObject({ total: 5, passed: 2, failed: 2, skipped: 1 });
    const failure = byName(report.tests, "test_create_user[admin]");
    expect(failure.suite).toBe("tests.test_api");
    expect(failure.file).toBe("tests/test_api.py");
    expect(failure.failure?.message).toContain("AssertionError: assert 500 == 201");
    const error = byName(report.tests, "test_migrations");
    expect(error.status).toBe("failed");
    expect(error.failure?.message).toContain('failed on setup with "psycopg.OperationalError');
    expect(error.durationMs).toBe(4);
  });

  it("reads Surefire reruns: flakyFailure → flaky, failure + rerunFailure → failed with retries", () => {
    const report = parseJUnit(surefire);
    expect(summarise(report)).toMatchObject({ total: 5, passed: 2, failed: 1, skipped: 1, flaky: 1 });
    const flaky = byName(report.tests, "appliesVat");
    expect(flaky.status).toBe("flaky");
    expect(flaky.retries).toBe(1);
    expect(flaky.failure?.type).toBe("org.opentest4j.AssertionFailedError");
    expect(flaky.failure?.stack).toContain("InvoiceServiceTest.java:48");
    const failed = byName(report.tests, "sendsReminder");
    expect(failed.status).toBe("failed");
    expect(failed.retries).toBe(2);
    expect(failed.suite).toBe("com.acme.billing.InvoiceServiceTest");
  });

  it("reads Playwright's junit reporter incl. shifty-heal properties", () => {
    const report = parseJUnit(playwrightJunit);
    expect(summarise(report)).toMatchObject({ total: 3, passed: 2, failed: 1, healed: 1 });
    expect(byName(report.tests, "login › signs in with a password").healed).toBe(true);
    const failed = byName(report.tests, "login › shows an error for a wrong password");
    expect(failed.failure?.message).toBe("login.spec.ts:18:7 shows an error for a wrong password");
    expect(failed.failure?.stack).toContain("toBeVisible");
  });

  it("accepts a bare <testsuite> root, nested suites and self-closing testcases", () => {
    const xml = `<testsuite name="outer"><testsuite name="inner" file="a.py"><testcase name="t1"/></testsuite><testcase name="t2" classname="C"><error/></testcase></testsuite>`;
    const report = parseJUnit(xml);
    expect(report.tests.map((t) => [t.name, t.suite, t.file, t.status])).toEqual([
      ["t1", "inner", "a.py", "passed"],
      ["t2", "C", null, "failed"],
    ]);
  });

  it.each([
    [
      `<?xml version="1.0"?>\n<testsuites>\n<testsuite name="a">\n<testcase name="x">\n</testsuite></testsuites>`,
      /^line 5: unclosed tag <testcase>/,
    ],
    [`<testsuites><testsuite name="a"><testcase name="x">`, /^line 1: unclosed tag/],
    ["not xml at all", /^line 1: /],
  ])("malformed XML names the line: %#", (xml, message) => {
    const error = reportError(() => parseJUnit(xml));
    expect(error.kind).toBe("malformed");
    expect(error.message).toMatch(message);
  });

  it.each([
    [`<html><body>hi</body></html>`, "no <testsuite> or <testsuites> root (found <html>)"],
    [`<testsuites></testsuites>`, "the report contains no <testcase> elements"],
    [
      `<testsuite name="s"><testcase classname="c"/></testsuite>`,
      'a <testcase> in suite "s" has no name attribute',
    ],
    [`<!DOCTYPE x [<!ENTITY a "aaaa">]><testsuite/>`, "DOCTYPE and ENTITY declarations are not allowed"],
  ])("well-formed but not a report → unprocessable: %s", (xml, message) => {
    const error = reportError(() => parseJUnit(xml));
    expect(error.kind).toBe("unprocessable");
    expect(error.message).toBe(message);
  });
});

describe("Playwright JSON parser", () => {
  it("maps expected/unexpected/flaky/skipped, title paths, retries, heals and errors", () => {
    const report = parsePlaywrightJson(playwrightJson);
    expect(report.format).toBe("playwright");
    expect(report.durationMs).toBe(64391);
    expect(summarise(report)).toMatchObject(PLAYWRIGHT_JSON_COUNTS);
    const names = report.tests.map((t) => t.name);
    expect(names).toEqual([
      "[chromium] guest can check out",
      "[chromium] payment › declined card shows a message",
      "[chromium] payment › 3-D Secure challenge",
      "[chromium] payment › saved card",
    ]);
    const flaky = report.tests[1]!;
    expect(flaky).toMatchObject({ status: "flaky", retries: 1, file: "checkout.spec.ts", suite: "chromium" });
    // ANSI colour codes are stripped.
    expect(flaky.failure?.message).toMatch(/^Error: expect\(locator\)\.toHaveText\(expected\)\n/);
    const failed = report.tests[2]!;
    expect(failed).toMatchObject({ status: "failed", retries: 2, durationMs: 90004 });
    expect(failed.failure?.message).toBe("Test timeout of 30000ms exceeded.");
    expect(report.tests[0]!.healed).toBe(true);
  });

  it("derives the outcome from attempts when test.status is missing (older reporters)", () => {
    const doc = {
      suites: [
        {
          title: "a.spec.ts",
          file: "a.spec.ts",
          specs: [
            { title: "x", tests: [{ results: [{ status: "failed" }, { status: "passed" }] }] },
            { title: "y", tests: [{ results: [{ status: "failed", error: { message: "boom" } }] }] },
          ],
        },
      ],
    };
    const report = parsePlaywrightJson(JSON.stringify(doc));
    expect(report.tests.map((t) => [t.name, t.status])).toEqual([
      ["x", "flaky"],
      ["y", "failed"],
    ]);
    expect(report.tests[1]!.failure?.message).toBe("boom");
  });

  it.each([
    ["{ not json", "malformed", /^malformed JSON: /],
    ["[]", "unprocessable", /^a Playwright report is a JSON object/],
    [`{"config":{},"suites":[]}`, "unprocessable", /^Playwright report has no suites$/],
    [`{"config":{}}`, "unprocessable", /^Playwright report has no suites$/],
    [
      `{"suites":[{"title":"a","specs":[{"title":"t","tests":[{"status":"weird","results":[]}]}]}]}`,
      "unprocessable",
      /status "weird" is not a Playwright status/,
    ],
    [
      `{"suites":[{"title":"a","specs":[{"tests":[]}]}]}`,
      "unprocessable",
      /^suites\[0\]\.specs\[0\] has no title$/,
    ],
  ])("rejects %s", (text, kind, message) => {
    const error = reportError(() => parsePlaywrightJson(text));
    expect(error.kind).toBe(kind);
    expect(error.message).toMatch(message);
  });
});

describe("report dispatch", () => {
  it("selects the parser from the content type", () => {
    expect(reportFormatFor("application/xml; charset=utf-8")).toBe("junit");
    expect(reportFormatFor("text/xml")).toBe("junit");
    expect(reportFormatFor("application/json")).toBe("playwright");
    expect(reportFormatFor("text/plain")).toBeNull();
    expect(reportFormatFor(undefined)).toBeNull();
  });

  it("merges repeated test cases: a pass and a fail of the same test make it flaky", () => {
    const xml = `<testsuite name="s"><testcase classname="C" name="t"><failure message="x"/></testcase><testcase classname="C" name="t"/><testcase classname="C" name="u"/></testsuite>`;
    const report = parseReport("junit", xml);
    expect(report.tests.map((t) => [t.name, t.status, t.retries])).toEqual([
      ["t", "flaky", 1],
      ["u", "passed", 0],
    ]);
  });
});

describe("Playwright tags", () => {
  const doc = (tags: unknown, annotations: unknown) =>
    JSON.stringify({
      suites: [
        {
          title: "a.spec.ts",
          file: "a.spec.ts",
          specs: [
            {
              title: "t",
              file: "a.spec.ts",
              tags,
              tests: [{ projectName: "", status: "expected", annotations, results: [{ status: "passed" }] }],
            },
          ],
        },
      ],
    });

  it("takes the spec's tags and `tag` annotations, deduplicated, ignoring other annotations and non-strings", () => {
    const report = parsePlaywrightJson(
      doc(
        ["@smoke", " @auth ", 7, "@smoke", ""],
        [{ type: "tag", description: "payments" }, { type: "issue", description: "JIRA-1" }, { type: "tag" }],
      ),
    );
    expect(report.tests[0]!.tags).toEqual(["@smoke", "@auth", "payments"]);
  });

  it("caps tags at 20 of at most 100 characters each; a report without tags gives none", () => {
    const many = Array.from({ length: 30 }, (_, i) => `@t${i}`);
    const tags = parsePlaywrightJson(doc([...many, "x".repeat(101)], [])).tests[0]!.tags!;
    expect(tags).toHaveLength(20);
    expect(tags.every((t) => t.length <= 100)).toBe(true);
    expect(parsePlaywrightJson(doc(undefined, undefined)).tests[0]!.tags).toEqual([]);
    expect(parseJUnit(jestJunit).tests.every((t) => t.tags === undefined)).toBe(true);
  });
});
