import { XMLParser, XMLValidator } from "fast-xml-parser";
import {
  type FailureDetail,
  failureDetail,
  type ParsedReport,
  type ParsedTest,
  ReportError,
  secondsToMs,
} from "./report.ts";

/**
 * JUnit XML as written by jest-junit, pytest (`--junitxml`), Maven Surefire/Failsafe (incl. rerun
 * elements `flakyFailure`/`flakyError`/`rerunFailure`/`rerunError`) and Playwright's junit reporter.
 * The document is validated first so a broken upload gets a line number, then parsed once.
 */
const ARRAYS = new Set([
  "testsuite",
  "testcase",
  "failure",
  "error",
  "flakyFailure",
  "flakyError",
  "rerunFailure",
  "rerunError",
  "property",
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "",
  textNodeName: "#text",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name) => ARRAYS.has(name),
  // Output can be megabytes and we never read it.
  stopNodes: ["*.system-out", "*.system-err"],
});

type XmlNode = Record<string, unknown>;

/** Suites nest a few levels in real reports (Jenkins, pytest plugins); deeper is refused. */
const MAX_SUITE_DEPTH = 32;
/**
 * A DTD anywhere in the document (not only its head) is refused: no entities, no external fetches.
 * One linear pass; a DOCTYPE quoted inside CDATA or a comment (captured test output) is only text.
 */
function refuseDtd(xml: string) {
  let i = 0;
  for (;;) {
    const at = xml.indexOf("<!", i);
    if (at < 0) return;
    const skipTo = xml.startsWith("<![CDATA[", at) ? "]]>" : xml.startsWith("<!--", at) ? "-->" : null;
    if (skipTo) {
      const end = xml.indexOf(skipTo, at + 4);
      if (end < 0) return; // unterminated: the validator reports it
      i = end + 3;
      continue;
    }
    const word = xml.slice(at + 2, at + 9).toUpperCase();
    if (word.startsWith("DOCTYPE") || word.startsWith("ENTITY")) {
      throw new ReportError("unprocessable", "DOCTYPE and ENTITY declarations are not allowed");
    }
    i = at + 2;
  }
}

export function parseJUnit(xml: string): ParsedReport {
  refuseDtd(xml);
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const { line, msg } = verdict.err;
    throw new ReportError("malformed", `line ${line}: ${describeXmlError(msg)}`);
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch (error) {
    // The parser refuses documents nested past its own limit; that is the report's fault, not ours.
    throw new ReportError("unprocessable", `the XML cannot be read: ${(error as Error).message}`);
  }
  const rootName = Object.keys(doc).find((k) => k !== "?xml" && !k.startsWith("#"));
  let suites: XmlNode[];
  let reportDurationMs = 0;
  if (rootName === "testsuites") {
    const root = asNode(doc.testsuites);
    suites = asNodes(root.testsuite);
    reportDurationMs = secondsToMs(root.time);
  } else if (rootName === "testsuite") {
    suites = asNodes(doc.testsuite);
  } else {
    throw new ReportError(
      "unprocessable",
      `no <testsuite> or <testsuites> root${rootName ? ` (found <${rootName}>)` : ""}`,
    );
  }
  const tests: ParsedTest[] = [];
  let suiteDurationMs = 0;
  for (const suite of suites) suiteDurationMs += collectSuite(suite, null, tests);
  if (tests.length === 0)
    throw new ReportError("unprocessable", "the report contains no <testcase> elements");
  let durationMs = reportDurationMs || suiteDurationMs;
  if (!durationMs) for (const t of tests) durationMs += t.durationMs;
  return { format: "junit", tests, durationMs };
}

