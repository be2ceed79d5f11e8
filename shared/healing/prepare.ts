/**
 * A descriptor normalised once (lower-cased, tokenised, stems extracted) so that strategies
 * compare precomputed fields: scoring thousands of candidates must stay allocation-light.
 */
import { accessibleNameOf, roleOf } from "./aria.ts";
import { boundedMemo } from "./bounded-memo.ts";
import { lowerName } from "./dom-nodes.ts";
import { classStem, findTestId, identifierBase } from "./identifiers.ts";
import { identifierPurpose, keywordsOf } from "./keywords.ts";
import { normalizeText, tokenize } from "./similarity.ts";
import type { ElementDescriptor, ElementRect } from "./types.ts";
import { isHiddenByAttributes } from "./visibility.ts";

export type PreparedText = { value: string; tokens: Set<string> };

export type PreparedElement = {
  descriptor: ElementDescriptor;
  tag: string;
  attributes: Record<string, string>;
  testId: { name: string; value: string } | null;
  id: string;
  idStem: string;
  /** The id without markup words (keywords.ts), compared when ids differ. */
  idPurpose: string;
  name: string;
  nameStem: string;
  namePurpose: string;
  role: string | null;
  accessibleName: PreparedText;
  /** Accessible name as displayed (case kept, whitespace collapsed), for generated selectors. */
  accessibleNameDisplay: string;
  text: PreparedText;
  /** Shared between elements with the same class attribute: never mutate. */
  classStems: ReadonlySet<string>;
  hrefPath: string;
  /** Tags from root to node, without positions, e.g. ["html","body","form","button"]. */
  pathTags: string[];
  /** Positional steps, e.g. ["html[1]","body[1]","div[2]"]. */
  pathSteps: string[];
  idXpath: string;
  /** Page regions on the path (landmark tags, region words of the anchoring id); shared, never mutate. */
  regions: ReadonlySet<string>;
  /** Purpose words from naming attributes, classes, href path and text; shared, never mutate. */
  keywords: ReadonlySet<string>;
  rect: ElementRect | null;
  neighbors: { above: PreparedText; below: PreparedText; left: PreparedText; right: PreparedText };
  hidden: boolean;
};

const EMPTY_TEXT: PreparedText = { value: "", tokens: new Set() };

// Page texts repeat a lot (a neighbour's text is another element's text); prepared texts are
// immutable, so they are shared through a bounded memo.
const textMemo = boundedMemo<PreparedText>();

export function prepareText(raw: string | undefined): PreparedText {
  if (!raw) return EMPTY_TEXT;
  return textMemo(raw, () => {
    const value = normalizeText(raw);
    return value === "" ? EMPTY_TEXT : { value, tokens: new Set(tokenize(value)) };
  });
}

// Class attributes repeat even more (one per component); their stem sets are shared the same way.
const classMemo = boundedMemo<ReadonlySet<string>>();

function classStemsOf(classes: string): ReadonlySet<string> {
  return classMemo(classes, () => {
    const stems = new Set<string>();
    for (const token of classes.split(/\s+/)) {
      if (token === "") continue;
      const stem = classStem(token);
      if (stem) stems.add(stem);
    }
    return stems;
  });
}

function lowerCaseKeys(attributes: Record<string, string> | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  if (!attributes) return result;
  for (const key of Object.keys(attributes)) {
    const value = attributes[key];
    if (typeof value === "string") result[lowerName(key)] = value;
  }
  return result;
}

