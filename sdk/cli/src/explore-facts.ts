// What the explorer asserts and how it finds elements: user-facing locators checked to resolve to exactly
// one element, whether an effect holds on the page as a web-first assertion would see it, and the facts
// a page shows when a user lands on it (docs/test-generation.md, "Explore").
import type { GenerationEffect as Effect, GenerationTarget as Target } from "@shifty/sdk";
import type { Locator, Page } from "playwright-core";
import type { DomSnapshot, ElementFacts } from "./explore-dom.ts";

export type Snap = DomSnapshot & { counts: Record<string, number> };

export const COUNT_ROLES = ["listitem", "row", "checkbox"] as const;

export function locate(page: Page, t: Target): Locator {
  const scope = t.within
    ? page.getByRole(t.within.role as "listitem").filter({ hasText: t.within.hasText })
    : page;
  const exact = t.exact !== false;
  switch (t.by) {
    case "role":
      return t.name
        ? scope.getByRole(t.role as "button", { name: t.name, exact })
        : scope.getByRole(t.role as "button");
    case "label":
      return scope.getByLabel(t.name, { exact });
    case "placeholder":
      return scope.getByPlaceholder(t.name, { exact });
    case "testid":
      return scope.getByTestId(t.name);
    default:
      return scope.getByText(t.name, { exact });
  }
}

/** The first user-facing locator that resolves to exactly this element. */
export async function targetFor(page: Page, el: ElementFacts): Promise<Target | null> {
  const tries: Target[] = [];
  if (el.role && el.name) tries.push({ by: "role", role: el.role, name: el.name });
  if (el.label) tries.push({ by: "label", name: el.label });
  if (el.placeholder) tries.push({ by: "placeholder", name: el.placeholder });
  if (el.kind === "itemtext" && el.text) tries.push({ by: "text", name: el.text });
  if (el.testid) tries.push({ by: "testid", name: el.testid });
  if (el.container?.text) {
    const within = { role: el.container.role, hasText: el.container.text };
    if (el.role && el.name) tries.push({ by: "role", role: el.role, name: el.name, within });
    if (el.role) tries.push({ by: "role", role: el.role, name: "", within });
  }
  for (const t of tries) {
    const loc = locate(page, t);
    if ((await loc.count().catch(() => 0)) !== 1) continue;
    if ((await loc.getAttribute("data-shifty-probe").catch(() => null)) === el.probe) return t;
  }
  return null;
}

export const CONTROL_STATES = ["aria-pressed", "aria-selected", "aria-expanded", "aria-current"] as const;

export function stateEffect(
  target: Target,
  attribute: (typeof CONTROL_STATES)[number],
  value?: string,
): Effect {
  return value === undefined
    ? { kind: "attribute", target, attribute }
    : { kind: "attribute", target, attribute, value };
}

/**
 * What a page shows when a user lands on it: the counts of repeated items, texts (those with digits
 * first: counters, totals, prices), checked and disabled controls, declared ARIA states and field
 * values. Each one is checked to hold as an assertion would, so the arrival test passes as planned.
 */
export async function arrivalOf(page: Page, snap: Snap): Promise<Effect[]> {
  const effects: Effect[] = [];
  for (const role of COUNT_ROLES) {
    if (snap.counts[role])
      effects.push({ kind: "count", target: { by: "role", role, name: "" }, count: snap.counts[role] });
  }
  const named = new Set(snap.elements.map((e) => e.name));
  const texts = Object.keys(snap.texts)
    .filter((t) => !named.has(t))
    .map((t, i) => ({ t, rank: (/\d/.test(t) ? 0 : 1) * 1000 + i }))
    .sort((a, b) => a.rank - b.rank)
    .map((x) => x.t);
  let shown = 0;
  for (const text of texts) {
    if (shown >= 5) break;
    const e: Effect = { kind: "text-visible", value: text };
    if (await holds(page, e)) {
      effects.push(e);
      shown++;
    }
  }
  for (const el of snap.elements) effects.push(...(await controlFacts(page, snap, el)));
  return effects;
}

/** Whether an effect still holds on the page (after a reload). */
export async function holds(page: Page, effect: Effect): Promise<boolean> {
  try {
    switch (effect.kind) {
      case "count":
        return (await locate(page, effect.target!).count()) === effect.count;
      case "text-visible": {
        const loc = page.getByText(effect.value!, { exact: true });
        return (await loc.count()) === 1 && (await loc.isVisible());
      }
      case "text-gone": {
        const loc = page.getByText(effect.value!, { exact: true });
        return (await loc.count()) <= 1 && (await loc.isHidden());
      }
      case "checked":
        return (await locate(page, effect.target!).isChecked()) === effect.checked;
      case "enabled":
        return (await locate(page, effect.target!).isEnabled()) === effect.enabled;
      case "attribute":
        return (
          ((await locate(page, effect.target!).getAttribute(effect.attribute!)) ?? undefined) === effect.value
        );
      case "value":
        return (await locate(page, effect.target!).inputValue()) === effect.value;
      default:
        return false;
    }
  } catch {
    return false;
  }
}

/**
 * The states a control is in that a user would notice, checked to hold now: checked, disabled, and
 * the ARIA states it declares as on (a pressed filter, the selected tab, the current step), plus a
 * field's value. Used for a page a user lands on and for controls a move revealed.
 */
export async function controlFacts(page: Page, snap: Snap, el: ElementFacts): Promise<Effect[]> {
  if (el.kind === "itemtext") return [];
  const state = snap.states[el.probe] ?? {};
  const facts: Omit<Effect, "target">[] = [];
  if (snap.checked[el.probe]) facts.push({ kind: "checked", checked: true });
  if (state.disabled === "true") facts.push({ kind: "enabled", enabled: false });
  for (const a of CONTROL_STATES)
    if (state[a] && state[a] !== "false") facts.push({ kind: "attribute", attribute: a, value: state[a] });
  if (snap.values[el.probe]) facts.push({ kind: "value", value: snap.values[el.probe]! });
  if (!facts.length) return [];
  const target = await targetFor(page, el);
  if (!target) return [];
  const out: Effect[] = [];
  for (const f of facts) {
    const e: Effect = { ...f, target };
    if (await holds(page, e)) out.push(e);
  }
  return out;
}
