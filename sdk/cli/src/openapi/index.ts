// `shifty generate --openapi`: an OpenAPI 3.0/3.1 document → a Playwright API suite (docs/test-generation.md).
// Pure and deterministic, so the CLI plans locally and the API could run the same code.
import { defaultBaseUrl, parseDocument } from "./document.ts";
import { planApiTests } from "./plan.ts";
import { type RenderedFile, renderApiPlan } from "./render.ts";

export { OpenApiError } from "./document.ts";

export type ApiSuite = {
  files: RenderedFile[];
  baseUrl: string;
  figures: { operations: number; tests: number; skipped: number };
  skipped: { operation: string; reason: string }[];
};

/**
 * Plans and renders the suite. `source` is where the document came from (a URL gives the default base
 * URL when the document has no servers). Throws OpenApiError when the document is unusable.
 */
export function generateApiSuite(
  document: string | unknown,
  options: { maxTests: number; source?: string },
): ApiSuite {
  const doc = parseDocument(document);
  const plan = planApiTests(doc, { maxTests: options.maxTests });
  const baseUrl = defaultBaseUrl(doc, options.source);
  return {
    files: renderApiPlan(doc, plan, baseUrl),
    baseUrl,
    figures: { operations: plan.operations, tests: plan.tests.length, skipped: plan.skipped.length },
    skipped: plan.skipped,
  };
}
