import { targetFromSelector } from "./cold-start.ts";
import { DEFAULT_MODEL } from "./default-model.ts";
import { type ParsedPage, parsePage } from "./dom.ts";
import { carriesIdentity, elsewhereFactor, surroundingsGone } from "./elsewhere.ts";
import { nativeSelector } from "./foreign-locators.ts";
import { checkCandidates } from "./limits.ts";
import { calibratedConfidence, leadingStrategy, modelFor } from "./model.ts";
import { findOldElement } from "./old-element.ts";
import { answerWasAnotherOldElement } from "./old-page.ts";
import { indexedPathOf } from "./page-arrays.ts";
import { type PreparedElement, prepareElement } from "./prepare.ts";
import { PreparedPage } from "./prepared-page.ts";
import { outsideGroupLogit, type RankedCandidate, rankCandidates } from "./ranking.ts";
import { cssForPageElement, selectorForCandidate, selectorsForPageElement } from "./selectors.ts";
import { shortlistCandidates, shortlistPage } from "./shortlist.ts";
import type { AiReranker } from "./strategies/ai.ts";
import type { HealingExample } from "./training.ts";
import type { CandidatesHealResult, DomHealResult, ElementDescriptor, HealingModel } from "./types.ts";

export type HealOptions = { model?: HealingModel; ai?: AiReranker };

export type CandidatesHealInput = {
  selector?: string;
  target?: ElementDescriptor;
  candidates: ElementDescriptor[];
};

export type DomHealInput = {
  selector: string;
  dom: string;
  previousDom?: string;
  target?: ElementDescriptor;
};

/**
 * A target rebuilt from a selector alone is thin evidence. Models with a cold-start variant score
 * it with weights and a calibration fitted on such targets; older models scale confidence down.
 */
export const COLD_START_DISCOUNT = 0.8;

function discountFor(model: HealingModel, resolved: { discount: number }): number {
  return model.coldStart ? 1 : resolved.discount;
}
const MAX_ALTERNATIVES = 5;
const MIN_ALTERNATIVE_CONFIDENCE = 0.01;

type Decision = {
  ranked: RankedCandidate[];
  confidence: number;
  healed: boolean;
  strategy: string;
  alternatives: { index: number; confidence: number }[];
};

/**
 * Ranks, calibrates and decides. `discount` scales every confidence (a thin target);
 * `answerDiscount` scales the answer's own, once the answer is known (the old-page check, another
 * page: elsewhere.ts).
 * The AI tie-breaker is asked only when the engine alone would abstain between several candidates:
 * a confident heal never waits for, or pays for, a model call (docs/heal-model.md).
 */
async function decide(
  model: HealingModel,
  target: PreparedElement,
  candidates: readonly PreparedElement[],
  discount: number,
  ai: AiReranker | undefined,
  answerDiscount: (answer: RankedCandidate) => number = () => 1,
): Promise<Decision> {
  const ranked = rankCandidates(model, target, candidates);
  const alone = judge(model, candidates, ranked, discount, answerDiscount);
  if (!ai || alone.healed || ranked.length < 2) return alone;
  return (await rerankWithAi(model, ai, target, candidates, ranked))
    ? judge(model, candidates, ranked, discount, answerDiscount)
    : alone;
}

function judge(
  model: HealingModel,
  candidates: readonly PreparedElement[],
  ranked: RankedCandidate[],
  discount: number,
  answerDiscount: (answer: RankedCandidate) => number,
): Decision {
  const top = ranked[0];
  if (!top) return { ranked, confidence: 0, healed: false, strategy: "none", alternatives: [] };
  const second = ranked[1]?.logit ?? null;
  const context = { outsideGroupLogit: outsideGroupLogit(ranked, candidates), count: ranked.length };
  const confidence = calibratedConfidence(model, top.logit, second, context) * discount * answerDiscount(top);
  // Candidates with no real chance (confidence rounds to under 1 %) are noise, not alternatives.
  const alternatives = ranked
    .slice(1, 1 + MAX_ALTERNATIVES)
    .map((entry) => ({
      index: entry.index,
      confidence: round(calibratedConfidence(model, entry.logit, top.logit) * discount),
    }))
    .filter((alternative) => alternative.confidence >= MIN_ALTERNATIVE_CONFIDENCE);
  return {
    ranked,
    confidence: round(confidence),
    healed: confidence >= model.threshold,
    strategy: leadingStrategy(model, top.scores),
    alternatives,
  };
}

/** Moves the shortlist's logits by the model's scores; false when the model gave none. */
async function rerankWithAi(
  model: HealingModel,
  ai: AiReranker,
  target: PreparedElement,
  candidates: readonly PreparedElement[],
  ranked: RankedCandidate[],
): Promise<boolean> {
  const shortlist = ranked.slice(0, ai.topK);
  const adjustments = await ai.adjust({
    target: target.descriptor,
    candidates: shortlist.map((entry, i) => ({
      index: entry.index,
      descriptor: candidates[entry.index]!.descriptor,
      confidence: calibratedConfidence(model, entry.logit, (i === 0 ? ranked[1] : ranked[0])?.logit ?? null),
    })),
  });
  if (!adjustments || adjustments.size === 0) return false;
  for (const entry of shortlist) entry.logit += adjustments.get(entry.index) ?? 0;
  ranked.sort((a, b) => b.logit - a.logit || a.index - b.index);
  return true;
}

