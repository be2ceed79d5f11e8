/**
 * Healing benchmark: the engine against Healenium-style and Similo-style baselines on the test
 * split of the generated corpus, plus latency, then the real-site rows (bench/heal/real-report.ts).
 * Ends with one JSON line. Run: node bench/heal.ts
 */
import { selectAll } from "css-select";
import { parseDocument } from "htmlparser2";
import { COLD_START_KINDS, coldStartSelectors } from "../shared/healing/cold-start.ts";
import { DEFAULT_MODEL } from "../shared/healing/default-model.ts";
import { parsePage } from "../shared/healing/dom.ts";
import { healCandidates, healDom } from "../shared/healing/heal.ts";
import { prepareElement } from "../shared/healing/prepare.ts";
import { type HealingMetrics, type HealOutcome, metricsOf } from "../shared/healing/training.ts";
import type { ElementDescriptor } from "../shared/healing/types.ts";
import { quantile } from "../shared/stats.ts";
import { HEALENIUM_SCORE_CAP, healeniumScore } from "./heal/baselines/healenium.ts";
import { type BaselineScorer, runBaseline } from "./heal/baselines/run.ts";
import { similoScore } from "./heal/baselines/similo.ts";
import { bigPagePair } from "./heal/big-page.ts";
import { corpus, type HealCase } from "./heal/corpus.ts";
import { pct, round } from "./heal/format.ts";
import { CHANGE_TYPES } from "./heal/mutations.ts";
import { realSitesReport } from "./heal/real-report.ts";
import { TEST_CASES, TRAIN_CASES } from "./heal/sizes.ts";
import { sampleRuns } from "./heal/timing.ts";

type System = "shifty" | "healenium" | "similo";
const SYSTEMS: System[] = ["shifty", "healenium", "similo"];
const BASELINES: Record<Exclude<System, "shifty">, BaselineScorer> = {
  healenium: healeniumScore,
  similo: similoScore,
};

const started = performance.now();
const test = corpus("test", TEST_CASES);
const calibrationSplit = corpus("train", 240);

/** Baselines get the same threshold rule as the engine: lowest threshold with ≤1% wrong heals on train. */
function baselineThreshold(score: BaselineScorer): number {
  const scored = calibrationSplit.map((c) => {
    const { index, confidence } = runBaseline(score, c.target, c.candidates);
    return { confidence, right: index !== null && index === c.correctIndex };
  });
  for (let t = 0.3; t < 0.99; t += 0.01) {
    const wrong = scored.filter((s) => s.confidence >= t && !s.right).length;
    if (wrong / scored.length <= 0.01) return Math.round(t * 100) / 100;
  }
  return 0.99;
}
const thresholds: Record<System, number> = {
  shifty: DEFAULT_MODEL.threshold,
  healenium: Math.max(HEALENIUM_SCORE_CAP, baselineThreshold(healeniumScore)),
  similo: baselineThreshold(similoScore),
};

async function outcomeOf(system: System, c: HealCase): Promise<HealOutcome> {
  if (system === "shifty") {
    const result = await healCandidates({ target: c.target, candidates: c.candidates });
    // Ranking accuracy needs the top candidate even when the engine abstains.
    const top = result.healed ? result.index : topIndex(c);
    return { correctIndex: c.correctIndex, index: top, confidence: result.confidence, healed: result.healed };
  }
  const { index, confidence } = runBaseline(BASELINES[system], c.target, c.candidates);
  return {
    correctIndex: c.correctIndex,
    index,
    confidence,
    healed: index !== null && confidence >= thresholds[system],
  };
}

// The engine reports index only when healed; recover the ranked top from a zero-threshold model.
const rankingModel = { ...DEFAULT_MODEL, threshold: 0 };
const topIndexCache = new Map<HealCase, number | null>();
function topIndex(c: HealCase): number | null {
  return topIndexCache.get(c) ?? null;
}

const results: Record<System, { all: HealingMetrics; byKind: Record<string, number> }> = {} as never;
for (const system of SYSTEMS) {
  const outcomes: (HealOutcome & { kind: string })[] = [];
  for (const c of test) {
    if (system === "shifty") {
      const ranked = await healCandidates(
        { target: c.target, candidates: c.candidates },
        { model: rankingModel },
      );
      topIndexCache.set(c, ranked.index);
    }
    outcomes.push({ ...(await outcomeOf(system, c)), kind: c.kind });
  }
  const byKind: Record<string, number> = {};
  for (const kind of CHANGE_TYPES) {
    if (kind === "removed") continue;
    byKind[kind] = metricsOf(outcomes.filter((o) => o.kind === kind)).top1;
  }
  results[system] = { all: metricsOf(outcomes), byKind };
}

