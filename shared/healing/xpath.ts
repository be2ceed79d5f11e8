/**
 * A practical XPath subset for locating the old element in previousDom: absolute indexed paths,
 * `//tag[@attr='v']`, `[@attr]`, `[n]`, `[last()]`, `text()='v'`, `contains(text()|.|@a,'v')`,
 * `starts-with(@a,'v')`, `normalize-space()='v'`, `name()='svg'` / `local-name()='svg'`, joined
 * with `and`. Anything else → null.
 */
import type { ChildNode, Element, Root } from "./dom.ts";
import { lowerName } from "./dom-nodes.ts";

type AnyNode = Root | ChildNode;

type Step = { descendant: boolean; test: string; predicates: string[] };

class UnsupportedXpath extends Error {}

function splitSteps(xpath: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  const source = xpath.trim().replace(/^xpath=/, "");
  if (!source.startsWith("/")) throw new UnsupportedXpath(source);
  while (i < source.length) {
    let descendant = false;
    if (source.startsWith("//", i)) [descendant, i] = [true, i + 2];
    else if (source[i] === "/") i++;
    else throw new UnsupportedXpath(source);
    const test = /^(\*|[a-zA-Z][\w-]*)/.exec(source.slice(i));
    if (!test) throw new UnsupportedXpath(source);
    i += test[0].length;
    const predicates: string[] = [];
    while (source[i] === "[") {
      let depth = 0;
      let quote = "";
      const start = i + 1;
      for (; i < source.length; i++) {
        const char = source[i]!;
        if (quote) {
          if (char === quote) quote = "";
        } else if (char === "'" || char === '"') quote = char;
        else if (char === "[") depth++;
        else if (char === "]" && --depth === 0) break;
      }
      predicates.push(source.slice(start, i).trim());
      i++;
    }
    steps.push({ descendant, test: test[1]!.toLowerCase(), predicates });
  }
  return steps;
}

/** The text of a node and its descendants, as XPath's string value. */
export function textOf(node: AnyNode): string {
  if (node.type === "text") return node.data;
  if ("children" in node) return node.children.map(textOf).join("");
  return "";
}

function directText(element: Element): string {
  return element.children.map((child) => (child.type === "text" ? child.data : "")).join("");
}

const LITERAL = String.raw`\s*(?:'([^']*)'|"([^"]*)")\s*`;
const OPERAND = String.raw`(text\(\)|\.|normalize-space\(\s*(?:\.|text\(\))?\s*\)|@[\w:-]+)`;
const COMPARE = new RegExp(`^${OPERAND}\\s*=${LITERAL}$`);
const NAME_TEST = new RegExp(`^(?:local-)?name\\(\\)\\s*=${LITERAL}$`);
const FUNCTION = new RegExp(`^(contains|starts-with)\\(\\s*${OPERAND}\\s*,${LITERAL}\\)$`);

function operandValue(element: Element, operand: string): string | undefined {
  if (operand.startsWith("@")) return element.attribs[operand.slice(1).toLowerCase()];
  if (operand === "text()") return directText(element);
  if (operand === ".") return textOf(element);
  const inner = operand.includes("text()") ? directText(element) : textOf(element);
  return inner.replace(/\s+/g, " ").trim();
}

function matchesCondition(element: Element, condition: string): boolean {
  const compare = COMPARE.exec(condition);
  if (compare) return operandValue(element, compare[1]!) === (compare[2] ?? compare[3]);
  const call = FUNCTION.exec(condition);
  if (call) {
    const value = operandValue(element, call[2]!);
    const wanted = call[3] ?? call[4] ?? "";
    if (value === undefined) return false;
    return call[1] === "contains" ? value.includes(wanted) : value.startsWith(wanted);
  }
  // `*[name()='svg']`: how browsers' XPath names an svg or math element (a bare name never does).
  const name = NAME_TEST.exec(condition);
  if (name) return lowerName(element.name) === (name[1] ?? name[2] ?? "").toLowerCase();
  const presence = /^@([\w:-]+)$/.exec(condition);
  if (presence) return element.attribs[presence[1]!.toLowerCase()] !== undefined;
  throw new UnsupportedXpath(condition);
}

function applyPredicates(nodes: Element[], predicates: string[]): Element[] {
  let current = nodes;
  for (const predicate of predicates) {
    if (/^\d+$/.test(predicate)) {
      const element = current[Number(predicate) - 1];
      current = element ? [element] : [];
    } else if (predicate === "last()") {
      current = current.length > 0 ? [current.at(-1)!] : [];
    } else {
      const conditions = predicate.split(/\s+and\s+(?=(?:[^'"]*['"][^'"]*['"])*[^'"]*$)/);
      current = current.filter((element) =>
        conditions.every((condition) => matchesCondition(element, condition.trim())),
      );
    }
  }
  return current;
}

function childElements(node: AnyNode, test: string): Element[] {
  if (!("children" in node)) return [];
  const result: Element[] = [];
  for (const child of node.children) {
    if (child.type !== "tag" && child.type !== "script" && child.type !== "style") continue;
    if (test === "*" || lowerName((child as Element).name) === test) result.push(child as Element);
  }
  return result;
}

/** Positional predicates apply per parent, as in XPath: `//li[2]` is every second li of its list. */
function descendantsAndSelf(node: AnyNode, into: AnyNode[]): void {
  // Iterative: a pathological, deeply nested page must not overflow the stack.
  const stack: AnyNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    into.push(current);
    if (!("children" in current)) continue;
    for (let i = current.children.length - 1; i >= 0; i--) {
      const child = current.children[i]!;
      if (child.type === "tag") stack.push(child);
    }
  }
}

/** Evaluates an XPath from the document root; null when unsupported or invalid. */
export function evaluateXpath(root: AnyNode, xpath: string): Element[] | null {
  try {
    let context: AnyNode[] = [root];
    for (const step of splitSteps(xpath)) {
      let parents = context;
      if (step.descendant) {
        parents = [];
        for (const node of context) descendantsAndSelf(node, parents);
      }
      const next: Element[] = [];
      const seen = new Set<Element>();
      for (const parent of parents) {
        for (const element of applyPredicates(childElements(parent, step.test), step.predicates)) {
          if (!seen.has(element)) {
            seen.add(element);
            next.push(element);
          }
        }
      }
      context = next;
    }
    return context as Element[];
  } catch (error) {
    if (error instanceof UnsupportedXpath) return null;
    throw error;
  }
}
