// The explorer behind `shifty generate <app-url>`: visits same-origin pages in Chromium, tries what a
// user would (type and press Enter, fill and submit forms, click, check, select, double-click, Escape,
// follow links and hash routes), and records what each interaction changed. Every interaction is replayed
// from a fresh context, so each recorded interaction is a self-contained, independent test.

import type {
  GenerationAction as Action,
  GenerationEffect as Effect,
  Exploration,
  GenerationInteraction as Interaction,
  GenerationTarget as Target,
} from "@shifty/sdk";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { type ElementFacts, readDom } from "./explore-dom.ts";
import {
  arrivalOf,
  CONTROL_STATES,
  COUNT_ROLES,
  controlFacts,
  holds,
  locate,
  type Snap,
  stateEffect,
  targetFor,
} from "./explore-facts.ts";

export type ExploreOptions = {
  appUrl: string;
  maxPages: number;
  browserPath?: string;
  /** Interactions tried per page (each one replays its setup in a fresh context). */
  budgetPerPage?: number;
  log?: (line: string) => void;
};

/** `inPage`: a link that only changes the hash (a client-side route of the same document). */
type Move = { actions: Action[]; key: string; navigates?: boolean; inPage?: boolean };
type Run = { context: BrowserContext; page: Page };

const SAMPLE_TEXT = ["Buy milk", "Write tests", "Edited entry"];
const LONG_TEXT = "A longer entry that goes on and on to see how the page handles it. ".repeat(4).trim();

export async function launch(browserPath?: string): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: browserPath || undefined,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
}

export async function explore(browser: Browser, options: ExploreOptions): Promise<Exploration> {
  const origin = new URL(options.appUrl).origin;
  const start = relative(new URL(options.appUrl), origin)!;
  const queue = [start];
  const pages: Exploration["pages"] = [];
  const interactions: Interaction[] = [];
  while (queue.length && pages.length < options.maxPages) {
    const path = queue.shift()!;
    const run = await open(browser, origin, path, []);
    const snap = await snapshot(run.page);
    const arrival = await arrivalOf(run.page, snap).catch(() => []);
    await run.context.close();
    pages.push({
      path,
      title: snap.title.slice(0, 500),
      heading: snap.heading.slice(0, 500) || undefined,
      ...(arrival.length ? { arrival } : {}),
    });
    for (const el of snap.elements) {
      const link = el.href ? relative(new URL(el.href), origin) : null;
      if (link && !queue.includes(link) && !pages.some((p) => p.path === link)) queue.push(link);
    }
    options.log?.(`exploring ${path}`);
    interactions.push(...(await explorePage(browser, origin, path, options.budgetPerPage ?? 60)));
  }
  return { appUrl: options.appUrl, pages, interactions };
}

/** Same-origin http(s) URL → "/path?query#hash"; anything else → null. */
function relative(url: URL, origin: string): string | null {
  if (url.origin !== origin || !/^https?:$/.test(url.protocol)) return null;
  return url.pathname + url.search + url.hash;
}

async function open(browser: Browser, origin: string, path: string, setup: Action[]): Promise<Run> {
  const context = await browser.newContext({ baseURL: origin });
  const page = await context.newPage();
  page.setDefaultTimeout(3000);
  await page.goto(path);
  await settle(page);
  for (const action of setup) await perform(page, action);
  return { context, page };
}

/** Lets the page react: load, then two animation frames (handlers, re-renders and deferred focus). */
async function settle(page: Page) {
  await page.waitForLoadState("load").catch(() => {});
  await page
    .evaluate(
      () =>
        new Promise<void>((r) =>
          requestAnimationFrame(() => setTimeout(() => requestAnimationFrame(() => r()), 20)),
        ),
    )
    .catch(() => {});
}

async function perform(page: Page, action: Action) {
  const loc = action.target ? locate(page, action.target) : null;
  switch (action.type) {
    case "fill":
      await loc!.fill(action.value ?? "");
      break;
    case "press":
      await (loc ? loc.press(action.value ?? "Enter") : page.keyboard.press(action.value ?? "Enter"));
      break;
    case "select":
      await loc!.selectOption({ label: action.value ?? "" });
      break;
    case "goto":
      await page.goto(action.value ?? "/");
      break;
    case "reload":
      await page.reload();
      break;
    default:
      await loc![action.type]();
  }
  await settle(page);
}