// Cold start: every test case healed from each locator a test author could have written for the
// old element, with the target rebuilt by targetFromSelector (no descriptor, no previousDom). Where
// the change did not touch what the locator names, it still matches exactly; that is the point.
const coldOutcomes: (HealOutcome & { kind: string })[] = [];
for (const c of test) {
  const prepared = prepareElement(c.target);
  for (const { kind, selector } of coldStartSelectors(
    c.target,
    prepared.role,
    prepared.accessibleNameDisplay,
  )) {
    const result = await healCandidates({ selector, candidates: c.candidates });
    const ranked = await healCandidates({ selector, candidates: c.candidates }, { model: rankingModel });
    coldOutcomes.push({
      correctIndex: c.correctIndex,
      index: result.healed ? result.index : ranked.index,
      confidence: result.confidence,
      healed: result.healed,
      kind,
    });
  }
}
const cold = metricsOf(coldOutcomes);
const coldByKind = Object.fromEntries(
  COLD_START_KINDS.map((kind) => {
    const subset = coldOutcomes.filter((o) => o.kind === kind);
    return [kind, { n: subset.length, ...metricsOf(subset) }];
  }),
);

// DOM form accuracy: the selector-only path (old element found by its xpath in previousDom).
const domSubset = test.filter((_, i) => i % 6 === 0);
let domRight = 0;
let domSurviving = 0;
let domWrong = 0;
let domUnique = 0;
let domHealed = 0;
for (const c of domSubset) {
  const result = await healDom({ selector: c.oldXpath, dom: c.newHtml, previousDom: c.oldHtml });
  if (c.expectedXpath !== null) domSurviving++;
  if (!result.healed) continue;
  domHealed++;
  if (result.xpath === c.expectedXpath) domRight++;
  else domWrong++;
  const matched = selectAll(result.selector!, parseDocument(c.newHtml)); // independent parse

  if (matched.length === 1) domUnique++;
}

// Latency.
async function time(runs: number, run: () => unknown | Promise<unknown>) {
  const { samples, cpuMs } = await sampleRuns(runs, Math.min(5, runs), run);
  return { p50: quantile(samples, 0.5)!, p95: quantile(samples, 0.95)!, cpu: cpuMs };
}

type Latency = { p50: number; p95: number; cpu: number };
const latency: Record<System, Record<string, Latency>> = { shifty: {}, healenium: {}, similo: {} };
const domSizes: Record<string, number> = {};
for (const nodes of [1000, 10000]) {
  const pair = bigPagePair(nodes);
  const { newHtml, oldHtml: cleanOld } = pair;
  const cleanTarget = pair.target;
  const label = nodes === 1000 ? "dom1k" : "dom10k";
  domSizes[label] = pair.nodes;
  const runs = nodes === 1000 ? 60 : 25;
  latency.shifty[label] = await time(runs, () =>
    healDom({ selector: "#gone", dom: newHtml, target: cleanTarget }),
  );
  latency.shifty[`${label}+previousDom`] = await time(runs, () =>
    healDom({ selector: cleanTarget.xpath!, dom: newHtml, previousDom: cleanOld }),
  );
  for (const system of ["healenium", "similo"] as const) {
    latency[system][label] = await time(runs, () => {
      const page = parsePage(newHtml);
      return runBaseline(
        BASELINES[system],
        cleanTarget,
        page.elements.map((e) => e.descriptor),
      );
    });
  }
  if (nodes === 10000) {
    const candidates = parsePage(newHtml).elements.map((e) => e.descriptor);
    for (const count of [100, 1000]) {
      const slice = candidates.slice(2000, 2000 + count);
      const probe = slice[Math.floor(count / 2)]!;
      const sliceTarget: ElementDescriptor = { ...probe, text: `${probe.text ?? ""} x` };
      const key = `candidates${count}`;
      latency.shifty[key] = await time(count === 100 ? 400 : 100, () =>
        healCandidates({ target: sliceTarget, candidates: slice }),
      );
      for (const system of ["healenium", "similo"] as const) {
        latency[system][key] = await time(count === 100 ? 400 : 100, () =>
          runBaseline(BASELINES[system], sliceTarget, slice),
        );
      }
    }
  }
}

// Report.
const ms = (l: Latency | undefined) =>
  l ? `${l.p50.toFixed(2)} / ${l.p95.toFixed(2)} cpu ${l.cpu.toFixed(2)}` : "n/a";
