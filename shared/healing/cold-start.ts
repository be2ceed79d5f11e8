/**
 * Cold start: with no descriptor of the old element, the failing selector itself still says
 * something (an id, a class, a role and name, a text). We build a partial target from it.
 * Supports CSS compound selectors, XPath predicates and Playwright locator strings; Selenium and
 * Cypress locators are first rewritten to one of those (foreign-locators.ts).
 */
import { nativeSelector } from "./foreign-locators.ts";
import { chainedSelector } from "./locator-chains.ts";
import { type EnginePart, plainText, readEngine, splitChain } from "./playwright-engines.ts";
import type { ElementDescriptor } from "./types.ts";

type Partial = {
  tag: string;
  attributes: Record<string, string>;
  text?: string;
  role?: string;
  name?: string;
};

/**
 * Evidence from one of Playwright's engines: the `internal:` ones getBy* locators are read as, and
 * the older `text=`, `role=`, `id=`, `data-testid=` (playwright-engines.ts).
 */
function fromEngine(engine: EnginePart): Partial | null {
  const partial: Partial = { tag: "", attributes: {} };
  switch (engine.engine) {
    case "role":
      partial.role = engine.role;
      if (engine.name) partial.name = plainText(engine.name);
      return partial;
    case "text":
    case "has-text":
      partial.text = plainText(engine.match);
      return partial;
    case "label":
      partial.name = plainText(engine.match);
      return partial;
    case "attr":
      partial.attributes[engine.attribute] = plainText(engine.match);
      return partial;
    default:
      return null;
  }
}

