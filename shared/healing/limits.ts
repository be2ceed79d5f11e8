/**
 * Input bounds of the engine, shared with the request schema (schema.ts re-exports them). A heal
 * request is untrusted: its cost must be bounded before the real work (parsing, describing,
 * scoring), so oversized input is refused with a typed error the HTTP layer can map to a 413/422.
 */
export const HEAL_LIMITS = {
  maxTagLength: 100,
  /** Attributes of one element (DOM form) or one descriptor (candidates form). */
  maxAttributes: 200,
  maxAttributeNameLength: 256,
  maxAttributeValueLength: 10_000,
  maxTextLength: 10_000,
  maxXpathLength: 4_096,
  maxSelectorLength: 4_096,
  /** Candidates of one candidates-form request. */
  maxCandidates: 5_000,
  /** 5 MiB of HTML per document (dom or previousDom). */
  maxDomBytes: 5 * 1024 * 1024,
  /** Elements of one HTML document, counted by a scan of start tags before parsing. */
  maxElements: 50_000,
  /** Nesting depth of an element (html is 0); browsers' own parsers stop nesting near 512. */
  maxDepth: 512,
  /**
   * Attributes of one HTML document in all: a real 10k-element page has some 30 000; a page built to
   * cost (thousands of elements each with a hundred attributes) is refused while it is being read.
   */
  maxTotalAttributes: 250_000,
} as const;

export type HealLimitKind =
  | "too_long"
  | "too_many_elements"
  | "too_deep"
  | "too_many_attributes"
  | "too_many_candidates";

/** Thrown by healDom / healCandidates / parsePage when input exceeds HEAL_LIMITS. */
export class HealInputTooLarge extends Error {
  readonly kind: HealLimitKind;
  readonly limit: number;
  readonly actual: number;

  constructor(kind: HealLimitKind, limit: number, actual: number) {
    super(`heal input too large: ${kind} (limit ${limit}, got ${actual})`);
    this.name = "HealInputTooLarge";
    this.kind = kind;
    this.limit = limit;
    this.actual = actual;
  }
}

/**
 * Refuses a document that is too long or has too many start tags, before any parsing: one pass of
 * charCodeAt over the string (`<` followed by an ASCII letter), no allocation. Returns that count of
 * start tags.
 */
export function checkHtml(html: string): number {
  // UTF-8 takes at least one byte per UTF-16 unit, so a longer string is certainly too many bytes.
  if (html.length > HEAL_LIMITS.maxDomBytes)
    throw new HealInputTooLarge("too_long", HEAL_LIMITS.maxDomBytes, html.length);
  let tags = 0;
  let from = html.indexOf("<");
  while (from >= 0) {
    const c = html.charCodeAt(from + 1) | 32;
    if (c >= 97 && c <= 122) tags++;
    from = html.indexOf("<", from + 1);
  }
  if (tags > HEAL_LIMITS.maxElements)
    throw new HealInputTooLarge("too_many_elements", HEAL_LIMITS.maxElements, tags);
  return tags;
}

/**
 * Checked per start tag while parsing: depth and attribute count (`count`, duplicates not counted) of
 * the element just opened, and the document's attributes so far (`before`). Returns the new total.
 */
export function checkElement(depth: number, count: number, before = 0): number {
  if (depth > HEAL_LIMITS.maxDepth) throw new HealInputTooLarge("too_deep", HEAL_LIMITS.maxDepth, depth);
  if (count > HEAL_LIMITS.maxAttributes)
    throw new HealInputTooLarge("too_many_attributes", HEAL_LIMITS.maxAttributes, count);
  const total = before + count;
  if (total > HEAL_LIMITS.maxTotalAttributes)
    throw new HealInputTooLarge("too_many_attributes", HEAL_LIMITS.maxTotalAttributes, total);
  return total;
}

/** Candidates form: count of candidates and attributes per descriptor, before preparing any. */
export function checkCandidates(
  candidates: readonly { attributes?: Record<string, string> }[],
  target?: { attributes?: Record<string, string> },
): void {
  if (candidates.length > HEAL_LIMITS.maxCandidates)
    throw new HealInputTooLarge("too_many_candidates", HEAL_LIMITS.maxCandidates, candidates.length);
  for (const candidate of target ? [target, ...candidates] : candidates) {
    const attributes = candidate.attributes;
    if (!attributes) continue;
    const count = Object.keys(attributes).length;
    if (count > HEAL_LIMITS.maxAttributes)
      throw new HealInputTooLarge("too_many_attributes", HEAL_LIMITS.maxAttributes, count);
  }
}

/** `text` cut to `limit` characters (the same string when it fits): how over-long text is bounded. */
export function cap(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}
