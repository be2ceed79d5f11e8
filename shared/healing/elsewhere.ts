/**
 * "Is this still the target's page?" A heal can rest on where an element stands (the form's submit
 * button) while the page is another one altogether: a test whose session expired lands on the sign-in
 * page, and its "Save changes" button would heal to "Sign in". Two explanations then fit the evidence
 * equally ("the target, redesigned in place" and "another page, where the target is not"), so the
 * answer is treated as a near tie and its confidence halves, like the old-page check
 * (docs/heal-model.md, "Another page").
 *
 * It applies when both hold:
 * - the page keeps none of the target's surroundings: every neighbour text the target was recorded
 *   with (two characters or more) is gone from the page's text;
 * - the answer carries nothing of the target's identity: it scores under 0.5 on its text, id or
 *   name, test id and words (`text`, `idName`, `testId`, `keywords`). CNN's `div#menu` redesigned
 *   as `button#menuButton` (idName 0.70) carries it.
 * A target recorded without neighbour texts is never judged so: there is nothing to compare.
 */

import { collapse } from "./dom-nodes.ts";
import type { ScoreVector } from "./model.ts";
import type { PreparedElement } from "./prepare.ts";
import { STRATEGY_NAMES } from "./strategies/index.ts";

/** The confidence factor of an answer that may be on another page than the target's. */
const ELSEWHERE_DISCOUNT = 0.5;

/**
 * The factor of an answer's confidence: ELSEWHERE_DISCOUNT when it carries none of the target's
 * identity and the page kept none of its surroundings (asked only then: it may read the page), else 1.
 * The engine (heal.ts) and the replay that fits and measures it (fit-core.ts) both ask this.
 */
export function elsewhereFactor(carries: boolean, surroundingsGone: () => boolean): number {
  return !carries && surroundingsGone() ? ELSEWHERE_DISCOUNT : 1;
}

const IDENTITY: readonly [number, number][] = [
  [STRATEGY_NAMES.indexOf("text"), 0.5],
  [STRATEGY_NAMES.indexOf("idName"), 0.5],
  [STRATEGY_NAMES.indexOf("testId"), 0.5],
  [STRATEGY_NAMES.indexOf("keywords"), 0.5],
];

/** The answer carries the target's text, id/name, test id or words (its scores against the target). */
export function carriesIdentity(scores: ScoreVector): boolean {
  return IDENTITY.some(([slot, least]) => (scores[slot]?.score ?? 0) >= least);
}

const normalise = (text: string) => collapse(text).toLowerCase();

/**
 * True when the target was recorded with neighbour texts and none of them is on the page.
 * `pageText` is asked only then: every text of the page, in any order.
 */
export function surroundingsGone(target: PreparedElement, pageText: () => Iterable<string>): boolean {
  // Each neighbour's longest word is looked for first, as recorded or lower-cased, without copying
  // anything: a page has thousands of texts, and normalising each one costs more than the rare match
  // it finds. A word whose case changed otherwise (`Sign In` → `SIGN IN`) counts as gone.
  const probes = Object.values(target.descriptor.neighborText ?? {}).flatMap((text) => {
    const normalised = normalise(String(text));
    if (normalised.length < 2) return [];
    const word = String(text)
      .trim()
      .split(/\s+/)
      .reduce((a, b) => (b.length > a.length ? b : a));
    return [{ normalised, word, lower: word.toLowerCase() }];
  });
  if (probes.length === 0) return false;
  for (const text of pageText()) {
    for (const probe of probes)
      if (
        (text.includes(probe.word) || text.includes(probe.lower)) &&
        normalise(text).includes(probe.normalised)
      )
        return false;
  }
  return true;
}
