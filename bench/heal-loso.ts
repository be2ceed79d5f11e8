/**
 * Fast loop for model work: only the leave-one-site-out rows of `npm run bench:heal` (the judge),
 * without baselines, latency or the synthetic split. SHIFTY_LOSO_SITES=Dropbox,Cnn limits the
 * held-out sites, SHIFTY_LOSO_WITHOUT=page,text the features left out, SHIFTY_LOSO_ISOTONIC=0|1
 * overrides the isotonic map, SHIFTY_LOSO_REAL_SHARE=0.75 the real pages' share of the calibration, SHIFTY_LOSO_MAX_WRONG=0.02
 * the threshold's wrong-heal budget
 * (exploration only; report figures from the full bench).
 * Run: node bench/heal-loso.ts
 */
import { type HealOutcome, metricsOf, regimePages } from "../shared/healing/training.ts";
import { corpus } from "./heal/corpus.ts";
import { FIT_OPTIONS } from "./heal/fit-options.ts";
import { pct } from "./heal/format.ts";
import { leaveOneSiteOut } from "./heal/loso.ts";
import { loadRealSites } from "./heal/real-sites.ts";
import { TRAIN_CASES } from "./heal/sizes.ts";

const started = performance.now();
const sites = loadRealSites();
if (!sites) throw new Error("real-site data not found beside the repository");
const only = process.env.SHIFTY_LOSO_SITES?.split(",").filter(Boolean);
const examples = sites.flatMap((s) => s.cases);
const names = sites.flatMap((s) => s.cases.map(() => s.site));
const corpusPages = regimePages(corpus("train", TRAIN_CASES));
const without = process.env.SHIFTY_LOSO_WITHOUT?.split(",").filter(Boolean);
const isotonic = process.env.SHIFTY_LOSO_ISOTONIC;
const share = process.env.SHIFTY_LOSO_REAL_SHARE;
const maxWrong = process.env.SHIFTY_LOSO_MAX_WRONG;
const options = {
  ...FIT_OPTIONS,
  ...(without ? { without } : {}),
  ...(isotonic ? { isotonic: isotonic === "1" } : {}),
  ...(share ? { realCalibrationShare: Number(share) } : {}),
  ...(maxWrong ? { maxWrongHealRate: Number(maxWrong) } : {}),
};
const loso = leaveOneSiteOut(corpusPages, regimePages(examples), names, options, only);
const all: HealOutcome[] = [];
for (const [site, { outcomes, threshold }] of loso) {
  all.push(...outcomes);
  const m = metricsOf(outcomes);
  if (process.env.SHIFTY_LOSO_CASES)
    for (const o of outcomes)
      console.log(`  ${site} ${o.index === o.correctIndex ? "right" : "WRONG"} ${o.confidence.toFixed(3)}`);
  console.log(
    `${site.padEnd(16)} ${String(outcomes.length).padEnd(4)} top-1 ${pct(m.top1).padEnd(7)} h&r ${pct(m.healedCorrectRate).padEnd(7)} wrong ${pct(m.wrongHealRate).padEnd(6)} ECE ${m.ece.toFixed(3)} t=${threshold}`,
  );
}
const m = metricsOf(all);
const within = (k: number) => pct(all.filter((o) => o.rank != null && o.rank <= k).length / all.length);
console.log(
  `overall ${all.length}: top-1 ${pct(m.top1)} h&r ${pct(m.healedCorrectRate)} wrong ${pct(m.wrongHealRate)} ECE ${m.ece.toFixed(3)} top-2/3/5 ${within(2)}/${within(3)}/${within(5)} (${((performance.now() - started) / 1000).toFixed(0)}s)`,
);
// Reliability: per confidence decile, cases, mean confidence and how often the top was right.
const bins = Array.from({ length: 10 }, () => ({ n: 0, confidence: 0, right: 0 }));
for (const o of all) {
  const bin = bins[Math.min(9, Math.floor(o.confidence * 10))]!;
  bin.n++;
  bin.confidence += o.confidence;
  bin.right += o.index === o.correctIndex ? 1 : 0;
}
console.log(
  bins
    .map((b, i) =>
      b.n
        ? `${i / 10}: ${b.n} conf ${(b.confidence / b.n).toFixed(2)} right ${(b.right / b.n).toFixed(2)}`
        : "",
    )
    .filter(Boolean)
    .join(" | "),
);
