/**
 * Playwright locators written as code (or printed by `locator.toString()`), and Cypress chains,
 * rewritten to the `>>` selector chain Playwright itself runs, which the engine reads
 * (docs/heal-api.md, "selector"):
 * `page.locator('#f').getByRole('button', { name: 'Save' }).first()` →
 * `#f >> internal:role=button[name="Save"i] >> nth=0`, and `page.locator('#save')` → `#save`.
 * Code with any other call is left alone (null).
 */

import { type CodeCall, type CodeValue, readLocatorCalls } from "./locator-code.ts";
import { engineValue, type TextMatch } from "./playwright-engines.ts";

/** A string or regex argument as a text match; `exact` from the options beside it. */
function textMatch(value: CodeValue | undefined, exact = false): TextMatch | null {
  if (value?.kind === "string") return { text: value.value, exact };
  if (value?.kind === "regex") return { regex: value.source, flags: value.flags };
  return null;
}

function options(call: CodeCall, at: number): Record<string, CodeValue> | null {
  const value = call.args[at];
  if (value === undefined) return {};
  return value.kind === "object" ? value.entries : null;
}

const isExact = (entries: Record<string, CodeValue>) =>
  entries.exact?.kind === "boolean" && entries.exact.value;

/**
 * `.filter({ hasText, hasNotText, has, hasNot })` and `locator(css, { … })` as filter parts, a
 * nested locator as the chain it stands for, quoted; null: other options.
 */
function filters(entries: Record<string, CodeValue>): string[] | null {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const match = textMatch(value);
    const nested = value.kind === "locator" ? selectorOf(value.calls) : null;
    if (key === "hasText" && match) parts.push(`internal:has-text=${engineValue(match)}`);
    else if (key === "hasNotText" && match) parts.push(`internal:has-not-text=${engineValue(match)}`);
    else if (key === "has" && nested) parts.push(`internal:has=${JSON.stringify(nested)}`);
    else if (key === "hasNot" && nested) parts.push(`internal:has-not=${JSON.stringify(nested)}`);
    else if (!(key === "visible" && value.kind === "boolean" && value.value)) return null;
  }
  return parts;
}

/** getBy* methods whose argument is an attribute's value, and the attribute. */
const BY_ATTRIBUTE: Record<string, string> = {
  getByTestId: "data-testid",
  getByPlaceholder: "placeholder",
  getByAltText: "alt",
  getByTitle: "title",
};

/**
 * Cypress commands and Testing Library's queries (for Cypress and others) that are Playwright's
 * steps under another name: `cy.get('.list').find('li').eq(2)`, `cy.findByRole('button', { name })`.
 */
const ALIASES: Record<string, string> = {
  get: "locator",
  find: "locator",
  eq: "nth",
  findByRole: "getByRole",
  findByText: "getByText",
  findByLabelText: "getByLabel",
  findByTestId: "getByTestId",
  findByPlaceholderText: "getByPlaceholder",
  findByAltText: "getByAltText",
  findByTitle: "getByTitle",
};

/**
 * Cypress's `contains(text)` (the deepest element holding the text) and `contains(selector, text)`
 * (the elements matching `selector` that hold it), case aside.
 */
function containsParts(call: CodeCall): string[] | null {
  const [first, second] = call.args;
  const textOnly = second === undefined || second.kind === "object";
  const text = textMatch(textOnly ? first : second);
  if (!text) return null;
  if (textOnly) return [`internal:text=${engineValue(text)}`];
  return first?.kind === "string" ? [first.value, `internal:has-text=${engineValue(text)}`] : null;
}

/** The selector parts one call stands for, or null when it is not a locator step read here. */
function partsOf(call: CodeCall, first: boolean): string[] | null {
  if (call.name === "contains") return containsParts(call);
  const entries = options(call, 1);
  if (entries === null) return null;
  const value = call.args[0];
  const name = ALIASES[call.name] ?? call.name;
  switch (name) {
    case "locator": {
      if (value?.kind !== "string") return null;
      const filtering = filters(entries);
      return filtering && [value.value, ...filtering];
    }
    case "filter": {
      const own = options(call, 0);
      return first || own === null ? null : filters(own);
    }
    case "first":
      return first ? null : ["nth=0"];
    case "last":
      return first ? null : ["nth=-1"];
    case "nth":
      return first || value?.kind !== "number" || !Number.isInteger(value.value)
        ? null
        : [`nth=${value.value}`];
    case "getByRole": {
      if (value?.kind !== "string") return null;
      const accessibleName = entries.name === undefined ? null : textMatch(entries.name, isExact(entries));
      if (entries.name !== undefined && accessibleName === null) return null;
      const named = accessibleName ? `[name=${engineValue(accessibleName)}]` : "";
      return [`internal:role=${value.value.toLowerCase()}${named}`];
    }
    case "getByText":
    case "getByLabel": {
      const match = textMatch(value, isExact(entries));
      return match && [`internal:${name === "getByText" ? "text" : "label"}=${engineValue(match)}`];
    }
    default: {
      const attribute = BY_ATTRIBUTE[name];
      // Test ids are matched exactly, as Playwright does.
      const match = textMatch(value, name === "getByTestId" || isExact(entries));
      if (!attribute || !match) return null;
      return [`internal:${name === "getByTestId" ? "testid" : "attr"}=[${attribute}=${engineValue(match)}]`];
    }
  }
}

/** The `>>` chain of a locator's calls; `leading`: the calls before the first one that is not a step. */
function selectorOf(calls: CodeCall[], leading = false): string | null {
  const parts: string[] = [];
  for (const [i, call] of calls.entries()) {
    const own = partsOf(call, i === 0);
    if (!own && leading && i > 0) break;
    if (!own) return null;
    parts.push(...own);
  }
  return parts.join(" >> ");
}

/**
 * The `>>` chain a Playwright locator written as code stands for, or null when it is not one.
 * `leading`: the locator `code` starts with, whatever follows it (`getByText('Save')).toBeVisible()`).
 */
export function chainedSelector(code: string, leading = false): string | null {
  const calls = readLocatorCalls(code, leading);
  return calls && selectorOf(calls, leading);
}
