/**
 * The cheap first pass over a big page: one linear scan with property lookups, integer
 * comparisons and prefix sums (no per-element allocation, no regex), scoring how plausibly each
 * element is the target. Only the best SHORTLIST_LIMIT are then described, prepared and scored
 * by the real strategies, so a 10k-node page costs little more than parsing it.
 *
 * The proxy mirrors the evidence the cheap strategies weigh (test id, id/name, text and name
 * tokens, tag, role, classes, href, neighbour text, depth); it only has to keep the right element
 * in the shortlist, not to rank it.
 */
import type { ParsedPage } from "./dom.ts";
import { roleOfPageElement } from "./page-roles.ts";
import type { PreparedElement } from "./prepare.ts";

/** Pages with at most this many visible candidates are scored exhaustively. */
export const SHORTLIST_LIMIT = 200;
/** Proxy token matching looks at this many target tokens per text. */
const MAX_TOKENS = 8;

function tokensOf(set: ReadonlySet<string>): string[] {
  const tokens: string[] = [];
  for (const token of set) {
    if (tokens.length >= MAX_TOKENS) break;
    tokens.push(token);
  }
  return tokens;
}

/**
 * A target token and, for ASCII text, a case-insensitive search for it: on ASCII text /token/i
 * matches exactly where the text lower-cased contains the token, with no lower-cased copy built
 * (toLowerCase allocates one even for a string already in lower case, which over every text and
 * label of a 10k-node page was a third of the shortlist's garbage). A token with ASCII capitals
 * can never be in lower-cased ASCII text (null).
 */
type TokenSearch = { token: string; ascii: RegExp | null; word: RegExp | null };

/**
 * Tokens this short are looked for as whole words: as substrings, "a", "n" and "s" (a
 * navigation cell "A | N | S") or "ok" and "1" are in nearly every text of a page, so every
 * element would score their full text share and the target could miss the shortlist.
 */
const WHOLE_WORD_LENGTH = 2;

function searchesFor(tokens: readonly string[]): TokenSearch[] {
  return tokens.map((token) => {
    const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const word =
      token.length <= WHOLE_WORD_LENGTH
        ? new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, "iu")
        : null;
    return { token, ascii: /[A-Z]/.test(token) ? null : new RegExp(escaped, "i"), word };
  });
}

/** Share of the tokens found in `text` lower-cased: as substrings, or as words when short. */
function fraction(text: string, searches: readonly TokenSearch[]): number {
  let found = 0;
  if (isAscii(text)) {
    for (const search of searches) if ((search.word ?? search.ascii)?.test(text)) found++;
  } else {
    // Beyond ASCII, lower-casing is not one unit for one unit: compare with the real thing.
    const lower = text.toLowerCase();
    for (const search of searches)
      if (search.word ? search.word.test(lower) : lower.includes(search.token)) found++;
  }
  return found / searches.length;
}

function isAscii(text: string): boolean {
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) >= 128) return false;
  return true;
}