async function snapshot(page: Page): Promise<Snap> {
  const dom = await page.evaluate(readDom);
  const counts: Record<string, number> = {};
  for (const role of COUNT_ROLES) counts[role] = await page.getByRole(role).count();
  return { ...dom, counts };
}

function sampleValue(el: ElementFacts, n: number): string {
  const hint = `${el.name} ${el.type}`.toLowerCase();
  let v = SAMPLE_TEXT[n % SAMPLE_TEXT.length]!;
  if (el.type === "email" || hint.includes("email")) v = "ada@example.com";
  else if (el.type === "number" || /quantity|age|amount/.test(hint)) v = "3";
  else if (el.type === "tel" || hint.includes("phone")) v = "5551234567";
  else if (el.type === "url") v = "https://example.com";
  else if (el.type === "date") v = "2026-01-15";
  else if (el.type === "password" || hint.includes("password")) v = "Secret-pass-123";
  else if (hint.includes("name")) v = "Ada Lovelace";
  while (v.length < el.minLength) v += " more";
  return v;
}

/** The moves worth trying in the current state, each with the targets it needs. */
async function movesFor(page: Page, snap: Snap, depth: number): Promise<Move[]> {
  const moves: Move[] = [];
  const targets = new Map<string, Target>();
  for (const el of snap.elements) {
    const t = await targetFor(page, el);
    if (t) targets.set(el.probe, t);
  }
  const add = (actions: Action[], navigates = false, inPage = false) =>
    moves.push({ actions, key: JSON.stringify(actions), navigates, inPage });
  const here = snap.url.split("#")[0];
  const forms = new Map<string, ElementFacts[]>();
  for (const el of snap.elements) if (el.form) forms.set(el.form, [...(forms.get(el.form) ?? []), el]);
  for (const fields of forms.values()) {
    const submit = fields.find((f) => f.kind === "button" && f.type !== "reset" && f.type !== "button");
    const fill = fields.filter((f) => f.kind === "textbox" && targets.has(f.probe));
    const choices = fields.filter(
      (f) => (f.kind === "combobox" || f.kind === "checkbox") && targets.has(f.probe),
    );
    if (!submit || !targets.has(submit.probe) || fill.length + choices.length < 2) continue;
    const actions: Action[] = fill.map((f) => ({
      type: "fill",
      target: targets.get(f.probe)!,
      value: sampleValue(f, 0),
    }));
    for (const f of fields) {
      const t = targets.get(f.probe);
      if (t && f.kind === "combobox" && f.options.length > 1)
        actions.push({ type: "select", target: t, value: f.options[1]! });
      if (t && f.kind === "checkbox" && !snap.checked[f.probe]) actions.push({ type: "check", target: t });
    }
    add([...actions, { type: "click", target: targets.get(submit.probe)! }]);
  }
  for (const el of snap.elements) {
    const t = targets.get(el.probe);
    if (!t || el.disabled) continue;
    switch (el.kind) {
      case "textbox":
        add([
          { type: "fill", target: t, value: sampleValue(el, depth) },
          { type: "press", target: t, value: "Enter" },
        ]);
        // A text area usually has a length limit (a counter, a validation): try a long text once.
        if (el.type === "textarea" && depth === 0) add([{ type: "fill", target: t, value: LONG_TEXT }]);
        break;
      case "button":
        add([{ type: "click", target: t }]);
        break;
      case "link": {
        const to = el.href ? new URL(el.href) : null;
        add([{ type: "click", target: t }], true, to !== null && to.pathname + to.search === here);
        break;
      }
      case "checkbox":
        add([{ type: snap.checked[el.probe] ? "uncheck" : "check", target: t }]);
        break;
      case "radio":
        if (!snap.checked[el.probe]) add([{ type: "check", target: t }]);
        break;
      case "combobox":
        for (const option of el.options.slice(1, 3)) add([{ type: "select", target: t, value: option }]);
        break;
      case "itemtext":
        add([{ type: "dblclick", target: t }]);
        break;
    }
  }
  if (depth > 0) add([{ type: "press", value: "Escape" }]);
  return moves;
}

