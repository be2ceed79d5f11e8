/**
 * The indexed xpath a browser evaluates to an element of a parsed page (dom.ts). Browsers' XPath
 * matches a bare name only against HTML elements, so `/a[1]/svg[1]` names nothing there: each step
 * at or under an `<svg>` or `<math>` names its element by `*[name()='…']` (the name as written, svg
 * keeps its capitals), which browsers and the engine's own evaluator (xpath.ts) both read. What an
 * integration point holds (an svg `<foreignObject>`, `<desc>` or `<title>`, a MathML `<mi>`…) is
 * HTML again, and named bare.
 */
import { escapeXpathLiteral, lowerName } from "./dom-nodes.ts";
import { NONE, type PageNodes } from "./page-arrays.ts";

const FOREIGN_ROOTS = new Set(["svg", "math"]);
const INTEGRATION_POINTS = new Set([
  "foreignobject",
  "desc",
  "title",
  "annotation-xml",
  "mi",
  "mo",
  "mn",
  "ms",
  "mtext",
]);

type Page = {
  readonly nodes: PageNodes;
  positionOf(id: number): number;
  xpathOf(id: number): string;
};

export function browserXpath(page: Page, id: number): string {
  const { names, parent } = page.nodes;
  const chain: number[] = [];
  let foreign = false;
  for (let node = id; node !== NONE; node = parent[node]!) {
    chain.push(node);
    foreign ||= FOREIGN_ROOTS.has(lowerName(names[node]!));
  }
  if (!foreign) return page.xpathOf(id);
  let steps = "";
  let inForeign = false;
  for (let k = chain.length - 1; k >= 0; k--) {
    const node = chain[k]!;
    const name = lowerName(names[node]!);
    const isForeign: boolean = inForeign || FOREIGN_ROOTS.has(name);
    steps += isForeign
      ? `/*[name()=${escapeXpathLiteral(names[node]!)}][${page.positionOf(node)}]`
      : `/${name}[${page.positionOf(node)}]`;
    inForeign = isForeign && !INTEGRATION_POINTS.has(name);
  }
  return steps;
}
