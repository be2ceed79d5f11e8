/**
 * DOM form: parse HTML once and describe every element the way the SDK would in a browser
 * (minus layout: there is no rect server-side). One pre-order pass plus one reverse pass,
 * so building descriptors is linear in the page size.
 */
import type { ChildNode, Document, Element } from "domhandler";
import { parseDocument } from "htmlparser2";
import type { ElementDescriptor } from "./types.ts";
import { isHiddenByAttributes } from "./visibility.ts";

export type PageElement = {
  element: Element;
  descriptor: ElementDescriptor;
  /** Hidden itself or inside a hidden ancestor. */
  hidden: boolean;
  parent: number;
};

export type ParsedPage = {
  document: Document;
  /** Candidate elements in document order (inside body; never html/head/body, scripts or styles). */
  elements: PageElement[];
  indexOf: Map<Element, number>;
};

/** Longer texts add nothing to similarity and cost time; containers are truncated. */
const TEXT_LIMIT = 200;
const NEIGHBOR_LIMIT = 80;
const SKIPPED = new Set(["script", "style", "noscript", "template", "head", "meta", "link", "title", "base"]);
const NOT_CANDIDATES = new Set(["html", "body"]);
const INLINE = new Set([
  "span",
  "b",
  "i",
  "em",
  "strong",
  "small",
  "code",
  "a",
  "label",
  "abbr",
  "mark",
  "sub",
  "sup",
  "u",
]);

type Frame =
  | { node: ChildNode; parent: number; xpath: string; idXpath: string; hidden: boolean }
  | { closes: number };

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function cap(text: string, limit: number): string {
  return text.length > limit ? text.slice(0, limit) : text;
}

function escapeXpathLiteral(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

export function parsePage(html: string): ParsedPage {
  const document = parseDocument(html, { decodeEntities: true, lowerCaseAttributeNames: true });
  const elements: PageElement[] = [];
  const indexOf = new Map<Element, number>();
  // Document-order visible text nodes; each element remembers the span it covers.
  const texts: string[] = [];
  const textStart: number[] = [];
  const textEnd: number[] = [];
  const labelFor = new Map<string, Element>();
  const stack: Frame[] = [];

  const pushChildren = (
    children: ChildNode[],
    parent: number,
    xpath: string,
    idXpath: string,
    hidden: boolean,
  ) => {
    const counts = new Map<string, number>();
    const frames: Frame[] = [];
    for (const child of children) {
      let childXpath = xpath;
      let childIdXpath = idXpath;
      if (child.type === "tag" || child.type === "script" || child.type === "style") {
        const tag = (child as Element).name.toLowerCase();
        const position = (counts.get(tag) ?? 0) + 1;
        counts.set(tag, position);
        childXpath = `${xpath}/${tag}[${position}]`;
        const id = (child as Element).attribs.id;
        childIdXpath = id
          ? `//*[@id=${escapeXpathLiteral(id)}]`
          : idXpath
            ? `${idXpath}/${tag}[${position}]`
            : "";
      }
      frames.push({ node: child, parent, xpath: childXpath, idXpath: childIdXpath, hidden });
    }
    for (let i = frames.length - 1; i >= 0; i--) stack.push(frames[i]!);
  };

  pushChildren(document.children, -1, "", "", false);
  while (stack.length > 0) {
    const frame = stack.pop()!;
    if ("closes" in frame) {
      textEnd[frame.closes] = texts.length;
      continue;
    }
    const node = frame.node;
    if (node.type === "text") {
      if (!frame.hidden) {
        const text = collapse(node.data);
        if (text !== "") texts.push(text);
      }
      continue;
    }
    if (node.type !== "tag") continue;
    const element = node as Element;
    const tag = element.name.toLowerCase();
    if (SKIPPED.has(tag)) continue;
    const attributes = element.attribs;
    const hidden = frame.hidden || isHiddenByAttributes(tag, attributes);
    if (tag === "label" && attributes.for) labelFor.set(attributes.for, element);
    let index = frame.parent;
    if (!NOT_CANDIDATES.has(tag)) {
      index = elements.length;
      const descriptor: ElementDescriptor = { tag, attributes, xpath: frame.xpath };
      if (frame.idXpath) descriptor.idXpath = frame.idXpath;
      elements.push({ element, descriptor, hidden, parent: frame.parent });
      indexOf.set(element, index);
      textStart.push(texts.length);
      stack.push({ closes: index });
    }
    pushChildren(element.children, index, frame.xpath, frame.idXpath, hidden);
  }

  // Reverse document order visits children before parents: build text and subtree text spans.
  const ownText = new Array<string>(elements.length).fill("");
  for (let i = elements.length - 1; i >= 0; i--) {
    const entry = elements[i]!;
    let text = "";
    for (const child of entry.element.children) {
      if (text.length >= TEXT_LIMIT) break;
      let piece = "";
      let inline = true;
      if (child.type === "text") piece = child.data;
      else if (child.type === "tag") {
        const childIndex = indexOf.get(child as Element);
        if (childIndex === undefined || elements[childIndex]!.hidden) continue;
        piece = ownText[childIndex]!;
        inline = INLINE.has((child as Element).name);
      }
      text += inline ? piece : ` ${piece} `;
    }
    ownText[i] = entry.hidden ? "" : cap(collapse(text), TEXT_LIMIT);
    if (ownText[i]) entry.descriptor.text = ownText[i];
  }
  // Texts inside element i are [textStart[i], textEnd[i]); neighbours are just outside.
  for (let i = 0; i < elements.length; i++) {
    const entry = elements[i]!;
    const above = texts[textStart[i]! - 1];
    const below = texts[textEnd[i]!];
    if (above !== undefined || below !== undefined) {
      entry.descriptor.neighborText = {};
      if (above !== undefined) entry.descriptor.neighborText.above = cap(above, NEIGHBOR_LIMIT);
      if (below !== undefined) entry.descriptor.neighborText.below = cap(below, NEIGHBOR_LIMIT);
    }
  }
  attachLabels(elements, labelFor, indexOf, ownText);
  return { document, elements, indexOf };
}

const LABELLABLE = new Set(["input", "select", "textarea", "button", "meter", "progress", "output"]);

/** `<label for>` and wrapping labels name their form control (the SDK gets this from the browser). */
function attachLabels(
  elements: PageElement[],
  labelFor: Map<string, Element>,
  indexOf: Map<Element, number>,
  ownText: string[],
) {
  for (let i = 0; i < elements.length; i++) {
    const entry = elements[i]!;
    const { tag, attributes = {} } = entry.descriptor;
    if (!LABELLABLE.has(tag) || attributes["aria-label"]) continue;
    let label: Element | undefined = attributes.id ? labelFor.get(attributes.id) : undefined;
    if (!label) {
      let parent = entry.parent;
      while (parent >= 0 && !label) {
        const candidate = elements[parent]!;
        if (candidate.descriptor.tag === "label") label = candidate.element;
        parent = candidate.parent;
      }
    }
    if (!label) continue;
    const labelIndex = indexOf.get(label);
    const text = labelIndex === undefined ? "" : ownText[labelIndex]!;
    if (text !== "") entry.descriptor.accessibleName = text;
  }
}