/** elsewhere.ts's factor for an answer; the page's text is read at most once, and only if needed. */
function elsewhereDiscount(target: PreparedElement, pageText: () => Iterable<string>) {
  let gone: boolean | undefined;
  const surroundings = () => (gone ??= surroundingsGone(target, pageText));
  return (answer: RankedCandidate): number => elsewhereFactor(carriesIdentity(answer.scores), surroundings);
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** A target that says nothing but its tag (what a client sends when it has no stored descriptor). */
function isThin(target: ElementDescriptor): boolean {
  return (
    !target.text &&
    !target.xpath &&
    !target.idXpath &&
    !target.rect &&
    !target.role &&
    !target.accessibleName &&
    !target.neighborText &&
    Object.keys(target.attributes ?? {}).length === 0
  );
}

/** The old element to heal, how much its evidence is trusted, and the old page when one was parsed. */
type OldTarget = { target: ElementDescriptor; discount: number; previous?: ParsedPage };

/** `partial`: what the failing selector says (targetFromSelector), when it says anything. */
function resolveTarget(
  target: ElementDescriptor | undefined,
  partial: ElementDescriptor | null,
): OldTarget | null {
  if (target && !(partial && isThin(target))) return { target, discount: 1 };
  // Cold start: what the failing selector says is the evidence, so confidence is honestly lower.
  if (!partial) return target ? { target, discount: 1 } : null;
  const tag = target?.tag && target.tag !== "*" ? target.tag : partial.tag;
  return { target: { ...partial, tag }, discount: COLD_START_DISCOUNT };
}

/**
 * Candidates form: picks the candidate that is the element `target` (or `selector`) described.
 * Never throws on valid input; with nothing to compare, answers healed:false.
 * @example await healCandidates({ target: { tag: "button", text: "Save" }, candidates })
 */
export async function healCandidates(
  input: CandidatesHealInput,
  opts: HealOptions = {},
): Promise<CandidatesHealResult> {
  const model = opts.model ?? DEFAULT_MODEL;
  checkCandidates(input.candidates, input.target);
  const resolved = resolveTarget(input.target, input.selector ? targetFromSelector(input.selector) : null);
  const candidates = input.candidates.map(prepareElement);
  if (!resolved || candidates.length === 0) {
    return {
      healed: false,
      index: null,
      confidence: 0,
      strategy: "none",
      selector: null,
      alternatives: [],
      suggestion: null,
    };
  }
  const target = prepareElement(resolved.target);
  // Only the shortlist is scored; indices are mapped back to the request's candidates.
  const shortlist = shortlistCandidates(target, candidates);
  const kept = shortlist.length === candidates.length ? candidates : shortlist.map((i) => candidates[i]!);
  const decision = await decide(
    modelFor(model, target, candidates),
    target,
    kept,
    discountFor(model, resolved),
    opts.ai,
    elsewhereDiscount(target, () => input.candidates.map((candidate) => candidate.text ?? "")),
  );
  const top = decision.ranked[0];
  const original = (index: number) => (kept === candidates ? index : shortlist[index]!);
  const index = decision.healed && top ? original(top.index) : null;
  // Abstaining still names the best guess, so a person can confirm it instead of searching.
  const suggestion =
    !decision.healed && top
      ? {
          index: original(top.index),
          confidence: decision.confidence,
          selector: selectorForCandidate(candidates, original(top.index)),
        }
      : null;
  return {
    healed: decision.healed,
    index,
    confidence: decision.confidence,
    strategy: decision.strategy,
    selector: index === null ? null : selectorForCandidate(candidates, index),
    alternatives: decision.alternatives.map((alternative) => ({
      index: original(alternative.index),
      confidence: alternative.confidence,
    })),
    suggestion,
  };
}

type PageRanking = { prepared: PreparedPage; shortlist: number[]; candidates: PreparedElement[] };

/** The visible candidates worth scoring on this page, prepared. */
function pageCandidates(page: ParsedPage, target: PreparedElement): PageRanking {
  const prepared = new PreparedPage(page);
  const shortlist = shortlistPage(page, target);
  return { prepared, shortlist, candidates: shortlist.map((i) => prepared.get(i)) };
}

/** The old element's descriptor: given, found by the selector in previousDom, or from the selector. */
async function oldTarget(input: DomHealInput, model: HealingModel): Promise<OldTarget | null> {
  if (input.target) return { target: input.target, discount: 1 };
  if (!input.previousDom) return resolveTarget(undefined, targetFromSelector(input.selector));
  // Selenium, Cypress and Playwright code is read as the selector chain it stands for.
  const selector = nativeSelector(input.selector);
  // An absolute indexed xpath (what a stored selector usually is) is followed through the parsed
  // page's arrays (dom.ts, atPath); any other selector, or a path that names no candidate, is
  // evaluated on the same parse.
  const path = indexedPathOf(selector);
  const previous = parsePage(input.previousDom, path);
  const atPath = previous.atPath;
  if (atPath && atPath.index >= 0) return { target: atPath.descriptor, discount: 1, previous };
  const found = findOldElement(previous, selector);
  if (found) return { target: found.descriptor, discount: 1, previous };
  // A selector the old page cannot answer (a regex, a getBy* match left ambiguous, an unknown
  // syntax): heal it against the old page first. What the selector says is partial, so the
  // model's confidence is low by design; on the old page we ask instead for the one element that
  // matches everything the selector says exactly.
  const partial = targetFromSelector(selector);
  if (partial) {
    const target = prepareElement(partial);
    const { shortlist, candidates } = pageCandidates(previous, target);
    const ranked = rankCandidates(modelFor(model, target, candidates), target, candidates);
    const exact = ranked.filter((entry) =>
      entry.scores.every((score) => score === null || score.score >= 0.99),
    );
    if (exact.length === 1)
      return { target: previous.descriptorOf(shortlist[exact[0]!.index]!), discount: 1, previous };
  }
  return resolveTarget(undefined, partial);
}

/**
 * DOM form: finds the old element in `dom` and returns a CSS selector that matches exactly it,
 * its indexed xpath and a Playwright locator.
 */
export async function healDom(input: DomHealInput, opts: HealOptions = {}): Promise<DomHealResult> {
  const model = opts.model ?? DEFAULT_MODEL;
  const empty: DomHealResult = {
    healed: false,
    confidence: 0,
    strategy: "none",
    selector: null,
    xpath: null,
    playwright: null,
    alternatives: [],
    suggestion: null,
  };
  const resolved = await oldTarget(input, model);
  if (!resolved) return empty;
  const page = parsePage(input.dom);
  const target = prepareElement(resolved.target);
  const { prepared, shortlist, candidates } = pageCandidates(page, target);
  if (candidates.length === 0) return empty;
  // An answer that stood unchanged on the old page as another element is a tie at best between
  // "the target, renamed" and "that element, with the target removed": confidence halves, as for
  // any near tie between two different elements (docs/heal-model.md). A suggestion is halved too:
  // tenant thresholds are learned from the confidence of the suggestions people judge.
  const { previous } = resolved;
  const elsewhere = elsewhereDiscount(target, () => page.texts);
  const answerDiscount = (answer: RankedCandidate) =>
    (previous && answerWasAnotherOldElement(previous, target, candidates[answer.index]!) ? 0.5 : 1) *
    elsewhere(answer);
  const decision = await decide(
    modelFor(model, target, candidates),
    target,
    candidates,
    discountFor(model, resolved),
    opts.ai,
    answerDiscount,
  );
  const top = decision.ranked[0];
  if (!top) return empty;
  // Alternatives carry a CSS selector only; the Playwright locator is for the answer.
  const alternatives = decision.alternatives.map((alternative) => ({
    selector: cssForPageElement(page, shortlist[alternative.index]!, candidates[alternative.index]!),
    confidence: alternative.confidence,
  }));
  const selectors = selectorsForPageElement(prepared, shortlist[top.index]!, candidates[top.index]!);
  if (!decision.healed) {
    // The best guess is offered for confirmation; it is not an answer (selector stays null).
    const suggestion = {
      selector: selectors.css,
      xpath: selectors.xpath,
      playwright: selectors.playwright,
      confidence: decision.confidence,
    };
    return {
      ...empty,
      confidence: decision.confidence,
      strategy: decision.strategy,
      alternatives,
      suggestion,
    };
  }
  return {
    healed: true,
    confidence: decision.confidence,
    strategy: decision.strategy,
    selector: selectors.css,
    xpath: selectors.xpath,
    playwright: selectors.playwright,
    alternatives,
    suggestion: null,
  };
}

/**
 * A labelled training example from a stored DOM-form request and the selector that was right
 * (null: the element was gone, abstaining was right). Hidden elements are left out, as in healing.
 */
export async function domExample(
  input: DomHealInput,
  correctSelector: string | null,
  model: HealingModel = DEFAULT_MODEL,
): Promise<HealingExample | null> {
  const resolved = await oldTarget(input, model);
  if (!resolved) return null;
  const page = parsePage(input.dom);
  const visible = page.elements.filter((entry) => !entry.hidden);
  let correctIndex: number | null = null;
  if (correctSelector) {
    const found = findOldElement(page, correctSelector);
    if (!found || found.hidden) return null;
    correctIndex = visible.indexOf(found);
  }
  return {
    target: resolved.target,
    candidates: visible.map((entry) => entry.descriptor),
    correctIndex,
    kind: "feedback",
  };
}
