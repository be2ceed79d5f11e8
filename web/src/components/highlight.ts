// A small TypeScript/JavaScript tokenizer for showing generated specs: comments, strings (template
// literals included, without their `${}` parts), numbers and keywords. It only colours text, so an
// unusual construct (a regular expression literal) at worst shows in the plain colour.

export type TokenKind = "comment" | "string" | "number" | "keyword" | "plain";
export type Token = { kind: TokenKind; text: string };

const KEYWORDS = new Set(
  (
    "as async await break case catch class const continue debugger default delete do else enum export " +
    "extends false finally for from function if implements import in instanceof interface let new null " +
    "of return static super switch this throw true try type typeof undefined var void while with yield"
  ).split(" "),
);

const IDENT_START = /[A-Za-z_$]/;
const IDENT = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let plain = "";
  const push = (kind: TokenKind, text: string) => {
    if (plain) tokens.push({ kind: "plain", text: plain });
    plain = "";
    tokens.push({ kind, text });
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const next = source[i + 1];
    if (c === "/" && next === "/") {
      const end = source.indexOf("\n", i);
      const stop = end === -1 ? source.length : end;
      push("comment", source.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      const end = source.indexOf("*/", i + 2);
      const stop = end === -1 ? source.length : end + 2;
      push("comment", source.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'" || c === "`") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) {
        if (source[j] === "\\") j++;
        else if (source[j] === "\n" && c !== "`") break;
        j++;
      }
      const stop = Math.min(j + 1, source.length);
      push("string", source.slice(i, stop));
      i = stop;
    } else if (DIGIT.test(c) && !IDENT.test(source[i - 1] ?? " ")) {
      let j = i + 1;
      while (j < source.length && /[0-9a-fA-FxXoObB._n]/.test(source[j]!)) j++;
      push("number", source.slice(i, j));
      i = j;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < source.length && IDENT.test(source[j]!)) j++;
      const word = source.slice(i, j);
      // A property name (`page.type`) is not a keyword.
      if (KEYWORDS.has(word) && source[i - 1] !== ".") push("keyword", word);
      else plain += word;
      i = j;
    } else {
      plain += c;
      i++;
    }
  }
  if (plain) tokens.push({ kind: "plain", text: plain });
  return tokens;
}
