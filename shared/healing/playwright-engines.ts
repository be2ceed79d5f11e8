/**
 * Playwright's `internal:` selector engines, the notation its getBy* locators stand for and what its
 * traces and error messages print (docs/heal-api.md, "selector"):
 * `internal:role=button[name="Save"i]`, `internal:text="Save"s`, `internal:label=/e-?mail/i`,
 * `internal:testid=[data-testid="cart"s]`, `internal:attr=[placeholder="Search"i]`, and the
 * `internal:has-text="…"i` / `internal:has-not-text` filters `.filter({ hasText })` adds to a chain.
 * A quoted value ends in `i` (case-insensitive substring) or `s` (the exact text); a regex is kept as
 * its source and never run (a user's pattern against page text is a denial-of-service risk).
 */

import { QUOTED, unquote } from "./quoted.ts";

/** How a locator matches a text: a string (exact or substring, case aside) or a regex. */
export type TextMatch = { text: string; exact: boolean } | { regex: string; flags: string };

export type EnginePart =
  | { engine: "role"; role: string; name: TextMatch | null }
  | { engine: "text" | "has-text" | "has-not-text" | "label"; match: TextMatch }
  | { engine: "attr"; attribute: string; match: TextMatch }
  /** `.filter({ has })`: keeps the elements holding a match of the nested selector. */
  | { engine: "has" | "has-not"; selector: string };

/** A string or regex as Playwright writes it into a selector. */
export function engineValue(match: TextMatch): string {
  if ("regex" in match) return `/${match.regex}/${match.flags}`;
  return `${JSON.stringify(match.text)}${match.exact ? "s" : "i"}`;
}

/** Reads one value at the start of `body`: `"…"i`, `"…"s`, `"…"`, `/…/flags`; its length too. */
function readValue(body: string): { match: TextMatch; length: number } | null {
  const quoted = /^\s*"((?:[^"\\]|\\.)*)"([is]?)/.exec(body);
  if (quoted) {
    let text: string;
    try {
      text = JSON.parse(`"${quoted[1]}"`) as string;
    } catch {
      text = quoted[1]!.replace(/\\(.)/g, "$1");
    }
    return { match: { text, exact: quoted[2] === "s" }, length: quoted[0].length };
  }
  const regex = /^\s*\/((?:[^/\\[]|\\.|\[(?:[^\]\\]|\\.)*\])+)\/([a-z]*)/.exec(body);
  if (regex) return { match: { regex: regex[1]!, flags: regex[2]! }, length: regex[0].length };
  return null;
}

/** A whole value, or the bare text Playwright also accepts (`internal:text=Save`). */
function wholeValue(body: string): TextMatch {
  const read = readValue(body);
  if (read && body.slice(read.length).trim() === "") return read.match;
  return { text: body.trim(), exact: false };
}

/** `[name="Save"i][checked=true]…`: the attribute list of a role or attr selector, by name. */
function readAttributes(body: string): Map<string, TextMatch> | null {
  const attributes = new Map<string, TextMatch>();
  let rest = body.trim();
  while (rest !== "") {
    const open = /^\[\s*([\w:-]+)\s*(=?)/.exec(rest);
    if (!open) return null;
    rest = rest.slice(open[0].length);
    let match: TextMatch = { text: "true", exact: false };
    if (open[2] === "=") {
      const read = readValue(rest);
      const bare = read ? null : /^\s*([^\]]*)/.exec(rest)!;
      match = read ? read.match : { text: bare![1]!.trim(), exact: false };
      rest = rest.slice(read ? read.length : bare![0].length);
    }
    const close = /^\s*\]\s*/.exec(rest);
    if (!close) return null;
    rest = rest.slice(close[0].length);
    attributes.set(open[1]!.toLowerCase(), match);
  }
  return attributes;
}

const WHOLLY_QUOTED = new RegExp(String.raw`^\s*${QUOTED}\s*$`);

/**
 * Playwright's older engines as the internal ones: `text="Save"` (quoted: the exact text),
 * `text=Save`, `role=button[name="Save"]`, `id=save`, `data-testid=cart` (exact values).
 */
