/**
 * Robust selectors for a healed element. Preference follows what survives redesigns best:
 * test id > role + name > placeholder / label > text > stable id > short CSS > positional path.
 * Every CSS selector returned for the DOM form is verified to match exactly that element.
 */
import { selectAll } from "css-select";
import type { AnyNode, Element } from "domhandler";
import type { ParsedPage } from "./dom.ts";
import { classStem, findTestId, looksGenerated } from "./identifiers.ts";
import type { PreparedElement } from "./prepare.ts";

export type GeneratedSelectors = { css: string; xpath: string; playwright: string };

export function cssString(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\a ")}"`;
}

function jsString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
}

export function cssIdentifier(value: string): string {
  return value
    .replace(/^(\d)/, "\\3$1 ")
    .replace(/^-(\d)/, "-\\3$1 ")
    .replace(/[^\w-]/g, (char) => `\\${char}`);
}

/** Names short enough to read in a test and not just a dump of a container's content. */
function usableName(name: string): boolean {
  return name.length > 0 && name.length <= 60;
}

function uniqueBy(
  candidates: readonly PreparedElement[],
  self: number,
  same: (other: PreparedElement) => boolean,
) {
  for (let i = 0; i < candidates.length; i++) {
    if (i !== self && !candidates[i]!.hidden && same(candidates[i]!)) return false;
  }
  return true;
}

/**
 * Candidates form: a Playwright-compatible selector string from the descriptor alone, unique among
 * the candidates (which are the page as the SDK saw it), or null.
 */
export function selectorForCandidate(candidates: readonly PreparedElement[], index: number): string | null {
  const element = candidates[index];
  if (!element) return null;
  if (element.testId) {
    const { name, value } = element.testId;
    if (uniqueBy(candidates, index, (o) => o.testId?.value === value)) return `[${name}=${cssString(value)}]`;
  }
  const name = element.accessibleNameDisplay;
  if (element.role && usableName(name)) {
    const same = (o: PreparedElement) =>
      o.role === element.role && o.accessibleName.value === element.accessibleName.value;
    if (uniqueBy(candidates, index, same)) return `role=${element.role}[name=${cssString(name)}]`;
  }
  if (element.id && !looksGenerated(element.id) && uniqueBy(candidates, index, (o) => o.id === element.id)) {
    return `#${cssIdentifier(element.id)}`;
  }
  const text = element.descriptor.text?.trim() ?? "";
  if (usableName(text) && uniqueBy(candidates, index, (o) => o.text.value === element.text.value)) {
    return `text=${cssString(text)}`;
  }
  return element.descriptor.xpath ? `xpath=${element.descriptor.xpath}` : null;
}

function matchesOnly(page: ParsedPage, css: string, element: Element): boolean {
  try {
    const found = selectAll<AnyNode, Element>(css, page.document);
    return found.length === 1 && found[0] === element;
  } catch {
    return false;
  }
}

function positionalCss(element: Element): string {
  const parts: string[] = [];
  let node: Element | null = element;
  while (node && node.type === "tag") {
    const tag = node.name.toLowerCase();
    let position = 1;
    for (let sibling = node.previousSibling; sibling; sibling = sibling.previousSibling) {
      if (sibling.type === "tag" && (sibling as Element).name.toLowerCase() === tag) position++;
    }
    parts.unshift(tag === "html" || tag === "body" ? tag : `${tag}:nth-of-type(${position})`);
    node = node.parent && node.parent.type === "tag" ? (node.parent as Element) : null;
  }
  return parts.join(" > ");
}

