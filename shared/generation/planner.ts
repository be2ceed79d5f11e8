// The deterministic test planner: an exploration (what the CLI saw each interaction change) becomes a
// test plan. No model and no randomness: the same exploration always gives the same plan, so a suite can
// be regenerated and diffed. Rendering the plan into spec source is in ./render.ts.
import type { Action, Effect, Exploration, Interaction, Target } from "../contract/generation.ts";

export type PlannedTest = {
  /** The spec file it belongs in (one per start page). */
  file: string;
  name: string;
  intent: string;
  path: string;
  steps: Action[];
  assertions: Effect[];
  /** Assertions that must still hold after `page.reload()`. */
  afterReload: Effect[];
};

export type TestPlan = { tests: PlannedTest[]; pages: number; interactions: number };

const MAX_ASSERTIONS = 8;
/** An arrival test checks a whole page at once, so it may assert more. */
const MAX_ARRIVAL_ASSERTIONS = 14;
const EFFECT_ORDER: Effect["kind"][] = [
  "url",
  "count",
  "text-visible",
  "text-gone",
  "checked",
  "attribute",
  "enabled",
  "value",
];

/** Plans at most `maxTests` tests, keeping the most telling interactions and the exploration's order. */
export function planTests(exploration: Exploration, options: { maxTests: number }): TestPlan {
  const seen = new Set<string>();
  const candidates: { test: PlannedTest; score: number; order: number }[] = [];
  // Arrival tests come first in their file and outrank the rest: what a page shows when a user lands on
  // it is what every other test starts from.
  exploration.pages.forEach((page, i) => {
    const assertions = pickAssertions(page.arrival ?? [], MAX_ARRIVAL_ASSERTIONS);
    if (assertions.length === 0) return;
    const shows = assertions.slice(0, 3).map(effectPhrase).join(", ");
    candidates.push({
      test: {
        file: fileFor(page.path),
        name: truncate(`opening ${page.path} ${effectPhrase(assertions[0]!)}`, 140),
        intent: truncate(`landing on ${page.path} in a fresh browser ${shows}.`, 200),
        path: page.path,
        steps: [],
        assertions,
        afterReload: [],
      },
      score: 1_000_000,
      order: i - exploration.pages.length,
    });
  });
  exploration.interactions.forEach((interaction, order) => {
    const assertions = pickAssertions(interaction.effects);
    if (assertions.length === 0) return; // nothing observable changed: a test would check nothing
    const key = JSON.stringify([interaction.path, interaction.setup, interaction.action]);
    const outcome = JSON.stringify([interaction.path, interaction.setup.length, assertions]);
    if (seen.has(key) || seen.has(outcome)) return;
    seen.add(key);
    seen.add(outcome);
    const afterReload = pickAssertions(interaction.persisted ?? []);
    candidates.push({
      test: {
        file: fileFor(interaction.path),
        name: nameOf(interaction, assertions, afterReload.length > 0),
        intent: intentOf(interaction, assertions),
        path: interaction.path,
        steps: [...interaction.setup, interaction.action],
        assertions,
        afterReload,
      },
      score: scoreOf(interaction, assertions, afterReload),
      order,
    });
  });
  const kept = spread(candidates, options.maxTests)
    .sort((a, b) => a.order - b.order)
    .map((c) => c.test);
  return {
    tests: uniqueNames(kept),
    pages: exploration.pages.length,
    interactions: exploration.interactions.length,
  };
}

/** Each earlier pick that ends with the same action costs a candidate this much of its score. */
const REPEAT_PENALTY = 6;
/**
 * A candidate that shows or removes a text no picked test asserts yet gains this much: a message that
 * appears only after one move (a validation error, a confirmation) is what a mutant of that move changes,
 * and it must not lose its place to many routes that each re-assert the same navigation.
 */
const NEW_TEXT_BONUS = 30;

/**
 * A candidate all of whose assertions some picked test already asserts loses this much: it only adds
 * another route to a state the suite already checks.
 */
const NOTHING_NEW_PENALTY = 20;

/** The text assertions of a test, as keys comparable across tests and pages. */
function textKeys(test: PlannedTest): string[] {
  return test.assertions
    .filter((a) => a.kind === "text-visible" || a.kind === "text-gone")
    .map((a) => JSON.stringify([a.kind, a.value]));
}

