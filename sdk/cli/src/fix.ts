/**
 * `shifty heals --fix`: rewrites the locator call recorded at file:line:column with the healed locator,
 * and renders the change as a unified diff for review (`git apply`-able).
 */
import { LOCATOR_FACTORIES } from "@shifty/sdk";

export type Edit = { line: number; column: number; healedSelector: string; originalSelector: string };
export type EditOutcome = { edit: Edit; applied: boolean; reason?: string; before?: string; after?: string };

/** A Playwright locator expression for a selector string the heal produced. */
export function locatorExpression(selector: string, quote: '"' | "'" = '"'): string {
  const q = (s: string) =>
    quote === '"' ? JSON.stringify(s) : `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
  const unjson = (s: string): string | null => {
    try {
      return JSON.parse(s) as string;
    } catch {
      return null;
    }
  };
  const testId = /^\[data-testid=("(?:[^"\\]|\\.)*")\]$/.exec(selector);
  if (testId) {
    const value = unjson(testId[1]!);
    if (value !== null) return `getByTestId(${q(value)})`;
  }
  const role = /^role=([a-z]+)\[name=("(?:[^"\\]|\\.)*")\]$/.exec(selector);
  if (role) {
    const name = unjson(role[2]!);
    if (name !== null) return `getByRole(${q(role[1]!)}, { name: ${q(name)}, exact: true })`;
  }
  const text = /^text=("(?:[^"\\]|\\.)*")$/.exec(selector);
  if (text) {
    const value = unjson(text[1]!);
    if (value !== null) return `getByText(${q(value)}, { exact: true })`;
  }
  return `locator(${q(selector)})`;
}

/** Index just past the `)` matching the `(` at `open`, skipping strings, templates and comments. */
function matchParen(source: string, open: number): number {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    const ch = source[i]!;
    if (ch === '"' || ch === "'" || ch === "`") {
      for (i++; i < source.length && source[i] !== ch; i++) if (source[i] === "\\") i++;
      continue;
    }
    if (ch === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
      continue;
    }
    if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0) return i + 1;
  }
  return -1;
}

function offsetOf(source: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = source.indexOf("\n", offset);
    if (next === -1) return -1;
    offset = next + 1;
  }
  return offset + column - 1;
}

/**
 * Applies edits to one file's source. Each edit's position is where the locator was built (the stack
 * frame of the call); the call there (`getByText("Sign in")`) is replaced by the healed locator.
 * Edits are applied from the end of the file so earlier offsets stay valid.
 */
export function rewriteSource(source: string, edits: Edit[]): { source: string; outcomes: EditOutcome[] } {
  const located = edits.map((edit, order) => ({ edit, order, at: offsetOf(source, edit.line, edit.column) }));
  located.sort((a, b) => b.at - a.at);
  const outcomes: EditOutcome[] = new Array(edits.length);
  let out = source;
  const seen = new Set<number>();
  for (const { edit, order, at } of located) {
    const push = (outcome: EditOutcome) => {
      outcomes[order] = outcome;
    };
    if (at < 0 || at > out.length) {
      push({ edit, applied: false, reason: "the recorded line is past the end of the file" });
      continue;
    }
    // The frame points at the method name; tolerate a column on the receiver by searching this line.
    const lineEnd = out.indexOf("\n", at) === -1 ? out.length : out.indexOf("\n", at);
    const lineStart = out.lastIndexOf("\n", at - 1) + 1;
    const pattern = new RegExp(`\\b(${LOCATOR_FACTORIES.join("|")})\\s*\\(`, "g");
    pattern.lastIndex = Math.max(lineStart, at - 1);
    let match = pattern.exec(out);
    if (match && match.index > lineEnd) match = null;
    if (!match) {
      pattern.lastIndex = lineStart;
      match = pattern.exec(out);
      if (match && match.index > lineEnd) match = null;
    }
    if (!match) {
      push({ edit, applied: false, reason: "no locator call at the recorded position (source changed?)" });
      continue;
    }
    if (seen.has(match.index)) {
      push({ edit, applied: false, reason: "another heal already rewrote this call" });
      continue;
    }
    seen.add(match.index);
    const open = match.index + match[0].length - 1;
    const close = matchParen(out, open);
    if (close < 0) {
      push({ edit, applied: false, reason: "unbalanced parentheses at the recorded position" });
      continue;
    }
    const before = out.slice(match.index, close);
    const quote = /^[^(]*\(\s*'/.test(before) ? "'" : '"';
    const after = locatorExpression(edit.healedSelector, quote);
    out = out.slice(0, match.index) + after + out.slice(close);
    push({ edit, applied: true, before, after });
  }
  return { source: out, outcomes };
}

/**
 * A unified diff of one file (`git apply`-able): a line LCS over the region between the common prefix
 * and suffix, grouped into hunks with `context` lines around each change.
 */
export function unifiedDiff(path: string, before: string, after: string, context = 3): string {
  if (before === after) return "";
  const lines = (text: string) => (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
  const a = lines(before);
  const b = lines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  // LCS table over the middle (test files are small; the middle smaller still).
  const n = endA - start;
  const m = endB - start;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] =
        a[start + i] === b[start + j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  type Op = { kind: " " | "-" | "+"; text: string; ai: number; bi: number };
  const ops: Op[] = [];
  for (let k = 0; k < start; k++) ops.push({ kind: " ", text: a[k]!, ai: k, bi: k });
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[start + i] === b[start + j]) {
      ops.push({ kind: " ", text: a[start + i]!, ai: start + i, bi: start + j });
      i++;
      j++;
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      ops.push({ kind: "-", text: a[start + i]!, ai: start + i, bi: start + j });
      i++;
    } else {
      ops.push({ kind: "+", text: b[start + j]!, ai: start + i, bi: start + j });
      j++;
    }
  }
  for (let k = 0; endA + k < a.length; k++)
    ops.push({ kind: " ", text: a[endA + k]!, ai: endA + k, bi: endB + k });

  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  let k = 0;
  while (k < ops.length) {
    while (k < ops.length && ops[k]!.kind === " ") k++;
    if (k >= ops.length) break;
    const from = Math.max(0, k - context);
    let end = k;
    // Extend while the next change is within 2*context unchanged lines.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== " ") end++;
      let gap = end;
      while (gap < ops.length && ops[gap]!.kind === " ") gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const to = Math.min(ops.length, end + context);
    const hunk = ops.slice(from, to);
    const countA = hunk.filter((o) => o.kind !== "+").length;
    const countB = hunk.filter((o) => o.kind !== "-").length;
    const startA = hunk[0]!.ai + (countA ? 1 : 0);
    const startB = hunk[0]!.bi + (countB ? 1 : 0);
    out.push(`@@ -${startA},${countA} +${startB},${countB} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.text}`);
    k = to;
  }
  return `${out.join("\n")}\n`;
}
