/**
 * Real-site rows of the healing benchmark: the engine under leave-one-site-out cross-validation
 * (fitted on the corpus plus 19 sites, judged on the 20th), the shipped model on all sites (in
 * sample: it was fitted on them), and Similo / VON-Similo baselines on the same cases.
 */
import { DEFAULT_MODEL } from "../../shared/healing/default-model.ts";
import {
  type HealingExample,
  type HealingMetrics,
  type HealOutcome,
  metricsOf,
  outcomeOf,
  regimePages,
} from "../../shared/healing/training.ts";
import { runBaseline } from "./baselines/run.ts";
import { similoScore } from "./baselines/similo.ts";
import { runVonSimilo, visualGroups } from "./baselines/von-similo.ts";
import { FIT_OPTIONS } from "./fit-options.ts";
import { pct, round } from "./format.ts";
import { leaveOneSiteOut } from "./loso.ts";
import { loadRealSites, realSitesPath } from "./real-sites.ts";

type Row = {
  cases: number;
  loso: HealingMetrics;
  shipped: HealingMetrics;
  similo: HealingMetrics;
  von: HealingMetrics;
  vonGroupTop1: number;
  /** Shifty's held-out answer lies in the answer's visual group (the convention VON group uses). */
  losoGroupTop1: number;
  /** Held out: share of cases whose right element the engine ranks among its best k (k = 2, 3, 5). */
  losoTopK: Record<TopK, number>;
};

const TOP_K = [2, 3, 5] as const;
type TopK = (typeof TOP_K)[number];

/**
 * Share of outcomes whose right candidate is ranked among the best k: the most a tie-breaker that
 * only reorders the engine's best k (an AI reranker, a person picking from the alternatives) could
 * reach (docs/heal-model.md).
 */
function topK(outcomes: HealOutcome[]): Record<TopK, number> {
  const share = (k: number) =>
    outcomes.filter((o) => o.rank != null && o.rank <= k).length / Math.max(1, outcomes.length);
  return { 2: share(2), 3: share(3), 5: share(5) };
}

function summary(m: HealingMetrics) {
  return {
    top1: round(m.top1),
    healedCorrectRate: round(m.healedCorrectRate),
    wrongHealRate: round(m.wrongHealRate),
    ece: round(m.ece),
  };
}

/** Visual groups per candidate list; cases of one site share their list, so it is grouped once. */
function groupsFor(cache: Map<unknown, number[]>, c: HealingExample): number[] {
  let groups = cache.get(c.candidates);
  if (!groups) {
    groups = visualGroups(c.candidates);
    cache.set(c.candidates, groups);
  }
  return groups;
}

/** Share of outcomes whose answer is the right element or shares its visual group. */
function groupTop1(cases: HealingExample[], outcomes: HealOutcome[], cache: Map<unknown, number[]>) {
  let right = 0;
  cases.forEach((c, i) => {
    const { index } = outcomes[i]!;
    if (index === null || c.correctIndex === null) return;
    const groups = groupsFor(cache, c);
    if (groups[index] === groups[c.correctIndex]) right++;
  });
  return right / Math.max(1, cases.length);
}

function baselineOutcomes(cases: HealingExample[], threshold: number, groupsOf: Map<unknown, number[]>) {
  const similo: HealOutcome[] = [];
  const von: HealOutcome[] = [];
  for (const c of cases) {
    const { index, confidence } = runBaseline(similoScore, c.target, c.candidates);
    similo.push({
      correctIndex: c.correctIndex,
      index,
      confidence,
      healed: index !== null && confidence >= threshold,
    });
    const result = runVonSimilo(c.target, c.candidates, groupsFor(groupsOf, c));
    von.push({
      correctIndex: c.correctIndex,
      index: result.index,
      confidence: result.confidence,
      healed: result.index !== null && result.confidence >= threshold,
    });
  }
  // Counted as Shifty's own group figure is: the answer shares the right element's visual group.
  return { similo, von, vonGroupTop1: groupTop1(cases, von, groupsOf) };
}

/**
 * Prints the per-site table and returns the `realSites` object of the JSON summary, or null (with
 * a printed note) when the data file is not beside the repository.
 */