const rows: [string, ...string[]][] = [
  ["top-1 (element survives)", ...SYSTEMS.map((s) => pct(results[s].all.top1))],
  ...CHANGE_TYPES.filter((k) => k !== "removed").map((kind): [string, ...string[]] => [
    `  top-1 ${kind}`,
    ...SYSTEMS.map((s) => pct(results[s].byKind[kind] ?? 0)),
  ]),
  ["threshold", ...SYSTEMS.map((s) => thresholds[s].toFixed(2))],
  ["healed & right (survives)", ...SYSTEMS.map((s) => pct(results[s].all.healedCorrectRate))],
  ["wrong-heal rate @threshold", ...SYSTEMS.map((s) => pct(results[s].all.wrongHealRate))],
  ["abstain accuracy (removed)", ...SYSTEMS.map((s) => pct(results[s].all.abstainAccuracy))],
  ["ECE", ...SYSTEMS.map((s) => results[s].all.ece.toFixed(3))],
  [`cold start: ${coldOutcomes.length} heals from locators`, "", "", ""],
  ["  top-1 (element survives)", pct(cold.top1), "n/a", "n/a"],
  ...COLD_START_KINDS.map((kind): [string, ...string[]] => [
    `    top-1 ${kind} (${coldByKind[kind]!.n})`,
    pct(coldByKind[kind]!.top1),
    `healed&right ${pct(coldByKind[kind]!.healedCorrectRate)}`,
    `wrong ${pct(coldByKind[kind]!.wrongHealRate)}`,
  ]),
  ["  healed & right (survives)", pct(cold.healedCorrectRate), "n/a", "n/a"],
  ["  wrong-heal rate @threshold", pct(cold.wrongHealRate), "n/a", "n/a"],
  ["  abstain accuracy (removed)", pct(cold.abstainAccuracy), "n/a", "n/a"],
  ["  ECE", cold.ece.toFixed(3), "n/a", "n/a"],
  ["ms p50/p95 cpu 100 candidates", ...SYSTEMS.map((s) => ms(latency[s].candidates100))],
  ["ms p50/p95 cpu 1000 candidates", ...SYSTEMS.map((s) => ms(latency[s].candidates1000))],
  [`ms p50/p95 cpu DOM ${domSizes.dom1k} nodes`, ...SYSTEMS.map((s) => ms(latency[s].dom1k))],
  [`ms p50/p95 cpu DOM ${domSizes.dom10k} nodes`, ...SYSTEMS.map((s) => ms(latency[s].dom10k))],
  [`  + previousDom parse (1k)`, ms(latency.shifty["dom1k+previousDom"]), "n/a", "n/a"],
  [`  + previousDom parse (10k)`, ms(latency.shifty["dom10k+previousDom"]), "n/a", "n/a"],
];
const widths = [34, 28, 28, 28];
const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join(" ");
console.log(
  `\nHealing benchmark — test split: ${test.length} cases (${test.filter((c) => c.correctIndex === null).length} removed), candidates form`,
);
console.log(line(["metric", ...SYSTEMS]));
console.log(line(widths.map((w) => "-".repeat(w))));
for (const row of rows) console.log(line(row));
console.log(
  `\nDOM form (selector = old xpath, previousDom given), ${domSubset.length} cases: right ${domRight}/${domSurviving} surviving, ` +
    `wrong heals ${domWrong}, unique CSS selectors ${domUnique}/${domHealed}`,
);
// Real sites: leave-one-site-out CV of the fit on the corpus train split plus the other sites.
const realSites = realSitesReport(corpus("train", TRAIN_CASES), thresholds.similo);
console.log(`bench time ${((performance.now() - started) / 1000).toFixed(1)}s\n`);

const summary = Object.fromEntries(
  SYSTEMS.map((s) => [
    s,
    {
      top1: round(results[s].all.top1),
      top1ByChange: Object.fromEntries(Object.entries(results[s].byKind).map(([k, v]) => [k, round(v)])),
      wrongHealRate: round(results[s].all.wrongHealRate),
      abstainAccuracy: round(results[s].all.abstainAccuracy),
      healedCorrectRate: round(results[s].all.healedCorrectRate),
      ece: round(results[s].all.ece),
      threshold: thresholds[s],
      latencyMs: Object.fromEntries(
        Object.entries(latency[s]).map(([k, v]) => [
          k,
          { p50: round(v.p50), p95: round(v.p95), cpu: round(v.cpu) },
        ]),
      ),
    },
  ]),
);
console.log(
  JSON.stringify({
    bench: "heal",
    model: DEFAULT_MODEL.version,
    testCases: test.length,
    domNodes: domSizes,
    dom: {
      cases: domSubset.length,
      right: domRight,
      surviving: domSurviving,
      wrongHeals: domWrong,
      uniqueSelectors: domUnique,
      healed: domHealed,
    },
    coldStart: {
      heals: coldOutcomes.length,
      top1: round(cold.top1),
      healedCorrectRate: round(cold.healedCorrectRate),
      wrongHealRate: round(cold.wrongHealRate),
      abstainAccuracy: round(cold.abstainAccuracy),
      ece: round(cold.ece),
      byKind: Object.fromEntries(
        Object.entries(coldByKind).map(([k, m]) => [
          k,
          {
            n: m.n,
            top1: round(m.top1),
            healedCorrect: round(m.healedCorrectRate),
            wrong: round(m.wrongHealRate),
          },
        ]),
      ),
    },
    ...summary,
    realSites,
  }),
);