/** What changed between two snapshots, as assertions that were checked to hold on the page now. */
async function effectsOf(page: Page, before: Snap, after: Snap, move: Move): Promise<Effect[]> {
  const effects: Effect[] = [];
  if (after.url !== before.url) effects.push({ kind: "url", value: after.url });
  const kept: Effect[] = [];
  for (const role of COUNT_ROLES) {
    const count: Effect = {
      kind: "count",
      target: { by: "role", role, name: "" },
      count: after.counts[role],
    };
    if (after.counts[role] !== before.counts[role]) effects.push(count);
    else if (role !== "checkbox" && after.counts[role]) kept.push(count);
  }
  let shown = 0;
  for (const text of Object.keys(after.texts)) {
    if (before.texts[text] || shown >= 5) continue;
    const loc = page.getByText(text, { exact: true });
    if ((await loc.count()) === 1 && (await loc.isVisible())) {
      effects.push({ kind: "text-visible", value: text });
      shown++;
    }
  }
  let gone = 0;
  for (const text of Object.keys(before.texts)) {
    if (after.texts[text] || gone >= 3) continue;
    const loc = page.getByText(text, { exact: true });
    if ((await loc.count()) <= 1 && (await loc.isHidden())) {
      effects.push({ kind: "text-gone", value: text });
      gone++;
    }
  }
  const filled = new Set(
    move.actions.filter((a) => a.type === "fill" || a.type === "select").map((a) => JSON.stringify(a.target)),
  );
  const last = move.actions[move.actions.length - 1]!;
  const typed = new Map(
    last.type === "fill"
      ? []
      : move.actions.filter((a) => a.type === "fill").map((a) => [JSON.stringify(a.target), a.value ?? ""]),
  );
  const stillDisabled: Effect[] = [];
  for (const el of after.elements) {
    const checkedChanged = el.probe in before.checked && before.checked[el.probe] !== after.checked[el.probe];
    const valueChanged = el.probe in before.values && before.values[el.probe] !== after.values[el.probe];
    const was = before.states[el.probe];
    const now = after.states[el.probe] ?? {};
    const stateChanged = was ? CONTROL_STATES.filter((a) => was[a] !== now[a]) : [];
    const enabledChanged = was !== undefined && was.disabled !== now.disabled;
    if (was?.disabled === "true" && now.disabled === "true" && stillDisabled.length < 2) {
      const t = await targetFor(page, el);
      if (t) stillDisabled.push({ kind: "enabled", target: t, enabled: false });
    }
    // A field the move typed into and then submitted may have been cleared (or rewritten) by the page.
    const submitted = typed.size > 0 && el.kind === "textbox" && el.probe in before.values;
    if (!checkedChanged && !valueChanged && !stateChanged.length && !enabledChanged && !submitted) continue;
    const t = await targetFor(page, el);
    if (!t) continue;
    const key = JSON.stringify(t);
    const value: Effect = { kind: "value", target: t, value: after.values[el.probe]! };
    if (checkedChanged) effects.push({ kind: "checked", target: t, checked: after.checked[el.probe]! });
    else if (typed.has(key)) {
      // Enter in a text area adds a line break: typing, not the page rewriting the field.
      if (typed.get(key)!.trim() !== after.values[el.probe]!.trim()) effects.push(value);
    } else if (valueChanged && !filled.has(key)) effects.push(value);
    for (const attribute of stateChanged) effects.push(stateEffect(t, attribute, now[attribute]));
    if (enabledChanged) effects.push({ kind: "enabled", target: t, enabled: now.disabled !== "true" });
  }
  // A list that kept its length (a filter that lets every item through, an edit) and controls that stayed
  // disabled (a save that an invalid entry must not enable) are asserted too, so a move that wrongly drops
  // items or enables a control fails; only when the move changed something else.
  if (effects.length) effects.push(...kept, ...stillDisabled);
  // Controls the move revealed (a tab's panel, a route, an editor): the states they appear in.
  let revealed = 0;
  for (const el of after.elements) {
    if (revealed >= 4 || el.probe in before.states) continue;
    const facts = await controlFacts(page, after, el);
    effects.push(...facts.slice(0, 4 - revealed));
    revealed += facts.length;
  }
  return effects;
}