/** ASCII letter `c` in lower case (other code units unchanged). */
function foldAscii(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

/** Whether `text` (ASCII) lower-cased contains `token` at or after `from` (at exactly `from` if `anchored`). */
function asciiIncludes(text: string, token: string, from: number, anchored = false): boolean {
  const last = anchored ? from : text.length - token.length;
  outer: for (let at = from; at <= last; at++) {
    for (let k = 0; k < token.length; k++) {
      if (foldAscii(text.charCodeAt(at + k)) !== token.charCodeAt(k)) continue outer;
    }
    return true;
  }
  return false;
}

/** `value.toLowerCase().startsWith(prefix)`, allocation-free for ASCII values. */
function lowerStartsWith(value: string, prefix: string): boolean {
  if (!isAscii(value)) return value.toLowerCase().startsWith(prefix);
  return prefix.length <= value.length && asciiIncludes(value, prefix, 0, true);
}

/** `value.toLowerCase().includes(token)`, allocation-free for ASCII values. */
function lowerIncludes(value: string, token: string): boolean {
  return isAscii(value) ? asciiIncludes(value, token, 0) : value.toLowerCase().includes(token);
}

/** `value.toLowerCase() === lower`, allocation-free for ASCII values. */
function lowerEquals(value: string, lower: string): boolean {
  if (!isAscii(value)) return value.toLowerCase() === lower;
  return value.length === lower.length && asciiIncludes(value, lower, 0, true);
}

/**
 * Indices (into the page's candidates, ascending) of the visible candidates worth full scoring: all of them
 * on a small page, otherwise the best `limit` by the proxy score.
 */
// biome-ignore lint/complexity/noExcessiveLinesPerFunction: the one pass over every element of the page keeps its facts in locals; split into functions it measured ~10 % slower at 50k nodes (docs/heal-model.md, "Cost of the DOM form")
export function shortlistPage(page: ParsedPage, target: PreparedElement, limit = SHORTLIST_LIMIT): number[] {
  const count = page.count;
  const hiddenFlags = page.hiddenFlags;
  let visibleCount = 0;
  for (let i = 0; i < count; i++) if (!hiddenFlags[i]) visibleCount++;
  if (visibleCount <= limit) {
    const all: number[] = [];
    for (let i = 0; i < count; i++) if (!hiddenFlags[i]) all.push(i);
    return all;
  }
  // Typed, sized once: pushed one by one, 10k indices reallocate the array a dozen times.
  const visible = new Int32Array(visibleCount);
  for (let i = 0, v = 0; i < count; i++) if (!hiddenFlags[i]) visible[v++] = i;

  const { texts, textStart, textEnd, tags, nodeOf } = page;
  const { attrStart, attrCount, attrNames, attrValues } = page.nodes;
  const textTokens = searchesFor(tokensOf(target.text.tokens));
  const nameTokens = searchesFor(tokensOf(target.accessibleName.tokens));
  const aboveTokens = searchesFor(tokensOf(target.neighbors.above.tokens));
  const belowTokens = searchesFor(tokensOf(target.neighbors.below.tokens));
  // Per text node: share of target tokens it contains; prefix sums give an element's text in O(1).
  const textPrefix = new Float64Array(texts.length + 1);
  const aboveHit = aboveTokens.length > 0 ? new Float64Array(texts.length) : null;
  const belowHit = belowTokens.length > 0 ? new Float64Array(texts.length) : null;
  const wantsTexts = textTokens.length + nameTokens.length > 0 || aboveHit || belowHit;
  // Short texts are interned by the parser (page-parser.ts), so a repeated label is one string:
  // its shares are computed once, at its first node.
  const firstOf = new Map<string, number>();
  const textHit = new Float64Array(texts.length);
  for (let k = 0; k < texts.length; k++) {
    let hit = 0;
    if (wantsTexts) {
      const text = texts[k]!;
      const first = firstOf.get(text);
      if (first !== undefined) {
        hit = textHit[first]!;
        if (aboveHit) aboveHit[k] = aboveHit[first]!;
        if (belowHit) belowHit[k] = belowHit[first]!;
      } else {
        firstOf.set(text, k);
        if (textTokens.length > 0) hit = fraction(text, textTokens);
        else if (nameTokens.length > 0) hit = fraction(text, nameTokens);
        if (aboveHit) aboveHit[k] = fraction(text, aboveTokens);
        if (belowHit) belowHit[k] = fraction(text, belowTokens);
      }
    }
    textHit[k] = hit;
    textPrefix[k + 1] = textPrefix[k]! + hit;
  }

  const tag = target.tag;
  const testId = target.testId;
  const testIdName = testId?.name;
  const testIdStem = testId ? testId.value.toLowerCase().replace(/[-_:.][a-z0-9]*\d[a-z0-9]*$/, "") : "";
  const { id, idStem, name, nameStem, role, hrefPath } = target;
  const classStems = [...target.classStems].slice(0, 4);
  const type = target.attributes.type?.toLowerCase();
  const targetDepth = target.pathTags.length - 1; // page.depth counts html as 0
  const parentTag = target.pathTags[target.pathTags.length - 2] ?? "";

  const roles = new Map<string, string | null>();
  // Class attributes repeat (one per component): their proxy score is computed once each.
  const classScores = new Map<string, number>();
  const scores = new Float64Array(visible.length);
  for (let v = 0; v < visible.length; v++) {
    const i = visible[v]!;
    const node = nodeOf[i]!;
    const elementTag = tags[i]!;
    // One pass over the attributes the element has (usually one to three) instead of a dozen
    // lookups of mostly absent keys on objects of countless shapes.
    let testIdValue: string | undefined;
    let dataTestId: string | undefined;
    let idValue: string | undefined;
    let nameValue: string | undefined;
    let roleValue: string | undefined;
    let classes: string | undefined;
    let href: string | undefined;
    let elementType: string | undefined;
    let nameBest = 0;
    const attributesEnd = attrStart[node]! + attrCount[node]!;
    for (let k = attrStart[node]!; k < attributesEnd; k++) {
      const key = attrNames[k]!;
      const value = attrValues[k]!;
      switch (key) {
        case "id":
          idValue = value;
          break;
        case "name":
          nameValue = value;
          break;
        case "class":
          classes = value;
          break;
        case "role":
          roleValue = value;
          break;
        case "href":
          href = value;
          break;
        case "type":
          elementType = value;
          break;
        case "aria-label":
        case "title":
        case "placeholder":
        case "alt":
        case "value":
          if (nameTokens.length > 0 && value !== "")
            nameBest = Math.max(nameBest, fraction(value, nameTokens));
          break;
        default:
          if (key === testIdName) testIdValue = value;
          if (key === "data-testid") dataTestId = value;
      }
    }
    let score = 0;
    if (elementTag === tag) score += 1.5;
    if (testId) {
      const value = testIdValue ?? dataTestId;
      if (value !== undefined) {
        if (value === testId.value) score += 8;
        else if (testIdStem !== "" && lowerStartsWith(value, testIdStem)) score += 2;
      }
    }
    if (id !== "") {
      const value = idValue;
      if (value !== undefined) {
        if (value === id) score += 4;
        else if (idStem !== "" && lowerStartsWith(value, idStem)) score += 3;
      }
    }
    if (name !== "") {
      const value = nameValue;
      if (value !== undefined) {
        if (value === name) score += 4;
        else if (nameStem !== "" && lowerStartsWith(value, nameStem)) score += 3;
      }
    }
    const start = textStart[i]!;
    const end = textEnd[i]!;
    if (end > start) score += (4 * (textPrefix[end]! - textPrefix[start]!)) / (end - start);
    if (nameTokens.length > 0) score += 3 * nameBest;
    if (aboveHit && start > 0) score += 1.5 * aboveHit[start - 1]!;
    if (belowHit && end < texts.length) score += 1.5 * belowHit[end]!;
    if (role !== null && roleOfPageElement(page, i, roleValue, roles) === role) score += 1;
    if (classStems.length > 0 && classes !== undefined) {
      let classScore = classScores.get(classes);
      if (classScore === undefined) {
        const lower = classes.toLowerCase();
        let found = 0;
        for (const stem of classStems) if (lower.includes(stem)) found++;
        classScore = (1.5 * found) / classStems.length;
        classScores.set(classes, classScore);
      }
      score += classScore;
    }
    if (hrefPath !== "" && href !== undefined && lowerIncludes(href, hrefPath)) score += 2;
    if (type !== undefined && elementType !== undefined && lowerEquals(elementType, type)) score += 0.5;
    if (page.depth[i] === targetDepth) score += 0.3;
    const parent = page.parentIndex[i]!;
    if (parent >= 0 && tags[parent] === parentTag) score += 0.3;
    scores[v] = score;
  }

  // The limit-th best score; ties at the cut are taken in document order.
  return topByScore(scores, visible, limit);
}

/** Share of `wanted` tokens present in `found` (set lookups only), at most MAX_TOKENS looked at. */
function tokenShare(wanted: ReadonlySet<string>, found: ReadonlySet<string>): number {
  if (wanted.size === 0 || found.size === 0) return 0;
  let seen = 0;
  let hits = 0;
  for (const token of wanted) {
    if (seen++ >= MAX_TOKENS) break;
    if (found.has(token)) hits++;
  }
  return hits / Math.min(wanted.size, MAX_TOKENS);
}

/**
 * Candidates form: the same cheap first pass over prepared descriptors (exact and stem equalities,
 * token set lookups, layout distance; no edit distance), so only the best `limit` pay for the
 * strategies. Returns ascending indices of the visible candidates kept; all of them when few.
 */
export function shortlistCandidates(
  target: PreparedElement,
  candidates: readonly PreparedElement[],
  limit = SHORTLIST_LIMIT,
): number[] {
  const visible: number[] = [];
  for (let i = 0; i < candidates.length; i++) if (!candidates[i]!.hidden) visible.push(i);
  if (visible.length <= limit) return visible;
  const { tag, testId, id, idStem, name, nameStem, role, hrefPath, rect, idXpath } = target;
  const depth = target.pathTags.length;
  const scores = new Float64Array(visible.length);
  for (let v = 0; v < visible.length; v++) {
    const c = candidates[visible[v]!]!;
    let score = c.tag === tag ? 1.5 : 0;
    if (testId && c.testId) {
      if (c.testId.value === testId.value) score += 8;
      else if (c.testId.value.toLowerCase().startsWith(identifierStemOf(testId.value))) score += 2;
    }
    if (id !== "" && c.id !== "") score += c.id === id ? 4 : idStem !== "" && c.idStem === idStem ? 3 : 0;
    if (name !== "" && c.name !== "")
      score += c.name === name ? 4 : nameStem !== "" && c.nameStem === nameStem ? 3 : 0;
    score += 4 * tokenShare(target.text.tokens, c.text.tokens);
    score += 3 * tokenShare(target.accessibleName.tokens, c.accessibleName.tokens);
    if (role !== null && c.role === role) score += 1;
    if (target.classStems.size > 0) score += 1.5 * tokenShare(target.classStems, c.classStems);
    if (hrefPath !== "" && c.hrefPath === hrefPath) score += 2;
    score += 1.5 * tokenShare(target.neighbors.above.tokens, c.neighbors.above.tokens);
    score += 1.5 * tokenShare(target.neighbors.below.tokens, c.neighbors.below.tokens);
    if (rect && c.rect) {
      const dx = rect.x + rect.width / 2 - (c.rect.x + c.rect.width / 2);
      const dy = rect.y + rect.height / 2 - (c.rect.y + c.rect.height / 2);
      score += 3 / (1 + Math.sqrt(dx * dx + dy * dy) / 100);
    }
    if (idXpath !== "" && c.idXpath === idXpath) score += 2;
    if (depth > 0 && c.pathTags.length === depth) score += 0.3;
    scores[v] = score;
  }
  return topByScore(scores, visible, limit);
}

const stems = new Map<string, string>();
function identifierStemOf(value: string): string {
  let stem = stems.get(value);
  if (stem === undefined) {
    stem = value.toLowerCase().replace(/[-_:.][a-z0-9]*\d[a-z0-9]*$/, "");
    if (stems.size > 1000) stems.clear();
    stems.set(value, stem);
  }
  return stem;
}

/**
 * The k-th largest score (counting equal scores separately), with a min-heap of the k best: most
 * scores are below its root and cost one comparison, where sorting them all cost n log n.
 */
function kthLargest(scores: Float64Array, k: number): number {
  const heap = new Float64Array(k);
  let size = 0;
  for (let v = 0; v < scores.length; v++) {
    const score = scores[v]!;
    if (size < k) {
      // Sift up.
      let child = size++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (heap[parent]! <= score) break;
        heap[child] = heap[parent]!;
        child = parent;
      }
      heap[child] = score;
    } else if (score > heap[0]!) {
      // Replace the root and sift down.
      let parent = 0;
      for (;;) {
        let child = 2 * parent + 1;
        if (child >= k) break;
        if (child + 1 < k && heap[child + 1]! < heap[child]!) child++;
        if (heap[child]! >= score) break;
        heap[parent] = heap[child]!;
        parent = child;
      }
      heap[parent] = score;
    }
  }
  return heap[0]!;
}

/** The `limit` best entries of `items` by score, in their original order; ties at the cut in order. */
function topByScore(scores: Float64Array, items: ArrayLike<number>, limit: number): number[] {
  const cut = kthLargest(scores, limit);
  let above = 0;
  for (let v = 0; v < scores.length; v++) if (scores[v]! > cut) above++;
  let ties = limit - above;
  const result: number[] = [];
  for (let v = 0; v < scores.length; v++) {
    const score = scores[v]!;
    if (score > cut || (score === cut && ties-- > 0)) result.push(items[v]!);
  }
  return result;
}
