/**
 * Large generated pages for the latency figures (bench/heal.ts, bench/heal-perf.ts, bench/heal/micro.ts):
 * a page of `nodes` elements built from form, table, list and card sections, and the same page after a
 * class rename of one button, with that button's descriptor on the old page.
 */
import { parsePage } from "../../shared/healing/dom.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";
import { mutate } from "./mutations.ts";
import { cards, form, list, PageBuilder, randomStyle, table } from "./pages.ts";
import { seededRandom } from "./random.ts";
import { clone, countElements, el, type PageNode, toHtml, walk } from "./tree.ts";

export function bigPage(nodes: number, seed: number) {
  const random = seededRandom(seed);
  const builder = new PageBuilder(random, randomStyle(random));
  const main = el("main", { id: "content" });
  const root = el("html", {}, [el("body", {}, [main])]);
  const sections = [form, table, list, cards];
  while (countElements(root) < nodes) main.children.push(sections[main.children.length % 4]!(builder));
  return { root, builder, random };
}

/** A visible button in the middle of the page. */
export function pickTarget(root: PageNode): PageNode {
  const buttons: PageNode[] = [];
  walk(root, (node) => {
    if (node.tag === "button" && node.attrs.style === undefined) buttons.push(node);
  });
  return buttons[Math.floor(buttons.length / 2)]!;
}

export type PagePair = {
  /** Elements of the new page. */
  nodes: number;
  oldHtml: string;
  newHtml: string;
  /** The button as it was on the old page (what a client stored). */
  target: ElementDescriptor;
};

/** The old page, and the new one where the middle button's classes were renamed. */
export function bigPagePair(nodes: number, seed = 7 + nodes): PagePair {
  const { root, builder } = bigPage(nodes, seed);
  pickTarget(root).attrs["data-bench-target"] = "1";
  const newRoot = clone(root);
  let newTarget: PageNode | null = null;
  walk(newRoot, (node) => {
    if (node.attrs["data-bench-target"]) newTarget = node;
  });
  mutate(newRoot, newTarget!, "class-rename", builder);
  const strip = (html: string) => html.replace(/ data-bench-target="1"/g, "");
  const oldHtml = toHtml(root, () => undefined);
  const found = parsePage(oldHtml).elements.find((e) => e.descriptor.attributes?.["data-bench-target"]);
  const target: ElementDescriptor = { ...found!.descriptor, attributes: { ...found!.descriptor.attributes } };
  delete target.attributes!["data-bench-target"];
  return { nodes: countElements(newRoot), oldHtml: strip(oldHtml), newHtml: strip(toHtml(newRoot)), target };
}
