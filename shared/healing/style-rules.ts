/**
 * The rules of a page's own style sheets (its `<style>` elements) that can show or hide an element:
 * the ones declaring `display` or `visibility` (docs/heal-model.md, "Elements a style sheet hides").
 * A one-pass scanner over the sheet, not a CSS parser: a general parser (an AST of every rule and
 * declaration) took 0.7–1.1 s on a 160–190 kB sheet, the size CSS-in-JS libraries write into pages.
 * What it follows: comments and strings, `@media` (judged by media-query.ts), `@layer` order,
 * `@supports`/`@container`/`@scope` (kept, but never trusted to hide), CSS nesting, `!important`;
 * at-rules that hold no element rules (`@keyframes`, `@font-face`…) are skipped whole.
 */
import { mediaMatches } from "./media-query.ts";

export type VisibilityProperty = "display" | "visibility";

export type StyleRule = {
  /** One complex selector (a selector list is split into one rule each). */
  selector: string;
  property: VisibilityProperty;
  /** display: none, or visibility: hidden | collapse. */
  hides: boolean;
  important: boolean;
  /** Sheet order (later wins a tie). */
  order: number;
  /** Cascade layer: 0 outside any layer, else 1 + the layer's place in the declared order. */
  layer: number;
  /** Every condition around it is known to hold (false: inside @supports, @container, an unknown @media…). */
  certain: boolean;
};

type Frame = {
  /** A style rule's block: where its selector list is in the sheet (cut out only if it declares what counts). */
  prelude: { from: number; to: number } | null;
  /** The enclosing frame. */
  outer: Frame | null;
  /** Inside a style rule (its own prelude, or an at-rule nested in one). */
  inRule: boolean;
  /** The selector list this block's declarations apply to, nesting resolved (once read). */
  selectors?: string[];
  /** null: the block is skipped (a false @media, @keyframes…). */
  certain: boolean | null;
  layer: number;
};