export function realSitesReport(corpusTrain: HealingExample[], similoThreshold: number) {
  const sites = loadRealSites();
  if (!sites) {
    console.log(
      "\nReal sites: skipped (../shared/data/real-sites/train.json not found beside the repository)",
    );
    return null;
  }
  const started = performance.now();
  const examples = sites.flatMap((s) => s.cases);
  const names = sites.flatMap((s) => s.cases.map(() => s.site));
  const corpusPages = regimePages(corpusTrain);
  const loso = leaveOneSiteOut(corpusPages, regimePages(examples), names, FIT_OPTIONS);
  const rows = new Map<string, Row>();
  const all = {
    loso: [] as HealOutcome[],
    shipped: [] as HealOutcome[],
    similo: [] as HealOutcome[],
    von: [] as HealOutcome[],
  };
  let groupRight = 0;
  let losoGroupRight = 0;
  const groupsOf = new Map<unknown, number[]>();
  for (const { site, cases } of sites) {
    const held = loso.get(site)!.outcomes;
    const shipped = cases.map((c) => outcomeOf(DEFAULT_MODEL, c));
    const base = baselineOutcomes(cases, similoThreshold, groupsOf);
    const losoGroupTop1 = groupTop1(cases, held, groupsOf);
    groupRight += base.vonGroupTop1 * cases.length;
    losoGroupRight += losoGroupTop1 * cases.length;
    all.loso.push(...held);
    all.shipped.push(...shipped);
    all.similo.push(...base.similo);
    all.von.push(...base.von);
    rows.set(site, {
      cases: cases.length,
      loso: metricsOf(held),
      shipped: metricsOf(shipped),
      similo: metricsOf(base.similo),
      von: metricsOf(base.von),
      vonGroupTop1: base.vonGroupTop1,
      losoGroupTop1,
      losoTopK: topK(held),
    });
  }
  const overall: Row = {
    cases: examples.length,
    loso: metricsOf(all.loso),
    shipped: metricsOf(all.shipped),
    similo: metricsOf(all.similo),
    von: metricsOf(all.von),
    vonGroupTop1: groupRight / examples.length,
    losoGroupTop1: losoGroupRight / examples.length,
    losoTopK: topK(all.loso),
  };
  printTable(rows, overall, sites.length, realSitesPath()!, similoThreshold);
  console.log(`real-site section time ${((performance.now() - started) / 1000).toFixed(1)}s`);
  const json = (row: Row) => ({
    cases: row.cases,
    loso: {
      ...summary(row.loso),
      groupTop1: round(row.losoGroupTop1),
      top2: round(row.losoTopK[2]),
      top3: round(row.losoTopK[3]),
      top5: round(row.losoTopK[5]),
    },
    shipped: summary(row.shipped),
    similo: summary(row.similo),
    vonSimilo: { ...summary(row.von), groupTop1: round(row.vonGroupTop1) },
  });
  return {
    sites: sites.length,
    cases: examples.length,
    overall: json(overall),
    perSite: Object.fromEntries([...rows].map(([site, row]) => [site, json(row)])),
  };
}

function printTable(
  rows: Map<string, Row>,
  overall: Row,
  siteCount: number,
  path: string,
  threshold: number,
) {
  console.log(
    `\nReal sites (${path}): ${overall.cases} cases on ${siteCount} sites. Shifty = leave-one-site-out CV ` +
      "(fitted on the corpus + the other sites); shipped = default model, in sample. Baselines at threshold " +
      `${threshold.toFixed(2)}; group (Shifty, leave-one-site-out) and VON group = the answer lies in the ` +
      "located visual element (rectangles that coincide, or without layout an ancestor showing the same text).",
  );
  const header = [
    "site",
    "cases",
    "top-1",
    "healed&right",
    "wrong",
    "ECE",
    "group",
    "shipped top-1",
    "similo top-1",
    "VON top-1",
    "VON group",
  ];
  const widths = [16, 6, 8, 13, 7, 7, 8, 14, 13, 10, 10];
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" ");
  console.log(line(header));
  const print = (site: string, row: Row) =>
    console.log(
      line([
        site,
        String(row.cases),
        pct(row.loso.top1),
        pct(row.loso.healedCorrectRate),
        pct(row.loso.wrongHealRate),
        row.loso.ece.toFixed(3),
        pct(row.losoGroupTop1),
        pct(row.shipped.top1),
        pct(row.similo.top1),
        pct(row.von.top1),
        pct(row.vonGroupTop1),
      ]),
    );
  for (const [site, row] of rows) print(site, row);
  print("overall", overall);
  const b = (name: string, m: HealingMetrics) =>
    `${name}: healed&right ${pct(m.healedCorrectRate)}, wrong ${pct(m.wrongHealRate)}, ECE ${m.ece.toFixed(3)}`;
  console.log(
    `${b("similo", overall.similo)}; ${b("VON-similo", overall.von)}; ${b("shipped (in sample)", overall.shipped)}`,
  );
  const k = overall.losoTopK;
  console.log(
    `Shifty out of site, the right element among the best 2 / 3 / 5: ${pct(k[2])} / ${pct(k[3])} / ${pct(k[5])} ` +
      "(the ceiling of a tie-breaker that reorders the engine's best k)",
  );
}