/** The last step of an XPath carries the element itself; ancestors are context we ignore. */
export function fromXpath(xpath: string): Partial | null {
  const steps = xpath
    .trim()
    .split(/\/(?![^[]*\])/)
    .filter((step) => step !== "");
  const last = steps.at(-1);
  if (!last) return null;
  const tagMatch = /^([a-zA-Z][\w-]*|\*)/.exec(last);
  const partial: Partial = {
    tag: tagMatch && tagMatch[1] !== "*" ? tagMatch[1]!.toLowerCase() : "",
    attributes: {},
  };
  const value = String.raw`\s*(?:'([^']*)'|"([^"]*)")\s*`;
  for (const m of last.matchAll(new RegExp(String.raw`@([\w:-]+)\s*=` + value, "g"))) {
    partial.attributes[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? "";
  }
  for (const m of last.matchAll(
    new RegExp(String.raw`contains\(\s*@([\w:-]+)\s*,` + value + String.raw`\)`, "g"),
  )) {
    const name = m[1]!.toLowerCase();
    const found = m[2] ?? m[3] ?? "";
    partial.attributes[name] = partial.attributes[name] ? `${partial.attributes[name]} ${found}` : found;
  }
  const text = new RegExp(
    String.raw`(?:contains\(\s*(?:text\(\)|\.|normalize-space\((?:\.|text\(\))?\))\s*,` +
      value +
      String.raw`\)|(?:text\(\)|\.|normalize-space\((?:\.|text\(\))?\))\s*=` +
      value +
      ")",
  ).exec(last);
  if (text) partial.text = text[1] ?? text[2] ?? text[3] ?? text[4] ?? "";
  if (!tagMatch && Object.keys(partial.attributes).length === 0 && partial.text === undefined) return null;
  return partial;
}

/** Splits at combinators outside brackets, parentheses and quotes, and keeps the last compound. */
function lastCompound(selector: string): string {
  let depth = 0;
  let quote = "";
  let start = 0;
  const firstAlternative = selector.split(/,(?![^[(]*[\])])/)[0] ?? selector;
  for (let i = 0; i < firstAlternative.length; i++) {
    const char = firstAlternative[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = "";
    } else if (char === '"' || char === "'") quote = char;
    else if (char === "[" || char === "(") depth++;
    else if (char === "]" || char === ")") depth--;
    else if (depth === 0 && /[\s>+~]/.test(char)) start = i + 1;
  }
  return firstAlternative.slice(start).trim();
}

export function fromCss(selector: string): Partial | null {
  const compound = lastCompound(selector);
  if (compound === "") return null;
  const partial: Partial = { tag: "", attributes: {} };
  const tag = /^([a-zA-Z][\w-]*)/.exec(compound);
  if (tag) partial.tag = tag[1]!.toLowerCase();
  const classes: string[] = [];
  const escaped = String.raw`((?:\\.|[\w-])+)`;
  for (const m of compound.matchAll(new RegExp(`([#.])${escaped}`, "g"))) {
    const value = m[2]!.replace(/\\(.)/g, "$1");
    if (m[1] === "#") partial.attributes.id = value;
    else classes.push(value);
  }
  if (classes.length > 0) partial.attributes.class = classes.join(" ");
  for (const m of compound.matchAll(
    /\[\s*([\w:-]+)\s*(?:[~|^$*]?=\s*(?:"([^"]*)"|'([^']*)'|([^\]\s]*)))?\s*i?\s*\]/g,
  )) {
    partial.attributes[m[1]!.toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
  }
  const text = /:(?:has-text|text|text-is|contains)\(\s*(?:"([^"]*)"|'([^']*)')\s*\)/.exec(compound);
  if (text) partial.text = text[1] ?? text[2] ?? "";
  if (!tag && Object.keys(partial.attributes).length === 0 && partial.text === undefined) return null;
  return partial;
}

/** Evidence from one part of a selector chain. */
function fromPart(part: string): Partial | null {
  const engine = readEngine(part);
  if (engine) return fromEngine(engine);
  const explicit = /^(css|xpath)\s*=\s*([\s\S]+)$/.exec(part);
  if (explicit) return explicit[1] === "css" ? fromCss(explicit[2]!) : fromXpath(explicit[2]!);
  if (/^(\(|\.?\/)/.test(part)) return fromXpath(part);
  return fromCss(part);
}

/**
 * The selector as the engine reads it: Selenium, Cypress and Playwright code rewritten
 * (foreign-locators.ts), and a getBy* call inside other code (`expect(page.getByText('Saved'))`)
 * read from the last such call.
 */
function readable(selector: string): string {
  const native = nativeSelector(selector).trim();
  const call = native.lastIndexOf("getBy");
  if (native !== selector.trim() || call < 0) return native;
  return chainedSelector(native.slice(call), true) ?? native;
}

/**
 * Builds a partial ElementDescriptor from a selector string, or null when nothing can be learned.
 * Of a `>>` chain, the last part that names an element describes it; `nth=` parts after it pick
 * among matches and say nothing, `has-text` filters after it give its text, other filters nothing.
 */
export function targetFromSelector(selector: string): ElementDescriptor | null {
  const parts = splitChain(readable(selector));
  const texts: string[] = [];
  let last = parts.length - 1;
  for (; last > 0; last--) {
    const part = parts[last]!;
    // Every internal:has… part is a filter on the part before it.
    const filter = part.startsWith("internal:has") ? readEngine(part) : null;
    if (filter?.engine === "has-text") texts.unshift(plainText(filter.match));
    else if (!/^nth=-?\d+$/.test(part) && !filter) break;
  }
  const partial = parts[last] ? fromPart(parts[last]!) : null;
  if (!partial) return null;
  if (partial.text === undefined && texts.length > 0) partial.text = texts.join(" ");
  const descriptor: ElementDescriptor = { tag: partial.tag, attributes: partial.attributes };
  if (partial.text !== undefined) descriptor.text = partial.text;
  if (partial.role !== undefined) descriptor.role = partial.role.toLowerCase();
  if (partial.name !== undefined) descriptor.accessibleName = partial.name;
  return descriptor;
}

/** The kinds of locator a test author writes, in the order they are usually preferred. */
export const COLD_START_KINDS = ["testId", "id", "role", "label", "text", "css", "xpath"] as const;
export type ColdStartKind = (typeof COLD_START_KINDS)[number];
export type ColdStartSelector = { kind: ColdStartKind; selector: string };

const TEST_ID_NAMES = ["data-testid", "data-test-id", "data-test", "data-qa", "data-cy"] as const;
/** Names and texts longer than this are not what anyone writes in a locator. */
const MAX_LOCATOR_TEXT = 40;

function js(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function quoted(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

function short(text: string | undefined): string {
  const collapsed = (text ?? "").replace(/\s+/g, " ").trim();
  return collapsed.length > 0 && collapsed.length <= MAX_LOCATOR_TEXT ? collapsed : "";
}

/**
 * The locators a test author would have written for this element, one per kind it supports
 * (test id, id, role + name, label / placeholder, text, tag + class or name, xpath). Used to turn
 * labelled heals into cold-start examples: what the engine sees when only the selector survives.
 * `role` and `name` are the element's ARIA role and accessible name, when known.
 */
export function coldStartSelectors(
  descriptor: ElementDescriptor,
  role: string | null = descriptor.role ?? null,
  name: string = descriptor.accessibleName ?? "",
): ColdStartSelector[] {
  const tag = descriptor.tag.toLowerCase();
  const attributes = descriptor.attributes ?? {};
  const result: ColdStartSelector[] = [];
  for (const attribute of TEST_ID_NAMES) {
    const value = attributes[attribute]?.trim();
    if (!value) continue;
    result.push({
      kind: "testId",
      selector: attribute === "data-testid" ? `getByTestId(${js(value)})` : `[${attribute}=${quoted(value)}]`,
    });
    break;
  }
  const id = attributes.id?.trim();
  if (id && !/^:r[0-9a-z]+:$/i.test(id))
    result.push({ kind: "id", selector: /^[A-Za-z][\w-]*$/.test(id) ? `#${id}` : `[id=${quoted(id)}]` });
  const accessibleName = short(name);
  if (role && accessibleName)
    result.push({ kind: "role", selector: `getByRole(${js(role)}, { name: ${js(accessibleName)} })` });
  const placeholder = short(attributes.placeholder);
  if (placeholder) result.push({ kind: "label", selector: `getByPlaceholder(${js(placeholder)})` });
  else if (/^(input|select|textarea)$/.test(tag) && accessibleName)
    result.push({ kind: "label", selector: `getByLabel(${js(accessibleName)})` });
  const text = short(descriptor.text);
  if (text) result.push({ kind: "text", selector: `text=${text}` });
  const stableClass = (attributes.class ?? "")
    .split(/\s+/)
    .find((token) => /^[a-z][a-z0-9-]*$/i.test(token) && !/\d/.test(token));
  const fieldName = attributes.name?.trim();
  if (fieldName) result.push({ kind: "css", selector: `${tag}[name=${quoted(fieldName)}]` });
  else if (stableClass) result.push({ kind: "css", selector: `${tag}.${stableClass}` });
  const typed = attributes.type ? `[@type='${attributes.type.replace(/'/g, "")}']` : "";
  if (text && !text.includes("'"))
    result.push({ kind: "xpath", selector: `//${tag}${typed}[normalize-space()='${text}']` });
  else if (attributes.href && !attributes.href.includes("'"))
    result.push({ kind: "xpath", selector: `//${tag}[@href='${attributes.href}']` });
  return result;
}