/** Every assertion of a test (after a reload too), as keys comparable across tests and pages. */
function assertionKeys(test: PlannedTest): string[] {
  return [...test.assertions, ...test.afterReload.map((a) => ({ ...a, reload: true }))].map((a) =>
    JSON.stringify(a),
  );
}

/**
 * The `max` best candidates, picked one at a time: a candidate whose last action (the move under test)
 * was already picked loses REPEAT_PENALTY per earlier pick, so the suite covers more different moves
 * instead of one move after many different setups; one that asserts a text no earlier pick asserts gains
 * NEW_TEXT_BONUS (once, however many new texts) and one that asserts nothing an earlier pick does not
 * loses NOTHING_NEW_PENALTY. Deterministic: ties keep the exploration's order.
 */
function spread<T extends { test: PlannedTest; score: number; order: number }>(
  candidates: T[],
  max: number,
): T[] {
  // Each candidate's keys are computed once, not again in every round of the selection.
  const left = candidates.map((c) => ({
    c,
    texts: textKeys(c.test),
    keys: assertionKeys(c.test),
    move: JSON.stringify([c.test.path, c.test.steps.at(-1) ?? null]),
  }));
  const picked: T[] = [];
  const uses = new Map<string, number>();
  const asserted = new Set<string>();
  const checked = new Set<string>();
  while (picked.length < max && left.length) {
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    left.forEach(({ c, texts, keys, move }, i) => {
      const fresh = texts.some((k) => !asserted.has(k)) ? NEW_TEXT_BONUS : 0;
      const stale = keys.every((k) => checked.has(k)) ? NOTHING_NEW_PENALTY : 0;
      const score = c.score + fresh - stale - REPEAT_PENALTY * (uses.get(move) ?? 0);
      if (score > bestScore || (score === bestScore && c.order < left[best]!.c.order)) {
        best = i;
        bestScore = score;
      }
    });
    const [chosen] = left.splice(best, 1);
    const { c, texts, keys, move } = chosen!;
    picked.push(c);
    for (const k of texts) asserted.add(k);
    for (const k of keys) checked.add(k);
    uses.set(move, (uses.get(move) ?? 0) + 1);
  }
  return picked;
}

/**
 * Up to `max` assertions ordered by kind (URL, counts, texts, then control states). Each kind of effect
 * gets a place before a kind gets a second one, so a move that shows many texts still asserts the tab it
 * selected or the button it disabled.
 */
function pickAssertions(effects: Effect[], max = MAX_ASSERTIONS): Effect[] {
  const rank = (e: Effect) => EFFECT_ORDER.indexOf(e.kind);
  const unique = new Map<string, Effect>();
  for (const e of effects) unique.set(JSON.stringify(e), e);
  const ranked = [...unique.values()]
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i);
  const firsts = ranked.filter((r, j) => j === 0 || ranked[j - 1]!.e.kind !== r.e.kind);
  const chosen = new Set(firsts.slice(0, max));
  for (const r of ranked) if (chosen.size < max) chosen.add(r);
  return ranked.filter((r) => chosen.has(r)).map(({ e }) => e);
}

/** Short setups first; more kinds of effect and persistence make a test more telling. */
function scoreOf(interaction: Interaction, assertions: Effect[], afterReload: Effect[]): number {
  const kinds = new Set(assertions.map((a) => a.kind)).size;
  return (
    kinds * 10 + Math.min(assertions.length, 5) + (afterReload.length ? 8 : 0) - interaction.setup.length
  );
}

