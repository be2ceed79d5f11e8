/**
 * The DOM form on real pages in two released versions (bench/heal/doc-pairs.ts): a stored positional
 * selector broke in the upgrade; does `healDom` (selector + previousDom + dom, as the SDK sends it)
 * find the element again, abstain, or heal onto another one? Judged by the answer's selector on an
 * independent parse of the new page, for the cases a rule independent of the engine can label (the
 * others are counted, with how often they were healed). Per collection and overall, and the time per
 * heal. docs/heal-model.md, "Real pages in two versions".
 * Env: SHIFTY_REAL_PAGES_OLD / _NEW (folders), SHIFTY_REAL_PAGES_PER_GROUP (pages per collection,
 * default 40), SHIFTY_REAL_PAGES_CASES=1 (print each case).
 * Run: node bench/heal-real-pages.ts
 */
import { selectAll } from "css-select";
import { type AnyNode, type Element, isTag } from "domhandler";
import { healDom } from "../shared/healing/heal.ts";
import { HealInputTooLarge } from "../shared/healing/limits.ts";
import { quantile } from "../shared/stats.ts";
import {
  identity,
  indexedXpath,
  type PageCase,
  pageCases,
  pageRoots,
  parseDocument,
} from "./heal/doc-pairs.ts";
import { pct } from "./heal/format.ts";

function nothingToRead(): never {
  throw new Error("no real page pairs here: set SHIFTY_REAL_PAGES_OLD and SHIFTY_REAL_PAGES_NEW");
}

const roots = pageRoots() ?? nothingToRead();
const started = performance.now();
const cases = pageCases(roots, {
  pagesPerGroup: Number(process.env.SHIFTY_REAL_PAGES_PER_GROUP ?? 40),
  perPage: 4,
  maxBytes: 1_500_000,
});

type Verdict = "right" | "wrong" | "healed" | "abstain" | "refused";
type Row = { c: PageCase; verdict: Verdict; suggestionRight: boolean; confidence: number; ms: number };

/** The elements a selector names on an independent parse of the page; null when it does not parse. */
function named(selector: string, html: string): Element[] | null {
  try {
    return selectAll<AnyNode, Element>(selector, parseDocument(html)).filter(isTag);
  } catch {
    return null;
  }
}

/** The identity of what a selector named, for reading cases one by one. */
function identityOf(matched: Element[] | null): string {
  if (!matched) return "unreadable selector";
  if (matched.length !== 1) return `${matched.length} elements`;
  return identity(matched[0]!) ?? `<${matched[0]!.name}>`;
}

const rows: Row[] = [];
for (const c of cases) {
  let verdict: Verdict;
  let suggestionRight = false;
  let confidence = 0;
  let answer = "-";
  // Only the heal is timed; the judge's own parse of the new page comes after.
  const t0 = performance.now();
  let ms: number;
  try {
    const result = await healDom({ selector: c.selector, dom: c.html.new, previousDom: c.html.old });
    ms = performance.now() - t0;
    confidence = result.healed ? result.confidence : (result.suggestion?.confidence ?? 0);
    const selector = result.healed ? result.selector : (result.suggestion?.selector ?? null);
    const matched = selector ? named(selector, c.html.new) : null;
    if (selector) answer = identityOf(matched);
    const right = c.truth !== null && matched?.length === 1 && indexedXpath(matched[0]!) === c.truth;
    if (c.truth === null) verdict = result.healed ? "healed" : "abstain";
    else if (result.healed) verdict = right ? "right" : "wrong";
    else {
      verdict = "abstain";
      suggestionRight = right;
    }
  } catch (error) {
    if (!(error instanceof HealInputTooLarge)) throw error;
    ms = performance.now() - t0;
    verdict = "refused";
  }
  rows.push({ c, verdict, suggestionRight, confidence, ms });
  if (process.env.SHIFTY_REAL_PAGES_CASES)
    console.log(
      `  ${verdict.padEnd(8)} ${confidence.toFixed(3)} ${c.truth === null ? "unlabelled" : "labelled  "} ${c.page} ${c.kind} ${c.oldKey} → ${answer}`,
    );
}

function summary(subset: Row[]) {
  const labelled = subset.filter((r) => r.c.truth !== null);
  const unlabelled = subset.filter((r) => r.c.truth === null);
  const count = (rs: Row[], v: Verdict) => rs.filter((r) => r.verdict === v).length;
  const rate = (n: number, d: number) => (d === 0 ? "–" : pct(n / d));
  return {
    labelled: labelled.length,
    right: rate(count(labelled, "right"), labelled.length),
    wrong: rate(count(labelled, "wrong"), labelled.length),
    suggested: rate(labelled.filter((r) => r.suggestionRight).length, labelled.length),
    unlabelled: unlabelled.length,
    unlabelledHealed: rate(count(unlabelled, "healed"), unlabelled.length),
    refused: count(subset, "refused"),
  };
}

console.log(`real pages: ${roots[0]} → ${roots[1]}`);
console.log(
  "group            labelled  healed&right  wrong   right as suggestion  unlabelled  of which healed  refused",
);
const groups = [...new Set(rows.map((r) => r.c.group))].sort();
for (const group of [...groups, "overall"]) {
  const s = summary(group === "overall" ? rows : rows.filter((r) => r.c.group === group));
  console.log(
    `${group.padEnd(16)} ${String(s.labelled).padEnd(9)} ${s.right.padEnd(13)} ${s.wrong.padEnd(7)} ${s.suggested.padEnd(20)} ${String(s.unlabelled).padEnd(11)} ${s.unlabelledHealed.padEnd(16)} ${s.refused}`,
  );
}
for (const kind of ["xpath", "css", "locator"] as const) {
  const s = summary(rows.filter((r) => r.c.kind === kind));
  console.log(
    `selector ${kind}: labelled ${s.labelled}, healed and right ${s.right}, wrong ${s.wrong}; unlabelled ${s.unlabelled}, healed ${s.unlabelledHealed}`,
  );
}
const ms = rows.map((r) => r.ms);
console.log(
  `time per heal (two pages parsed): p50 ${quantile(ms, 0.5)?.toFixed(1)} ms, p95 ${quantile(ms, 0.95)?.toFixed(1)} ms; ${rows.length} cases in ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
console.log(JSON.stringify({ bench: "heal-real-pages", ...summary(rows) }));
