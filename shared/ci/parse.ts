import { parseJUnit } from "./junit.ts";
import { parsePlaywrightJson } from "./playwright.ts";
import { mergeDuplicates, type ParsedReport, ReportError, type ReportFormat } from "./report.ts";

/** Which parser a Content-Type selects; null for a type we do not take (→ 415). */
export function reportFormatFor(contentType: string | null | undefined): ReportFormat | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return "junit";
  if (type === "application/json" || type.endsWith("+json")) return "playwright";
  return null;
}

/** A test's name, suite or file beyond this is refused: identities are stored and indexed in D1. */
export const MAX_IDENTITY_CHARS = 2000;

/** Parses once and merges repeated entries of the same test; throws ReportError on a bad report. */
export function parseReport(format: ReportFormat, body: string): ParsedReport {
  const report = format === "junit" ? parseJUnit(body) : parsePlaywrightJson(body);
  for (const t of report.tests) {
    for (const [field, value] of [
      ["name", t.name],
      ["suite", t.suite],
      ["file", t.file],
    ] as const) {
      if (value !== null && value.length > MAX_IDENTITY_CHARS) {
        throw new ReportError(
          "unprocessable",
          `a test ${field} is ${value.length} characters long (at most ${MAX_IDENTITY_CHARS})`,
        );
      }
    }
  }
  return { ...report, tests: mergeDuplicates(report.tests) };
}
