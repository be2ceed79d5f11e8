/** The healing engine: candidates form and DOM form (DESIGN §5). */
import { accessibleNameOf } from "./aria.ts";
import { targetFromSelector } from "./cold-start.ts";
import { DEFAULT_MODEL } from "./default-model.ts";
import {
  asDomhandler,
  type ChildNode,
  type Element,
  LABELLABLE,
  fromDomhandler,
  type PageElement,
  type ParsedPage,
  parsePage,
} from "./dom.ts";
import { calibratedConfidence, leadingStrategy, modelFor } from "./model.ts";
import { type PreparedElement, prepareElement } from "./prepare.ts";
import { type RankedCandidate, rankCandidates } from "./ranking.ts";
import {
  cssForPageElement,
  type PageCandidates,
  selectorForCandidate,
  selectorsForPageElement,
} from "./selectors.ts";
import { roleOfRaw, shortlistCandidates, shortlistPage } from "./shortlist.ts";
import { normalizeText } from "./similarity.ts";
import type { AiReranker } from "./strategies/ai.ts";
import type { CandidatesHealResult, DomHealResult, ElementDescriptor, HealingModel } from "./types.ts";
import { selectAll } from "css-select";
import { evaluateXpath } from "./xpath.ts";
import type { HealingExample } from "./training.ts";

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

