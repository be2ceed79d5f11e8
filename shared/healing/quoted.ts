/**
 * Quoted arguments in locator code (`By.id("save")`, `cy.get(\`#a\`)`), read
 * by regular expressions, and CSS strings written back.
 */

const STRINGS = String.raw`'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|\x60((?:[^\x60\\]|\\.)*)\x60`;

/** A quoted string: '…', "…" or `…`, backslash escapes kept; three capture groups. */
export const QUOTED = `(?:${STRINGS})`;

/** The value of the quoted argument whose capture groups start at `from`, escapes undone. */
export function unquote(match: RegExpExecArray, from: number): string {
  const raw = match[from] ?? match[from + 1] ?? match[from + 2] ?? "";
  return raw.replace(/\\(.)/g, "$1");
}

/** A CSS string: double quotes, with `"` and `\` escaped. */
export const cssString = (value: string) => `"${value.replace(/[\\"]/g, "\\$&")}"`;
