import { ApiError } from "../../errors.ts";

/**
 * A cheap look at a DOM before the healing engine parses it: pathological nesting (thousands of
 * nested elements) exhausts the engine's recursive passes, and the answer must be a 4xx, not a 500.
 * Browsers themselves stop nesting at 512 levels, so a real page never comes near these limits.
 */
export const DOM_LIMITS = { maxDepth: 512, maxElements: 200_000 } as const;

/** Elements that never hold children, so their start tag does not open a level. */
const VOID = new Set([
  "area",
  "base",
  "br",
  "col",
  "embed",
  "hr",
  "img",
  "input",
  "link",
  "meta",
  "source",
  "track",
  "wbr",
  "param",
  "keygen",
]);

/** Start tags, end tags and comments (a tag inside a comment is not markup). */
const TAG = /<(\/?)([a-zA-Z][a-zA-Z0-9-]*)\b[^>]*?(\/?)>|<!--[\s\S]*?-->/g;

/** The deepest nesting and the number of elements, in one linear pass (unclosed tags count as open). */
export function measureDom(html: string): { depth: number; elements: number } {
  let depth = 0;
  let deepest = 0;
  let elements = 0;
  for (const m of html.matchAll(TAG)) {
    const name = m[2]?.toLowerCase();
    if (!name) continue; // a comment
    if (m[1]) {
      if (!VOID.has(name)) depth = Math.max(0, depth - 1);
      continue;
    }
    elements++;
    if (!m[3] && !VOID.has(name)) deepest = Math.max(deepest, ++depth);
  }
  return { depth: deepest, elements };
}

/** 413 for too many elements, 422 for nesting deeper than a browser would build. */
export function checkDomShape(field: string, html: string | undefined) {
  if (!html) return;
  const { depth, elements } = measureDom(html);
  if (elements > DOM_LIMITS.maxElements) {
    throw new ApiError(
      "payload_too_large",
      `${field} has ${elements} elements; a heal takes at most ${DOM_LIMITS.maxElements}`,
    );
  }
  if (depth > DOM_LIMITS.maxDepth) {
    throw new ApiError(
      "unprocessable",
      `${field} nests elements ${depth} levels deep; at most ${DOM_LIMITS.maxDepth} are accepted`,
    );
  }
}