function readLegacyEngine(part: string): EnginePart | null {
  const engine = /^(text|role|id|data-testid|data-test-id|data-test)\s*=\s*([\s\S]+)$/.exec(part.trim());
  if (!engine) return null;
  const [, kind, body] = engine as unknown as [string, string, string];
  if (kind === "role") return readEngine(`internal:role=${body}`);
  const quoted = WHOLLY_QUOTED.exec(body);
  const text = quoted ? unquote(quoted, 1) : body.trim();
  if (kind !== "text") return { engine: "attr", attribute: kind, match: { text, exact: true } };
  const regex = quoted ? null : readValue(body);
  if (regex && "regex" in regex.match) return { engine: "text", match: regex.match };
  return { engine: "text", match: { text, exact: quoted !== null } };
}

/** One `internal:` part of a selector (or an older engine's), or null when it is not one read here. */
export function readEngine(part: string): EnginePart | null {
  const engine = /^internal:(role|text|has-text|has-not-text|has|has-not|label|testid|attr)=([\s\S]+)$/.exec(
    part.trim(),
  );
  if (!engine) return readLegacyEngine(part);
  const [, kind, body] = engine as unknown as [string, string, string];
  switch (kind) {
    case "role": {
      const role = /^\s*([a-z]+)/i.exec(body);
      if (!role) return null;
      const attributes = readAttributes(body.slice(role[0].length));
      if (!attributes) return null;
      return { engine: "role", role: role[1]!.toLowerCase(), name: attributes.get("name") ?? null };
    }
    case "testid":
    case "attr": {
      const attributes = readAttributes(body);
      const [first] = attributes ?? [];
      if (!first || attributes!.size !== 1) return null;
      return { engine: "attr", attribute: first[0], match: first[1] };
    }
    case "has":
    case "has-not": {
      const nested = readValue(body);
      if (!nested || !("text" in nested.match) || body.slice(nested.length).trim() !== "") return null;
      return { engine: kind, selector: nested.match.text };
    }
    default:
      return { engine: kind as "text" | "has-text" | "has-not-text" | "label", match: wholeValue(body) };
  }
}

/**
 * The words a match looks for, as plain text: a string as it is; a regex with its anchors, classes
 * and quantifiers taken out and each alternation's first branch kept (`/^sign\s*in$/i` → "sign in",
 * `/save (all|some) changes?/` → "save all changes"). What a cold start compares, since the
 * engine's text strategies are forgiving anyway.
 */
export function plainText(match: TextMatch): string {
  if (!("regex" in match)) return match.text;
  let source = match.regex;
  // Innermost groups first, each replaced by its first branch.
  const group = /(?<!\\)\((?:\?[:=!])?((?:[^()\\]|\\.)*)\)/;
  for (let found = group.exec(source); found; found = group.exec(source))
    source =
      source.slice(0, found.index) +
      found[1]!.split(/(?<!\\)\|/)[0]! +
      source.slice(found.index + found[0].length);
  let text = "";
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === "\\") {
      const escaped = source[++i] ?? "";
      // \s is a space; \d, \w, \b and the like stand for no one character.
      if (escaped === "s") text += " ";
      else if (!/[a-zA-Z]/.test(escaped)) text += escaped;
    } else if (char === "[") {
      while (i < source.length && source[i] !== "]") i += source[i] === "\\" ? 2 : 1;
    } else if (char === "{") {
      while (i < source.length && source[i] !== "}") i++;
    } else if (char === "|") break;
    else if (char === ".") text += " ";
    else if (!"^$*+?".includes(char)) text += char;
  }
  return text.replace(/\s+/g, " ").trim();
}

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

/**
 * Whether `actual` matches as Playwright matches texts: exact (whitespace collapsed) or a
 * case-insensitive substring; null for a regex, which is not run.
 */
export function matchesText(actual: string, match: TextMatch): boolean | null {
  if ("regex" in match) return null;
  const have = collapse(actual);
  const want = collapse(match.text);
  return match.exact ? have === want : have.toLowerCase().includes(want.toLowerCase());
}

/** The parts of a `>>` selector chain, split outside quotes: `#f >> text="a >> b"` → two parts. */
export function splitChain(selector: string): string[] {
  const parts: string[] = [];
  let quote = "";
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const char = selector[i]!;
    if (quote) {
      if (char === "\\") i++;
      else if (char === quote) quote = "";
    } else if (char === '"' || char === "'" || char === "`") quote = char;
    else if (char === ">" && selector[i + 1] === ">") {
      parts.push(selector.slice(start, i).trim());
      start = i + 2;
      i++;
    }
  }
  parts.push(selector.slice(start).trim());
  return parts.filter((part) => part !== "");
}