const changesState = (e: Effect) =>
  e.kind === "count" ||
  e.kind === "text-visible" ||
  e.kind === "checked" ||
  e.kind === "enabled" ||
  e.kind === "attribute";

async function explorePage(
  browser: Browser,
  origin: string,
  path: string,
  budget: number,
): Promise<Interaction[]> {
  const states: { setup: Action[]; depth: number }[] = [{ setup: [], depth: 0 }];
  const expanded = [0, 0, 0];
  const effectful = new Set<string>();
  const out: Interaction[] = [];
  let tried = 0;
  for (let i = 0; i < states.length && tried < budget; i++) {
    const state = states[i]!;
    let moves: Move[] = [];
    const base = await open(browser, origin, path, state.setup).catch(() => null);
    if (!base) continue;
    try {
      moves = await movesFor(base.page, await snapshot(base.page), state.depth);
    } finally {
      await base.context.close();
    }
    for (const move of moves) {
      if (tried >= budget) break;
      // Deeper states retry clicks that already did something on the fresh page (filter after adding,
      // reset after a change, checkout after filling the cart); other repeats would say nothing new.
      const repeat =
        effectful.has(move.key) && !(move.actions.length === 1 && move.actions[0]!.type === "click");
      // Deeper states follow only in-page routes ("add, then open the cart"), not other documents.
      if (state.depth > 0 && ((move.navigates && !move.inPage) || repeat)) continue;
      tried++;
      const result = await tryMove(browser, origin, path, state.setup, move).catch(() => null);
      if (!result || result.effects.length === 0) continue;
      const actions = [...state.setup, ...result.actions];
      out.push({
        path,
        setup: actions.slice(0, -1),
        action: actions[actions.length - 1]!,
        effects: result.effects,
        ...(result.persisted.length ? { persisted: result.persisted } : {}),
      });
      if (state.depth === 0) effectful.add(move.key);
      const next = state.depth + 1;
      if (
        (!move.navigates || (move.inPage && state.depth > 0)) &&
        next <= 2 &&
        expanded[next]! < (next === 1 ? 4 : 6) &&
        result.effects.some(changesState)
      ) {
        expanded[next]!++;
        states.push({ setup: actions, depth: next });
      }
    }
  }
  return out;
}

/**
 * A key pressed on the page (no target) goes to whatever has the focus, and a page may move the focus
 * after a delay (an editor focused in a timer): the action names the focused element, so the spec waits
 * for it to be focused before pressing instead of racing the page.
 */
async function withFocus(page: Page, action: Action, current: Snap | null): Promise<Action> {
  if (action.type !== "press" || action.target) return action;
  const snap = current ?? (await snapshot(page));
  const el = snap.elements.find((e) => e.probe === snap.focused);
  const focused = el ? await targetFor(page, el) : null;
  return focused ? { ...action, focused } : action;
}

async function tryMove(browser: Browser, origin: string, path: string, setup: Action[], move: Move) {
  const run = await open(browser, origin, path, setup);
  try {
    const before = await snapshot(run.page);
    const actions: Action[] = [];
    for (const action of move.actions) {
      const done = await withFocus(run.page, action, actions.length ? null : before);
      await perform(run.page, done);
      actions.push(done);
    }
    const after = await snapshot(run.page);
    const effects = await effectsOf(run.page, before, after, move);
    const persisted: Effect[] = [];
    if (effects.length && after.storage !== before.storage && !move.navigates) {
      await run.page.reload();
      await settle(run.page);
      for (const e of effects) if (await holds(run.page, e)) persisted.push(e);
    }
    return { effects, persisted, actions };
  } finally {
    await run.context.close();
  }
}
