/** A parsed page whose candidates are prepared lazily, for the DOM form of the engine. */
import { accessibleNameOf } from "./aria.ts";
import { contentNameOf, namedBeyondText } from "./content-name.ts";
import { LABELLABLE, type ParsedPage } from "./dom.ts";
import { collapse } from "./dom-nodes.ts";
import { roleOfPageElement } from "./page-roles.ts";
import { type PreparedElement, prepareElement } from "./prepare.ts";
import type { PageCandidates } from "./selectors.ts";
import { normalizeText } from "./similarity.ts";
import type { ElementDescriptor } from "./types.ts";

const PREPARED = 1;
const NAMED = 2;

/**
 * Elements of a parsed page, prepared on demand and memoised: only the shortlist, the answer and
 * the selector uniqueness checks ever pay for a descriptor.
 */
export class PreparedPage implements PageCandidates {
  readonly page: ParsedPage;
  // Memos by candidate index: a heal prepares and names a few hundred elements, so maps hold only
  // those (arrays at a 10k-node page's length cost 80 kB each).
  readonly #prepared = new Map<number, PreparedElement>();
  readonly #names = new Map<number, string>();
  readonly #displayNames = new Map<number, string>();
  /** Per candidate: PREPARED and NAMED bits, so the locator's pass over every element skips the maps. */
  readonly #known: Uint8Array;
  readonly #rolesByTag = new Map<string, string | null>();

  constructor(page: ParsedPage) {
    this.page = page;
    this.#known = new Uint8Array(page.count);
  }

  get(i: number): PreparedElement {
    let prepared = this.#prepared.get(i);
    if (!prepared) {
      prepared = prepareElement(this.page.descriptorOf(i));
      if (this.page.hiddenFlags[i] === 1) prepared.hidden = true;
      this.#prepared.set(i, prepared);
      this.#known[i] = this.#known[i]! | PREPARED;
    }
    return prepared;
  }

  /** Not memoised: a raw role costs a lookup or two, and the locator asks each element once. */
  roleOf(i: number): string | null {
    if (this.#known[i]! & PREPARED) return this.#prepared.get(i)!.role;
    return roleOfPageElement(this.page, i, this.page.attributeOf(i, "role"), this.#rolesByTag);
  }

  /**
   * False only when candidate i certainly cannot have the normalised accessible name `name`: no
   * source accessibleNameOf could take it from (label text, aria-label, alt, value, own text, title,
   * placeholder) agrees with it as far as an allocation-free ASCII comparison can tell. Anything it
   * cannot decide cheaply (non-ASCII, text split across nodes) answers true.
   */
  mayBeNamed(i: number, name: string): boolean {
    if (this.#known[i] !== 0) return true;
    const page = this.page;
    // A name another element gives (aria-labelledby), or an image, svg or labelled element inside
    // gives (contentNameOf), is not cheap to read: undecided.
    if (page.attributeOf(i, "aria-labelledby") || namedBeyondText(page, i)) return true;
    const ariaLabel = page.attributeOf(i, "aria-label");
    if (!ariaLabel && LABELLABLE.has(page.tags[i]!)) {
      const label = page.labelIndexOf(i);
      if (label >= 0 && firstTextMayStart(page, label, name)) return true;
    }
    return (
      mayStart(ariaLabel, name) ||
      mayStart(page.attributeOf(i, "alt"), name) ||
      mayStart(page.attributeOf(i, "value"), name) ||
      mayStart(page.attributeOf(i, "title"), name) ||
      mayStart(page.attributeOf(i, "placeholder"), name) ||
      firstTextMayStart(this.page, i, name)
    );
  }

  /** Normalised accessible name of candidate i, as the browser computes it (see displayNameOf). */
  nameOf(i: number): string {
    let name = this.#known[i]! & NAMED ? this.#names.get(i) : undefined;
    if (name === undefined) {
      name = normalizeText(this.displayNameOf(i));
      this.#names.set(i, name);
      this.#known[i] = this.#known[i]! | NAMED;
    }
    return name;
  }

  /**
   * Candidate i's accessible name as a `getByRole` locator spells it: its label or aria-label,
   * else its content's name as the browser reads it (an image's alt, an svg's title, content-name.ts).
   */
  displayNameOf(i: number): string {
    let display = this.#displayNames.get(i);
    if (display === undefined) {
      display = this.#computeDisplayName(i);
      this.#displayNames.set(i, display);
    }
    return display;
  }

  #computeDisplayName(i: number): string {
    const tag = this.page.tags[i]!;
    const light: ElementDescriptor = { tag, text: contentNameOf(this.page, i) };
    const label = this.page.labelOf(i);
    if (label) light.accessibleName = label;
    return collapse(accessibleNameOf(light, tag, this.page.attributesOf(i), this.roleOf(i)));
  }
}

/**
 * Whether normalizeText(value + more) could start with `name`, compared in place: whitespace runs
 * collapse to one space, ASCII is lower-cased; the first non-ASCII character, or the end of `value`
 * before `name` is matched, stops the comparison undecided (true).
 */
function mayStart(value: string | undefined, name: string): boolean {
  if (value === undefined) return false;
  let v = 0;
  const length = value.length;
  while (v < length && isAsciiSpace(value.charCodeAt(v))) v++;
  for (let n = 0; n < name.length; n++) {
    if (v >= length) return true;
    let c = value.charCodeAt(v);
    if (c >= 128) return true;
    if (isAsciiSpace(c)) {
      while (v < length && isAsciiSpace(value.charCodeAt(v))) v++;
      if (v >= length) return true;
      if (value.charCodeAt(v) >= 128) return true;
      c = 32;
    } else {
      v++;
      if (c >= 65 && c <= 90) c += 32;
    }
    if (c !== name.charCodeAt(n)) return false;
  }
  return true;
}

function isAsciiSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Whether the visible text of candidate i (textOf) could start with `name`: the first non-blank
 * text node textOf would reach is the first visible text the candidate covers (html and body, the
 * only elements that are neither candidates nor skipped, never sit inside a candidate: the page
 * builder implies or ignores them as a browser does), compared with mayStart. No text at all
 * cannot start a non-empty name.
 */
function firstTextMayStart(page: ParsedPage, i: number, name: string): boolean {
  if (page.hiddenFlags[i]) return false;
  const first = page.textStart[i]!;
  return first < page.textEnd[i]! && mayStart(page.texts[first], name);
}
