/**
 * Mutual best match for the DOM form with `previousDom`: an answer that was already on the old page,
 * unchanged, beside the element the selector named, is that other element, not the target. A removed
 * "Submit" must not heal to the "Continue" that stood next to it all along (docs/heal-model.md).
 */
import type { ParsedPage } from "./dom.ts";
import type { PreparedElement } from "./prepare.ts";
import { PreparedPage } from "./prepared-page.ts";
import { shortlistPage } from "./shortlist.ts";
import { STRATEGIES } from "./strategies/index.ts";

/** Evidence of what an element is, not where it is: the strategies an unchanged element matches exactly. */
const IDENTITY = STRATEGIES.filter((strategy) =>
  ["testId", "idName", "role", "text", "tag", "attributes", "classes", "keywords"].includes(strategy.name),
);
/** Evidence that names an element; a tag or role alone matches every sibling of its kind. */
const NAMING = new Set(["testId", "idName", "text", "keywords"]);

/** `b` matches `a` exactly on every identity strategy `a` carries, one of them naming it. */
function matchesAll(a: PreparedElement, b: PreparedElement): boolean {
  let named = false;
  for (const strategy of IDENTITY) {
    const verdict = strategy.score(a, b);
    if (verdict === null) continue;
    if (verdict.score < 0.99) return false;
    if (NAMING.has(strategy.name)) named = true;
  }
  return named;
}

/** Unchanged both ways: `keywords` is one-sided (the share of the first element's words). */
function sameElement(a: PreparedElement, b: PreparedElement): boolean {
  return matchesAll(a, b) && matchesAll(b, a);
}

/**
 * True when the answer is not the target unchanged but matches another element of the old page
 * exactly on every identity strategy: the answer was there before, as that element. (When it also
 * matches the target exactly, the two were twins, and position already chose between them.)
 */
export function answerWasAnotherOldElement(
  previous: ParsedPage,
  target: PreparedElement,
  answer: PreparedElement,
): boolean {
  if (sameElement(answer, target)) return false;
  const prepared = new PreparedPage(previous);
  for (const index of shortlistPage(previous, answer)) {
    const old = prepared.get(index);
    if (old.descriptor.xpath === target.descriptor.xpath) continue;
    if (sameElement(answer, old)) return true;
  }
  return false;
}