async function decide(
  model: HealingModel,
  target: PreparedElement,
  candidates: readonly PreparedElement[],
  discount: number,
  ai: AiReranker | undefined,
): Promise<Decision> {
  const ranked = rankCandidates(model, target, candidates);
  if (ai && ranked.length > 0) await rerankWithAi(model, ai, target, candidates, ranked);
  const top = ranked[0];
  if (!top) return { ranked, confidence: 0, healed: false, strategy: "none", alternatives: [] };
  const second = ranked[1]?.logit ?? null;
  const confidence = calibratedConfidence(model, top.logit, second) * discount;
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

async function rerankWithAi(
  model: HealingModel,
  ai: AiReranker,
  target: PreparedElement,
  candidates: readonly PreparedElement[],
  ranked: RankedCandidate[],
) {
  const shortlist = ranked.slice(0, ai.topK);
  const adjustments = await ai.adjust({
    target: target.descriptor,
    candidates: shortlist.map((entry, i) => ({
      index: entry.index,
      descriptor: candidates[entry.index]!.descriptor,
      confidence: calibratedConfidence(model, entry.logit, (i === 0 ? ranked[1] : ranked[0])?.logit ?? null),
    })),
  });
  if (!adjustments) return;
  for (const entry of shortlist) entry.logit += adjustments.get(entry.index) ?? 0;
  ranked.sort((a, b) => b.logit - a.logit || a.index - b.index);
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

function resolveTarget(target: ElementDescriptor | undefined, selector: string | undefined) {
  const partial = selector ? targetFromSelector(selector) : null;
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
  const resolved = resolveTarget(input.target, input.selector);
  const candidates = input.candidates.map(prepareElement);
  if (!resolved || candidates.length === 0) {
    return { healed: false, index: null, confidence: 0, strategy: "none", selector: null, alternatives: [] };
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
  );
  const top = decision.ranked[0];
  const original = (index: number) => (kept === candidates ? index : shortlist[index]!);
  const index = decision.healed && top ? original(top.index) : null;
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
  };
}

function findOldElement(page: ParsedPage, selector: string): PageElement | null {
  const trimmed = selector.trim();
  let found: Element[] | null = null;
  if (/^(xpath=|\/|\(\/)/.test(trimmed))
    found = evaluateXpath(page.document, trimmed.replace(/^\((.*)\)(\[\d+\])?$/, "$1"));
  else {
    try {
      found = fromDomhandler(selectAll(trimmed.replace(/^css=/, ""), asDomhandler(page.document)));
    } catch {
      found = null;
    }
  }
  for (const element of found ?? []) {
    const index = page.indexOf.get(element);
    if (index !== undefined) return page.elements[index]!;
  }
  return null;
}

/**
 * Elements of a parsed page, prepared on demand and memoised: only the shortlist, the answer and
 * the selector uniqueness checks ever pay for a descriptor.
 */
class PreparedPage implements PageCandidates {
  readonly page: ParsedPage;
  readonly #prepared: (PreparedElement | undefined)[] = [];
  readonly #roles: (string | null | undefined)[] = [];
  readonly #names: (string | undefined)[] = [];
  readonly #rolesByTag = new Map<string, string | null>();

  constructor(page: ParsedPage) {
    this.page = page;
  }

  get(i: number): PreparedElement {
    let prepared = this.#prepared[i];
    if (!prepared) {
      const entry = this.page.elements[i]!;
      prepared = prepareElement(entry.descriptor);
      if (entry.hidden) prepared.hidden = true;
      this.#prepared[i] = prepared;
    }
    return prepared;
  }

  roleOf(i: number): string | null {
    let role = this.#roles[i];
    if (role === undefined) {
      const prepared = this.#prepared[i];
      const attributes = this.page.attribs[i]!;
      role = prepared
        ? prepared.role
        : roleOfRaw(attributes.role, this.page.tags[i]!, attributes, this.#rolesByTag);
      this.#roles[i] = role;
    }
    return role;
  }

  /**
   * False only when candidate i certainly cannot have the normalised accessible name `name`: no
   * source accessibleNameOf could take it from (label text, aria-label, alt, value, own text, title,
   * placeholder) agrees with it as far as an allocation-free ASCII comparison can tell. Anything it
   * cannot decide cheaply (non-ASCII, text split across nodes) answers true.
   */
  mayBeNamed(i: number, name: string): boolean {
    if (this.#names[i] !== undefined || this.#prepared[i]) return true;
    const page = this.page;
    const attributes = page.attribs[i]!;
    const ariaLabel = attributes["aria-label"];
    if (!ariaLabel && LABELLABLE.has(page.tags[i]!)) {
      const label = page.labelIndexOf(i);
      if (label >= 0 && firstTextMayStart(page, label, name)) return true;
    }
    return (
      mayStart(ariaLabel, name) ||
      mayStart(attributes.alt, name) ||
      mayStart(attributes.value, name) ||
      mayStart(attributes.title, name) ||
      mayStart(attributes.placeholder, name) ||
      firstTextMayStart(this.page, i, name)
    );
  }

  nameOf(i: number): string {
    let name = this.#names[i];
    if (name === undefined) {
      const prepared = this.#prepared[i];
      if (prepared) name = prepared.accessibleName.value;
      else {
        const tag = this.page.tags[i]!;
        const light: ElementDescriptor = { tag, text: this.page.textOf(i) };
        const label = this.page.labelOf(i);
        if (label) light.accessibleName = label;
        name = normalizeText(accessibleNameOf(light, tag, this.page.attribs[i]!, this.roleOf(i)));
      }
      this.#names[i] = name;
    }
    return name;
  }
}

/**
 * Whether normalizeText(value + more) could start with `name`, compared in place: whitespace runs
 * collapse to one space, ASCII is lower-cased; the first non-ASCII character, or the end of `value`
 * before `name` is matched, stops the comparison undecided (true).
 */
function mayStart(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  let v = 0;
  const length = value.length;
  while (v < length && isAsciiSpace(value.charCodeAt(v))) v++;
  for (let n = 0; n < name.length; n++) {
    if (v >= length) return true;
    let c = value.charCodeAt(v);
    if (c >= 128) return true;
    if (isAsciiSpace(c)) {
      while (v < length && isAsciiSpace(value.charCodeAt(v))) v++;
      if (v >= length) return true;
      if (value.charCodeAt(v) >= 128) return true;
      c = 32;
    } else {
      v++;
      if (c >= 65 && c <= 90) c += 32;
    }
    if (c !== name.charCodeAt(n)) return false;
  }
  return true;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Whether the visible text of candidate i (textOf) could start with `name`: its first non-blank
 * text node, reached the way textOf walks (visible candidate children only), is compared with
 * mayStart. No text at all cannot start a non-empty name.
 */
function firstTextMayStart(page: ParsedPage, i: number, name: string): boolean {
  if (page.hiddenFlags[i]) return false;
  // Depth-first over the element's children in document order, as textOf concatenates them.
  const stack: { children: readonly ChildNode[]; next: number }[] = [
    { children: page.elements[i]!.element.children, next: 0 },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.children.length) {
      stack.pop();
      continue;
    }
    const child = frame.children[frame.next++]!;
    if (child.type === "text") {
      if (NON_BLANK.test(child.data)) return mayStart(child.data, name);
      continue;
    }
    if (child.type !== "tag") continue;
    const index = (child as Element).index;
    if (index < 0 || page.hiddenFlags[index]) continue;
    stack.push({ children: child.children, next: 0 });
  }
  return false;
}

const NON_BLANK = /\S/;

type PageRanking = { prepared: PreparedPage; shortlist: number[]; candidates: PreparedElement[] };

/** The visible candidates worth scoring on this page, prepared. */
function pageCandidates(page: ParsedPage, target: PreparedElement): PageRanking {
  const prepared = new PreparedPage(page);
  const shortlist = shortlistPage(page, target);
  return { prepared, shortlist, candidates: shortlist.map((i) => prepared.get(i)) };
}

/** The old element's descriptor: given, found by the selector in previousDom, or from the selector. */
async function oldTarget(input: DomHealInput, model: HealingModel) {
  if (input.target) return { target: input.target, discount: 1 };
  if (input.previousDom) {
    const previous = parsePage(input.previousDom);
    const found = findOldElement(previous, input.selector);
    if (found) return { target: found.descriptor, discount: 1 };
    // A Playwright-style selector cannot be evaluated here: heal it against the old page first.
    // What the selector says is partial, so the model's confidence is low by design; on the old
    // page we ask instead for the one element that matches everything the selector says exactly.
    const partial = targetFromSelector(input.selector);
    if (partial) {
      const target = prepareElement(partial);
      const { shortlist, candidates } = pageCandidates(previous, target);
      const ranked = rankCandidates(modelFor(model, target, candidates), target, candidates);
      const exact = ranked.filter((entry) =>
        entry.scores.every((score) => score === null || score.score >= 0.99),
      );
      if (exact.length === 1)
        return { target: previous.elements[shortlist[exact[0]!.index]!]!.descriptor, discount: 1 };
    }
  }
  return resolveTarget(undefined, input.selector);
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
  };
  const resolved = await oldTarget(input, model);
  if (!resolved) return empty;
  const page = parsePage(input.dom);
  const target = prepareElement(resolved.target);
  const { prepared, shortlist, candidates } = pageCandidates(page, target);
  if (candidates.length === 0) return empty;
  const decision = await decide(
    modelFor(model, target, candidates),
    target,
    candidates,
    discountFor(model, resolved),
    opts.ai,
  );
  const top = decision.ranked[0];
  if (!top) return empty;
  // Alternatives carry a CSS selector only; the Playwright locator is for the answer.
  const alternatives = decision.alternatives.map((alternative) => ({
    selector: cssForPageElement(page, shortlist[alternative.index]!, candidates[alternative.index]!),
    confidence: alternative.confidence,
  }));
  if (!decision.healed)
    return { ...empty, confidence: decision.confidence, strategy: decision.strategy, alternatives };
  const selectors = selectorsForPageElement(prepared, shortlist[top.index]!, candidates[top.index]!);
  return {
    healed: true,
    confidence: decision.confidence,
    strategy: decision.strategy,
    selector: selectors.css,
    xpath: selectors.xpath,
    playwright: selectors.playwright,
    alternatives,
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