/** Path part of an href, so `https://a.test/cart?x=1` and `/cart` compare equal. */
export function hrefPath(href: string | undefined): string {
  if (!href) return "";
  const withoutOrigin = href.trim().replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]+/i, "");
  return (
    withoutOrigin
      .replace(/[?#].*$/, "")
      .replace(/\/+$/, "")
      .toLowerCase() || "/"
  );
}

function splitXpath(xpath: string | undefined): { tags: string[]; steps: string[] } {
  if (!xpath?.startsWith("/")) return { tags: [], steps: [] };
  const steps: string[] = [];
  const tags: string[] = [];
  for (const step of xpath.split("/")) {
    if (step.length === 0 || step.includes("@")) continue;
    steps.push(step);
    const bracket = step.indexOf("[");
    tags.push(lowerName(bracket < 0 ? step : step.slice(0, bracket)));
  }
  return { tags, steps };
}

/** Landmark tags, and the region a word in an anchoring id names when a page names its regions by id. */
const REGION_TAGS: Record<string, string> = {
  header: "header",
  nav: "nav",
  footer: "footer",
  main: "main",
  aside: "aside",
  form: "form",
  dialog: "dialog",
};
const REGION_WORDS =
  /(header|masthead|nav|menu|footer|main|content|aside|sidebar|form|login|search|dialog|modal)/g;
const WORD_REGION: Record<string, string> = {
  masthead: "header",
  menu: "nav",
  content: "main",
  sidebar: "aside",
  login: "form",
  search: "form",
  modal: "dialog",
};
const regionMemo = boundedMemo<ReadonlySet<string>>();

/** Regions of an element: landmark tags on its path plus region words in its xpath's anchor id. */
function regionsOf(tags: readonly string[], idXpath: string): ReadonlySet<string> {
  const anchor = /^(?:id\(["']|\/\/\*\[@id=["'])([^"']+)/.exec(idXpath)?.[1]?.toLowerCase() ?? "";
  return regionMemo(`${tags.join("/")}|${anchor}`, () => {
    const regions = new Set<string>();
    // The element's own tag is not a region it lives in.
    for (let i = 0; i < tags.length - 1; i++) {
      const region = REGION_TAGS[tags[i]!];
      if (region) regions.add(region);
    }
    for (const match of anchor.matchAll(REGION_WORDS)) regions.add(WORD_REGION[match[1]!] ?? match[1]!);
    return regions;
  });
}

function validRect(rect: ElementRect | undefined): ElementRect | null {
  if (!rect) return null;
  const { x, y, width, height } = rect;
  return Number.isFinite(x) && Number.isFinite(y) && Number.isFinite(width) && Number.isFinite(height)
    ? rect
    : null;
}

export function prepareElement(descriptor: ElementDescriptor): PreparedElement {
  const tag = String(descriptor.tag ?? "")
    .trim()
    .toLowerCase();
  const attributes = lowerCaseKeys(descriptor.attributes);
  const role = roleOf(descriptor, tag, attributes);
  const id = (attributes.id ?? "").trim();
  const name = (attributes.name ?? "").trim();
  const classStems = classStemsOf(attributes.class ?? "");
  const path = splitXpath(descriptor.xpath);
  const neighbors = descriptor.neighborText ?? {};
  const accessibleName = accessibleNameOf(descriptor, tag, attributes, role);
  const href = hrefPath(attributes.href);
  // A React id has no stable base: its purpose words come from the whole value.
  const idBase = id ? identifierBase(id) : "";
  const nameBase = name ? identifierBase(name) : "";
  return {
    descriptor,
    tag,
    attributes,
    testId: findTestId(attributes),
    id,
    idStem: idBase.toLowerCase(),
    idPurpose: id ? identifierPurpose(idBase || id) : "",
    name,
    nameStem: nameBase.toLowerCase(),
    namePurpose: name ? identifierPurpose(nameBase || name) : "",
    role,
    accessibleName: prepareText(accessibleName),
    accessibleNameDisplay: accessibleName.replace(/\s+/g, " ").trim(),
    text: prepareText(descriptor.text),
    classStems,
    hrefPath: href,
    pathTags: path.tags,
    pathSteps: path.steps,
    idXpath: descriptor.idXpath ?? "",
    regions: regionsOf(path.tags, descriptor.idXpath ?? ""),
    keywords: keywordsOf(attributes, classStems, descriptor.text ?? "", href),
    rect: validRect(descriptor.rect),
    neighbors: {
      above: prepareText(neighbors.above),
      below: prepareText(neighbors.below),
      left: prepareText(neighbors.left),
      right: prepareText(neighbors.right),
    },
    hidden: isHiddenByAttributes(tag, attributes),
  };
}
