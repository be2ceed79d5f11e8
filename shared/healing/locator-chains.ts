/**
 * Playwright locator chains written as code, rewritten to the `>>` selector chain Playwright itself
 * uses, which the engine reads (docs/heal-api.md, "selector"):
 * `page.locator('#f').locator('button').filter({ hasText: 'Save' }).first()` →
 * `#f >> button:has-text("Save") >> nth=0`, and `page.locator('#save')` → `#save`. A chain with any
 * other step is left alone (null).
 */

import { cssString, QUOTED, unquote } from "./quoted.ts";

const hasText = (text: string) => `:has-text(${cssString(text)})`;

/** One step of a chain, matched at the start of what is left. */
const STEPS: { pattern: RegExp; step: (m: RegExpExecArray, parts: string[]) => boolean }[] = [
  {
    // .locator('css'), .locator('css', { hasText: 'Save' })
    pattern: new RegExp(
      String.raw`^\.?locator\(\s*` +
        QUOTED +
        String.raw`\s*(?:,\s*\{\s*hasText\s*:\s*` +
        QUOTED +
        String.raw`\s*\}\s*)?\)`,
    ),
    step: (m, parts) => {
      const text = m[4] ?? m[5] ?? m[6];
      parts.push(unquote(m, 1) + (text === undefined ? "" : hasText(unquote(m, 4))));
      return true;
    },
  },
  {
    // .filter({ hasText: 'Save' }) narrows the step before it.
    pattern: new RegExp(String.raw`^\.filter\(\s*\{\s*hasText\s*:\s*` + QUOTED + String.raw`\s*\}\s*\)`),
    step: (m, parts) => {
      if (parts.length === 0) return false;
      parts[parts.length - 1] += hasText(unquote(m, 1));
      return true;
    },
  },
  { pattern: /^\.first\(\s*\)/, step: (_, parts) => parts.push("nth=0") > 0 },
  { pattern: /^\.last\(\s*\)/, step: (_, parts) => parts.push("nth=-1") > 0 },
  { pattern: /^\.nth\(\s*(-?\d+)\s*\)/, step: (m, parts) => parts.push(`nth=${m[1]}`) > 0 },
];

/** The `>>` chain a Playwright locator chain stands for, or null when it is not one. */
export function chainedSelector(selector: string): string | null {
  let rest = selector.trim().replace(/^(?:await\s+)?(?:this\.)?page(?=\.locator\()/, "");
  if (!rest.startsWith(".locator(") && !rest.startsWith("locator(")) return null;
  const parts: string[] = [];
  while (rest !== "") {
    const known = STEPS.find(({ pattern }) => pattern.test(rest));
    if (!known) return null;
    const m = known.pattern.exec(rest)!;
    if (!known.step(m, parts)) return null;
    rest = rest.slice(m[0].length).trim();
  }
  return parts.join(" >> ");
}