// Blocks nested deeper than any sheet writes them are skipped (their selectors would grow with the depth).
const MAX_NESTING = 32;
const SPECIAL = /[{};()"'/\\]/;
const HTML_COMMENT_MARKS = /<!--|-->/g;
const COMMENTS = /\/\*[\s\S]*?(?:\*\/|$)/g;
const UNCERTAIN_AT_RULES = /^@(supports|container|scope|document|-moz-document)\b/i;

/** Rules of `css` declaring display or visibility; `media`: the `<style media>` attribute, if any. */
export function visibilityRules(
  css: string,
  media: string | undefined,
  into: StyleRule[],
  layers: string[],
): void {
  const top = media === undefined ? true : mediaMatches(media);
  if (top === false) return;
  const frames: Frame[] = [{ prelude: null, outer: null, inRule: false, certain: top, layer: 0 }];
  const n = css.length;
  let start = 0;
  let i = 0;
  let parens = 0;
  const special = new RegExp(SPECIAL.source, "g");
  while (i < n) {
    // Jump to the next character that matters (natively: most of a sheet is names and values).
    special.lastIndex = i;
    if (special.exec(css) === null) break;
    i = special.lastIndex - 1;
    const c = css.charCodeAt(i);
    if (c === 47 /* / */ && css.charCodeAt(i + 1) === 42 /* * */) {
      const end = css.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (c === 34 || c === 39) {
      i = stringEnd(css, i, c);
      continue;
    }
    if (c === 92 /* \ */) {
      i += 2;
      continue;
    }
    if (c === 40 /* ( */) parens++;
    else if (c === 41 /* ) */ && parens > 0) parens--;
    else if (parens === 0 && (c === 123 /* { */ || c === 59 /* ; */ || c === 125) /* } */) {
      const frame = frames[frames.length - 1]!;
      if (c === 123)
        frames.push(
          frames.length > MAX_NESTING
            ? { ...frame, prelude: null, certain: null }
            : openBlock(css, start, i, frame, layers),
        );
      else {
        // Only a declaration that may be display or visibility is cut out of the sheet.
        let first = start;
        while (first < i && css.charCodeAt(first) <= 32) first++;
        const lead = css.charCodeAt(first) | 32;
        const mayShow =
          lead === 100 /* d */ || lead === 118 /* v */ || lead === 47 /* / */ || lead === 60; /* < */
        if (first === i) {
          // nothing between two separators
        } else if (frame.inRule && frame.certain !== null) {
          if (mayShow) declaration(css, cleaned(css.slice(first, i)), frame, into);
        } else if (!frame.inRule && css.startsWith("@layer", first))
          layerOrder(cleaned(css.slice(first, i)), layers);
        if (c === 125 && frames.length > 1) frames.pop();
      }
      start = i + 1;
    }
    i++;
  }
}

/** An item of the sheet without comments or the `<!--`/`-->` marks old pages wrap sheets in. */
function cleaned(item: string): string {
  let text = item;
  if (text.includes("/*")) text = text.replace(COMMENTS, "");
  if (text.includes("<!--") || text.includes("-->")) text = text.replace(HTML_COMMENT_MARKS, "");
  return text.trim();
}

/** The frame a `{` at `to` opens, its prelude starting at `from`, inside `outer`. */
function openBlock(css: string, from: number, to: number, outer: Frame, layers: string[]): Frame {
  const { layer, inRule } = outer;
  const frame = (certain: boolean | null, rank = layer): Frame => ({
    prelude: null,
    outer,
    inRule: certain !== null && inRule,
    certain,
    layer: rank,
  });
  if (outer.certain === null) return frame(null);
  let at = from;
  while (at < to && css.charCodeAt(at) <= 32) at++;
  if (css.charCodeAt(at) !== 64 /* @ */)
    return { prelude: { from, to }, outer, inRule: true, certain: outer.certain, layer };
  const item = cleaned(css.slice(at, to));
  if (/^@media\b/i.test(item)) {
    const matches = mediaMatches(item.slice(6));
    return matches === false ? frame(null) : frame(outer.certain && matches === true);
  }
  if (/^@layer\b/i.test(item)) {
    const name = item.slice(6).trim() || `#anonymous${layers.length}`;
    return frame(outer.certain, layerRank(name, layers));
  }
  if (UNCERTAIN_AT_RULES.test(item)) return frame(false);
  return frame(null); // @keyframes, @font-face and the like hold no element rules
}

/** The selectors a frame's declarations apply to (its rule's list against its parents'). */
function selectorsOf(css: string, frame: Frame): string[] {
  if (frame.selectors === undefined) {
    const outer = frame.outer?.inRule ? selectorsOf(css, frame.outer) : null;
    if (frame.prelude === null) frame.selectors = outer ?? [];
    else {
      const own = splitList(cleaned(css.slice(frame.prelude.from, frame.prelude.to)));
      frame.selectors = outer === null ? own : own.map((selector) => nested(selector, outer));
    }
  }
  return frame.selectors;
}

/** A nested rule's selector against its parent's list: `&` is the parent, otherwise a descendant of it. */
function nested(selector: string, parents: string[]): string {
  const parent = parents.length === 1 ? parents[0]! : `:is(${parents.join(", ")})`;
  const self = parents.length === 1 && /^[\w-]*([.#][\w-]+)*$/.test(parent) ? parent : `:is(${parent})`;
  if (selector.includes("&")) return selector.replaceAll("&", self);
  return `${self} ${selector}`;
}

function declaration(css: string, item: string, frame: Frame, into: StyleRule[]) {
  const first = item.charCodeAt(0) | 32;
  if (first !== 100 /* d */ && first !== 118 /* v */) return;
  const parsed = parseDeclaration(item);
  if (parsed === null) return;
  for (const selector of selectorsOf(css, frame)) {
    into.push({
      selector,
      ...parsed,
      order: into.length,
      layer: frame.layer,
      certain: frame.certain === true,
    });
  }
}

/** `display: none !important` → its property, whether it hides, whether important; null for others. */
export function parseDeclaration(
  item: string,
): { property: VisibilityProperty; hides: boolean; important: boolean } | null {
  const colon = item.indexOf(":");
  if (colon < 0) return null;
  const property = item.slice(0, colon).trim().toLowerCase();
  if (property !== "display" && property !== "visibility") return null;
  let value = item
    .slice(colon + 1)
    .trim()
    .toLowerCase();
  const important = /!\s*important$/.test(value);
  if (important) value = value.replace(/!\s*important$/, "").trim();
  const hides = property === "display" ? value === "none" : value === "hidden" || value === "collapse";
  // `inherit`, `unset`, `revert`… on visibility take the parent's: neither shows nor hides.
  if (property === "visibility" && !hides && value !== "visible" && value !== "initial") return null;
  return { property, hides, important };
}

/** The declarations of a `style` attribute that show or hide. */
export function inlineDeclarations(
  style: string,
): { property: VisibilityProperty; hides: boolean; important: boolean }[] {
  const found = [];
  for (const item of style.split(";")) {
    const parsed = parseDeclaration(item.trim());
    if (parsed !== null) found.push(parsed);
  }
  return found;
}

/** `@layer a, b;`: declares the layers' order before their blocks come. */
function layerOrder(item: string, layers: string[]) {
  for (const name of item.slice(6).split(",")) if (name.trim()) layerRank(name.trim(), layers);
}

function layerRank(name: string, layers: string[]): number {
  let at = layers.indexOf(name);
  if (at < 0) at = layers.push(name) - 1;
  return at + 1;
}

/** A selector list split at its top-level commas. */
function splitList(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list.charCodeAt(i);
    if (c === 40 || c === 91) depth++;
    else if (c === 41 || c === 93) depth--;
    else if (c === 92) i++;
    else if (c === 34 || c === 39) i = stringEnd(list, i, c) - 1;
    else if (c === 44 && depth === 0) {
      parts.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(list.slice(start).trim());
  return parts.filter(Boolean);
}

/** Index just past the string starting at `at` (quote `quote`), escapes followed. */
function stringEnd(text: string, at: number, quote: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === quote || c === 10) return i + 1;
  }
  return text.length;
}
