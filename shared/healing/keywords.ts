/**
 * The words an element is named by, wherever the page put them: its id, name, class tokens and
 * href path as much as its text, label, title or placeholder. A redesign often moves a purpose word
 * from one field to another (`id="search-button"` becomes a button whose text is "Search";
 * `uh-notifications` becomes `ybarNotificationMenu`), which no per-field comparison sees
 * (docs/heal-model.md, the `keywords` strategy).
 */
import { boundedMemo } from "./bounded-memo.ts";
import { tokenize } from "./similarity.ts";

/** Words that name markup rather than purpose: they match across unrelated elements. */
const MARKUP_WORDS: ReadonlySet<string> = new Set(
  (
    "div span wrap wrapper container inner outer item element component module block text link " +
    "btn button icon label content box col row grid flex the and for with you your www com http https"
  ).split(" "),
);
/** A token's words: camelCase and PascalCase boundaries split it, then it is lower-cased. */
function lowerCaseWords(token: string): string[] {
  return token
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(" ");
}

/**
 * An id or name without the words that name markup, camelCase split: `search-button` → `search`,
 * `menuButton` → `menu`. The two share only "button", which says what they are, not what they are
 * for. Pass the identifier's stable base (identifiers.ts), case kept so camelCase words stay apart.
 * All markup (`btn-icon`) keeps every word.
 */
export function identifierPurpose(base: string): string {
  const words = tokenize(base).flatMap(lowerCaseWords);
  const kept = words.filter((word) => !MARKUP_WORDS.has(word));
  return (kept.length > 0 ? kept : words).join("-");
}

/** Enough words to name an element; a paragraph's tail adds nothing but dilution. */
const MAX_WORDS = 16;
const memo = boundedMemo<ReadonlySet<string>>();

function addWords(source: string, words: Set<string>): void {
  for (const token of tokenize(source)) {
    // A token with a digit is a generated hash or an index (`hn4bge`, `sc-1dpbk03`), not a name.
    if (token.length < 3 || /\d/.test(token)) continue;
    for (const raw of lowerCaseWords(token)) {
      if (words.size >= MAX_WORDS) return;
      if (raw.length < 3) continue;
      const word = raw.length > 4 && raw.endsWith("s") && !raw.endsWith("ss") ? raw.slice(0, -1) : raw;
      if (!MARKUP_WORDS.has(word)) words.add(word);
    }
  }
}

/**
 * The element's purpose words from its naming attributes, class stems (prepare.ts, hashes already
 * dropped), href path and text.
 */
export function keywordsOf(
  attributes: Record<string, string>,
  classStems: ReadonlySet<string>,
  text: string,
  hrefPath: string,
): ReadonlySet<string> {
  const classes = [...classStems].join(" ");
  const naming = [
    attributes.id,
    attributes.name,
    attributes["aria-label"],
    attributes.title,
    attributes.placeholder,
    attributes.alt,
    attributes.value,
    attributes.type,
  ];
  const key = `${naming.join("\u0001")}\u0001${classes}\u0001${hrefPath}\u0001${text.slice(0, 200)}`;
  return memo(key, () => {
    const words = new Set<string>();
    for (const value of naming) if (value) addWords(value, words);
    addWords(text.slice(0, 200), words);
    addWords(hrefPath, words);
    addWords(classes, words);
    return words;
  });
}
