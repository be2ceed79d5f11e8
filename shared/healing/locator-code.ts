/**
 * Locator code as test authors write it and Playwright's `locator.toString()` prints it (or Cypress
 * code), read into its calls: `page.getByRole('button', { name: /save/i }).first()` → getByRole(…),
 * first().
 * A reader for the literals locators take (strings, regexes, numbers, booleans, flat objects), not a
 * JavaScript parser: anything else (a variable, a nested locator, `${…}`) makes the code unreadable.
 */

export type CodeValue =
  | { kind: "string"; value: string }
  | { kind: "regex"; source: string; flags: string }
  | { kind: "number"; value: number }
  | { kind: "boolean"; value: boolean }
  | { kind: "object"; entries: Record<string, CodeValue> }
  /** A nested locator, as `filter({ has: page.getByRole('heading') })` takes. */
  | { kind: "locator"; calls: CodeCall[] };

export type CodeCall = { name: string; args: CodeValue[] };

/** The reader's tokens, compiled once (sticky: each matches exactly where the reader stands). */
const TOKENS = {
  name: /[A-Za-z_$][\w$]*/y,
  literal: /-?\d+(?:\.\d+)?|(?:true|false)(?![\w$])/y,
  flags: /[a-z]*/y,
  /** What a chain is called on: `page.`, `this.page.`, `frame.`, `cy.`, after an optional `await`. */
  receiver: /(?:await\s+)?(?:this\.)?(?:page|frame|cy)(?=\.)/y,
};

/** Thrown inside the reader only; readLocatorCalls answers null. */
class Unreadable extends Error {}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r" };

class Reader {
  pos = 0;
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  get done() {
    return this.pos >= this.text.length;
  }

  skipSpace() {
    while (!this.done && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** Consumes `token` (after white space) when it comes next. */
  eat(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.pos)) return false;
    this.pos += token.length;
    return true;
  }

  expect(token: string) {
    if (!this.eat(token)) throw new Unreadable();
  }

  /** Consumes what a sticky pattern (TOKENS) matches next, after white space. */
  match(sticky: RegExp): RegExpExecArray | null {
    this.skipSpace();
    sticky.lastIndex = this.pos;
    const found = sticky.exec(this.text);
    if (found) this.pos = sticky.lastIndex;
    return found;
  }

  string(quote: string): string {
    let value = "";
    for (this.pos++; !this.done; this.pos++) {
      const char = this.text[this.pos]!;
      if (char === quote) {
        this.pos++;
        return value;
      }
      if (char === "\\") {
        const next = this.text[++this.pos] ?? "";
        value += ESCAPES[next] ?? next;
      } else if (quote === "`" && char === "$" && this.text[this.pos + 1] === "{") throw new Unreadable();
      else value += char;
    }
    throw new Unreadable();
  }

  regex(): CodeValue {
    let inClass = false;
    const start = ++this.pos;
    for (; !this.done; this.pos++) {
      const char = this.text[this.pos]!;
      if (char === "\\") this.pos++;
      else if (char === "[") inClass = true;
      else if (char === "]") inClass = false;
      else if (char === "/" && !inClass) break;
    }
    if (this.done || this.pos === start) throw new Unreadable();
    const source = this.text.slice(start, this.pos++);
    const flags = this.match(TOKENS.flags)![0];
    return { kind: "regex", source, flags };
  }

  value(): CodeValue {
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === "'" || char === '"' || char === "`") return { kind: "string", value: this.string(char) };
    if (char === "/") return this.regex();
    if (char === "{") return this.object();
    const literal = this.match(TOKENS.literal);
    if (!literal) {
      const calls: CodeCall[] = [];
      this.chain(calls);
      if (calls.length === 0) throw new Unreadable();
      return { kind: "locator", calls };
    }
    if (literal[0] === "true" || literal[0] === "false")
      return { kind: "boolean", value: literal[0] === "true" };
    return { kind: "number", value: Number(literal[0]) };
  }

  object(): CodeValue {
    this.expect("{");
    const entries: Record<string, CodeValue> = {};
    while (!this.eat("}")) {
      this.skipSpace();
      const char = this.text[this.pos];
      const key = char === "'" || char === '"' ? this.string(char) : (this.match(TOKENS.name)?.[0] ?? null);
      if (key === null) throw new Unreadable();
      this.expect(":");
      entries[key] = this.value();
      if (!this.eat(",")) {
        this.expect("}");
        break;
      }
    }
    return { kind: "object", entries };
  }

  /**
   * The calls of a chain, after an optional `await`, `this.` and `page.` (or `frame.`, `cy.`), pushed onto
   * `calls` as they are read (what was read survives an unreadable rest); stops before anything
   * that is not `.name(…)`.
   */
  chain(calls: CodeCall[]) {
    this.match(TOKENS.receiver);
    for (;;) {
      const start = this.pos;
      const dot = this.eat(".");
      const name = this.match(TOKENS.name);
      if (!name || (!dot && calls.length > 0)) {
        this.pos = start;
        return;
      }
      calls.push({ name: name[0], args: this.args() });
    }
  }

  /** `name(arg, …)`, the name already read. */
  args(): CodeValue[] {
    this.expect("(");
    const args: CodeValue[] = [];
    while (!this.eat(")")) {
      args.push(this.value());
      if (!this.eat(",")) {
        this.expect(")");
        break;
      }
    }
    return args;
  }
}

/**
 * The calls of a locator chain, after an optional `await`, `this.` and `page.` (or `frame.`), or
 * null when `code` is not only such a chain. `getByRole('button').first()` → two calls.
 * `leading`: read the calls `code` starts with and ignore what follows
 * (`getByRole('button')).toBeVisible()` → one call).
 */
export function readLocatorCalls(code: string, leading = false): CodeCall[] | null {
  const reader = new Reader(code.trim().replace(/;$/, ""));
  const calls: CodeCall[] = [];
  try {
    reader.chain(calls);
    reader.skipSpace();
  } catch (error) {
    if (!(error instanceof Unreadable)) throw error;
    if (!leading) return null;
  }
  if (!reader.done && !leading) return null;
  return calls.length > 0 ? calls : null;
}