export function fileFor(path: string): string {
  const clean = path
    .replace(/^\/+/, "")
    .replace(/\?[^#]*/, "")
    .replace(/\.html?(?=$|#)/, "")
    .replace(/^index(?=$|#)/, "")
    .replace(/[^a-zA-Z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return `${clean === "" || clean === "index" ? "home" : clean.slice(0, 60)}.spec.ts`;
}

export function describeTarget(target: Target | undefined): string {
  if (!target) return "the page";
  const where = target.within ? ` in the ${target.within.role} "${target.within.hasText}"` : "";
  switch (target.by) {
    case "role":
      return target.name ? `the "${target.name}" ${target.role}${where}` : `the ${target.role}${where}`;
    case "label":
      return `the "${target.name}" field${where}`;
    case "placeholder":
      return `the "${target.name}" field${where}`;
    case "testid":
      return `${target.name.replace(/[-_]+/g, " ")}${where}`;
    default:
      return `"${target.name}"${where}`;
  }
}

function actionPhrase(steps: Action[]): string {
  const action = steps[steps.length - 1]!;
  const before = steps[steps.length - 2];
  const what = describeTarget(action.target);
  switch (action.type) {
    case "press":
      if (action.value === "Enter" && before?.type === "fill")
        return `submitting "${before.value}" in ${describeTarget(before.target)}`;
      return `pressing ${action.value} in ${what}`;
    case "click":
      return `clicking ${what}`;
    case "dblclick":
      return `double-clicking ${what}`;
    case "check":
      return `checking ${what}`;
    case "uncheck":
      return `unchecking ${what}`;
    case "select":
      return `choosing "${action.value}" in ${what}`;
    case "fill":
      return `typing "${action.value}" in ${what}`;
    case "goto":
      return `opening ${action.value}`;
    default:
      return "reloading the page";
  }
}

export function effectPhrase(effect: Effect): string {
  switch (effect.kind) {
    case "url":
      return `goes to ${effect.value}`;
    case "count":
      return `shows ${effect.count} × ${describeTarget(effect.target).replace(/^the /, "")}`;
    case "text-visible":
      return `shows "${effect.value}"`;
    case "text-gone":
      return `removes "${effect.value}"`;
    case "checked":
      return `${effect.checked ? "checks" : "unchecks"} ${describeTarget(effect.target)}`;
    case "enabled":
      return `${effect.enabled ? "enables" : "disables"} ${describeTarget(effect.target)}`;
    case "attribute":
      return effect.value === undefined
        ? `clears ${effect.attribute} of ${describeTarget(effect.target)}`
        : `sets ${effect.attribute} of ${describeTarget(effect.target)} to "${effect.value}"`;
    default:
      return `sets ${describeTarget(effect.target)} to "${effect.value}"`;
  }
}

function nameOf(interaction: Interaction, assertions: Effect[], persisted: boolean): string {
  const steps = [...interaction.setup, interaction.action];
  const context = interaction.setup.length > 1 ? ` (after ${setupSummary(interaction.setup)})` : "";
  const keep = persisted ? " and keeps it after a reload" : "";
  return truncate(
    `${actionPhrase(steps)} ${effectPhrase(headline(interaction, assertions))}${keep}${context}`,
    140,
  );
}

/**
 * The effect a test is named after: the first one the explorer recorded that the test asserts (the
 * explorer lists what changed before what it re-asserts unchanged, such as a list that kept its length).
 */
function headline(interaction: Interaction, assertions: Effect[]): Effect {
  const asserted = new Set(assertions.map((a) => JSON.stringify(a)));
  return interaction.effects.find((e) => asserted.has(JSON.stringify(e))) ?? assertions[0]!;
}

function setupSummary(setup: Action[]): string {
  const entered = setup.filter((s) => s.type === "fill").map((s) => `"${s.value}"`);
  const clicks = setup.filter((s) => s.type !== "fill" && s.type !== "press").length;
  const parts = [
    entered.length ? `entering ${entered.join(", ")}` : "",
    clicks ? `${clicks} more step(s)` : "",
  ];
  return parts.filter(Boolean).join(" and ");
}

function intentOf(interaction: Interaction, assertions: Effect[]): string {
  const steps = [...interaction.setup, interaction.action];
  const effects = assertions.slice(0, 3).map(effectPhrase).join(", ");
  return truncate(`${actionPhrase(steps)} ${effects}.`, 200);
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function uniqueNames(tests: PlannedTest[]): PlannedTest[] {
  const used = new Map<string, number>();
  return tests.map((t) => {
    const key = `${t.file}\u0000${t.name}`;
    const n = (used.get(key) ?? 0) + 1;
    used.set(key, n);
    return n === 1 ? t : { ...t, name: `${t.name} (${n})` };
  });
}