/** Walks a `<testsuite>` (Jenkins and some pytest plugins nest them); returns the suite's own time. */
function collectSuite(suite: XmlNode, parentFile: string | null, out: ParsedTest[], depth = 0): number {
  if (depth > MAX_SUITE_DEPTH) {
    throw new ReportError("unprocessable", `<testsuite> elements nest deeper than ${MAX_SUITE_DEPTH} levels`);
  }
  const suiteName = str(suite.name) ?? "";
  const suiteFile = str(suite.file) ?? parentFile;
  for (const child of asNodes(suite.testsuite)) collectSuite(child, suiteFile, out, depth + 1);
  for (const testcase of asNodes(suite.testcase)) {
    const name = str(testcase.name);
    if (!name) {
      throw new ReportError("unprocessable", `a <testcase> in suite "${suiteName}" has no name attribute`);
    }
    out.push(toTest(testcase, name, suiteName, suiteFile));
  }
  return secondsToMs(suite.time);
}

function toTest(tc: XmlNode, name: string, suiteName: string, suiteFile: string | null): ParsedTest {
  const failures = [...asNodes(tc.failure), ...asNodes(tc.error)];
  const reruns = asNodes(tc.rerunFailure).length + asNodes(tc.rerunError).length;
  const flakes = [...asNodes(tc.flakyFailure), ...asNodes(tc.flakyError)];
  let status: ParsedTest["status"];
  let failure: FailureDetail | null = null;
  if (failures.length > 0) {
    status = "failed";
    failure = detail(failures[0]!);
  } else if (tc.skipped !== undefined) {
    status = "skipped";
  } else if (flakes.length > 0) {
    status = "flaky";
    failure = detail(flakes[0]!);
  } else {
    status = "passed";
  }
  const properties = asNodes(asNode(tc.properties).property);
  const healed = properties.some((p) => {
    const n = str(p.name);
    return n === "shifty-heal" || n === "shifty.heal";
  });
  return {
    file: str(tc.file) ?? suiteFile,
    suite: str(tc.classname) ?? suiteName,
    name,
    status,
    durationMs: secondsToMs(tc.time),
    retries: failures.length > 0 ? reruns : flakes.length,
    healed,
    failure,
  };
}

/** `<failure message="…" type="…">stack</failure>`; Surefire's flaky elements put it in `<stackTrace>`. */
function detail(node: XmlNode | string): FailureDetail {
  if (typeof node === "string") return failureDetail(firstLine(node), node, "", null);
  const body = textOf(node) ?? textOf(node.stackTrace);
  const message = str(node.message) ?? (body ? firstLine(body) : null) ?? str(node.type) ?? "failed";
  return failureDetail(message, body, "failed", str(node.type));
}

function firstLine(text: string): string {
  const line = text.trim().split("\n", 1)[0] ?? "";
  return line;
}

function textOf(node: unknown): string | null {
  if (node === undefined || node === null) return null;
  if (typeof node === "string") return node || null;
  if (Array.isArray(node)) return textOf(node[0]);
  if (typeof node === "object") return str((node as XmlNode)["#text"]);
  return String(node);
}

function str(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "object") return null;
  const s = String(value);
  return s === "" ? null : s;
}

function asNode(value: unknown): XmlNode {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as XmlNode) : {};
}

function asNodes(value: unknown): XmlNode[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  // `<testcase name="x"/>` parses to an object; a bare `<failure/>` to "" (kept as an empty node).
  return list.map((v) =>
    v && typeof v === "object" ? (v as XmlNode) : typeof v === "string" ? { "#text": v } : {},
  );
}

/** The validator's wording, made a little more direct for people reading a CI log. */
function describeXmlError(msg: string): string {
  const unclosed = /^Unclosed tag '([^']+)'/.exec(msg);
  if (unclosed) return `unclosed tag <${unclosed[1]}>`;
  const expected = /^Expected closing tag '([^']+)'.*instead of closing tag '([^']+)'/.exec(msg);
  if (expected) return `unclosed tag <${expected[1]}> (found </${expected[2]}>)`;
  // End of input with elements still open: the validator lists them, innermost last.
  const open = /^Invalid '\[(.*)\]' found/s.exec(msg);
  if (open) {
    const names = [...open[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    if (names.length > 0) return `unclosed tag <${names.at(-1)}> at the end of the document`;
  }
  return msg.replace(/\.$/, "");
}
