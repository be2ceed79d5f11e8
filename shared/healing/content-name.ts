/**
 * The name a browser gives an element from its content (WAI-ARIA accname, "name from content"), as
 * Playwright's `getByRole(role, { name })` matches it: the visible text, where a descendant image
 * says its `alt`, a descendant with `aria-label` says that label instead of its content, and an
 * `<svg>` its `<title>`; hidden and `aria-hidden` content says nothing (the parser already leaves
 * it out of the text). Only the Playwright locator a heal returns reads it (selectors.ts): the
 * model's evidence keeps the visible text (docs/heal-api.md, "Selectors returned").
 */

import type { ParsedPage } from "./dom.ts";
import { collapse, INLINE, lowerName, TEXT_LIMIT } from "./dom-nodes.ts";
import { cap } from "./limits.ts";
import { NONE } from "./page-arrays.ts";

/** Whether element i holds something other than text that names it: an image, an svg, an aria-label. */
export function namedBeyondText(page: ParsedPage, i: number): boolean {
  const end = page.subtreeEnd(i);
  for (let k = i + 1; k < end; k++) {
    if (page.hiddenFlags[k]) continue;
    const tag = page.tags[k]!;
    if (tag === "img" || tag === "svg" || page.attributeOf(k, "aria-label") !== undefined) return true;
  }
  return false;
}

export function contentNameOf(page: ParsedPage, i: number): string {
  if (!namedBeyondText(page, i)) return page.textOf(i);
  return cap(collapse(contentOf(page, page.nodeOf[i]!, 0)), TEXT_LIMIT);
}

/** Deep enough for any control's content; a page nested deeper reads as text beyond it. */
const MAX_DEPTH = 64;

function contentOf(page: ParsedPage, node: number, depth: number): string {
  const { names, isText, firstChild, next, index } = page.nodes;
  let text = "";
  for (let child = firstChild[node]!; child !== NONE; child = next[child]!) {
    if (isText[child] === 1) {
      text += names[child];
      continue;
    }
    const k = index[child]!;
    if (!page.isTag(child) || k < 0 || page.hiddenFlags[k]) continue;
    const tag = page.tags[k]!;
    const label = page.attributeOf(k, "aria-label")?.trim();
    let part: string;
    if (label) part = label;
    else if (tag === "img") part = page.attributeOf(k, "alt") ?? "";
    else if (tag === "svg") part = svgTitle(page, child);
    else part = depth < MAX_DEPTH ? contentOf(page, child, depth + 1) : page.textOf(k);
    text += INLINE.has(tag) || tag === "svg" ? part : ` ${part} `;
  }
  return text;
}

/** The text of an svg's own `<title>` child, or "". */
function svgTitle(page: ParsedPage, svg: number): string {
  const { names, isText, firstChild, next } = page.nodes;
  for (let child = firstChild[svg]!; child !== NONE; child = next[child]!) {
    if (isText[child] === 1 || lowerName(names[child]!) !== "title") continue;
    let text = "";
    for (let t = firstChild[child]!; t !== NONE; t = next[t]!) if (isText[t] === 1) text += names[t];
    return text;
  }
  return "";
}
