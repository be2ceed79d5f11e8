import { parseJUnit } from "./junit.ts";
import { parsePlaywrightJson } from "./playwright.ts";
import { mergeDuplicates, type ParsedReport, type ReportFormat } from "./report.ts";

/** Which parser a Content-Type selects; null for a type we do not take (→ 415). */
export function reportFormatFor(contentType: string | null | undefined): ReportFormat | null {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/xml" || type === "text/xml" || type.endsWith("+xml")) return "junit";
  if (type === "application/json" || type.endsWith("+json")) return "playwright";
  return null;
}

/** Parses once and merges repeated entries of the same test; throws ReportError on a bad report. */
export function parseReport(format: ReportFormat, body: string): ParsedReport {
  const report = format === "junit" ? parseJUnit(body) : parsePlaywrightJson(body);
  return { ...report, tests: mergeDuplicates(report.tests) };
}