function cssCandidates(element: PreparedElement): string[] {
  const { tag, attributes } = element;
  const result: string[] = [];
  if (element.testId) result.push(`[${element.testId.name}=${cssString(element.testId.value)}]`);
  if (attributes.placeholder) result.push(`${tag}[placeholder=${cssString(attributes.placeholder)}]`);
  if (attributes["aria-label"]) result.push(`${tag}[aria-label=${cssString(attributes["aria-label"])}]`);
  if (element.id && !looksGenerated(element.id)) result.push(`#${cssIdentifier(element.id)}`);
  if (element.name && !looksGenerated(element.name)) result.push(`${tag}[name=${cssString(element.name)}]`);
  if (attributes.href && tag === "a") result.push(`a[href=${cssString(attributes.href)}]`);
  for (const attribute of ["title", "alt"]) {
    const value = attributes[attribute];
    if (value) result.push(`${tag}[${attribute}=${cssString(value)}]`);
  }
  const stableClasses = (attributes.class ?? "")
    .split(/\s+/)
    .filter((token) => token !== "" && classStem(token) === token.toLowerCase() && !looksGenerated(token));
  for (const token of stableClasses.slice(0, 3)) result.push(`${tag}.${cssIdentifier(token)}`);
  if (stableClasses.length > 1)
    result.push(`${tag}.${stableClasses.slice(0, 3).map(cssIdentifier).join(".")}`);
  return result;
}

/** The closest ancestor with a durable hook (stable id or test id), as an anchor for a short path. */
function anchoredCss(page: ParsedPage, element: Element): string | null {
  const path: Element[] = [];
  let node: Element | null = element;
  while (node?.parent && node.parent.type === "tag") {
    path.unshift(node);
    const parent = node.parent as Element;
    const testId = findTestId(parent.attribs);
    const id = parent.attribs.id;
    let anchor: string | null = null;
    if (testId) anchor = `[${testId.name}=${cssString(testId.value)}]`;
    else if (id && !looksGenerated(id)) anchor = `#${cssIdentifier(id)}`;
    if (anchor) {
      const steps = path.map((step) => {
        let position = 1;
        for (let s = step.previousSibling; s; s = s.previousSibling) {
          if (s.type === "tag" && (s as Element).name === step.name) position++;
        }
        return `${step.name.toLowerCase()}:nth-of-type(${position})`;
      });
      return `${anchor} > ${steps.join(" > ")}`;
    }
    if (path.length >= 4) return null;
    node = parent;
  }
  void page;
  return null;
}

function playwrightLocator(candidates: readonly PreparedElement[], index: number, css: string): string {
  const element = candidates[index]!;
  const testId = element.attributes["data-testid"];
  if (testId && uniqueBy(candidates, index, (o) => o.attributes["data-testid"] === testId)) {
    return `getByTestId(${jsString(testId)})`;
  }
  const name = element.accessibleName.value;
  if (element.role && usableName(name)) {
    const same = (o: PreparedElement) => o.role === element.role && o.accessibleName.value === name;
    if (uniqueBy(candidates, index, same)) {
      return `getByRole(${jsString(element.role)}, { name: ${jsString(element.accessibleNameDisplay)}, exact: true })`;
    }
  }
  const placeholder = element.attributes.placeholder;
  if (placeholder && uniqueBy(candidates, index, (o) => o.attributes.placeholder === placeholder)) {
    return `getByPlaceholder(${jsString(placeholder)})`;
  }
  const label = element.descriptor.accessibleName ?? element.attributes["aria-label"];
  if (label && /^(input|select|textarea)$/.test(element.tag)) {
    const same = (o: PreparedElement) =>
      (o.descriptor.accessibleName ?? o.attributes["aria-label"]) === label;
    if (uniqueBy(candidates, index, same)) return `getByLabel(${jsString(label)}, { exact: true })`;
  }
  return `locator(${jsString(css)})`;
}

/** CSS (verified unique), absolute xpath and a Playwright locator for element `index` of the page. */
export function selectorsForPageElement(
  page: ParsedPage,
  prepared: readonly PreparedElement[],
  index: number,
): GeneratedSelectors {
  const entry = page.elements[index]!;
  const element = prepared[index]!;
  let css: string | null = null;
  for (const candidate of cssCandidates(element)) {
    if (matchesOnly(page, candidate, entry.element)) {
      css = candidate;
      break;
    }
  }
  if (!css) {
    const anchored = anchoredCss(page, entry.element);
    if (anchored && matchesOnly(page, anchored, entry.element)) css = anchored;
  }
  css ??= positionalCss(entry.element);
  return { css, xpath: entry.descriptor.xpath ?? "", playwright: playwrightLocator(prepared, index, css) };
}
