/**
 * Focused latency micro-bench for the healing engine (phases of the DOM form on a big page).
 * Run: node bench/heal/micro.ts [nodes]
 */

import { parseDocument } from "htmlparser2";
import { parsePage } from "../../shared/healing/dom.ts";
import { healCandidates, healDom } from "../../shared/healing/heal.ts";
import { prepareElement } from "../../shared/healing/prepare.ts";
import { shortlistPage } from "../../shared/healing/shortlist.ts";
import { median } from "../../shared/stats.ts";
import { bigPagePair } from "./big-page.ts";
import { sampleRuns } from "./timing.ts";

const nodes = Number(process.argv[2] ?? 10000);
const pair = bigPagePair(nodes);
const { target, newHtml, oldHtml: cleanOld } = pair;

async function time(label: string, runs: number, run: () => unknown) {
  const { samples, cpuMs } = await sampleRuns(runs, 3, run);
  console.log(
    `${label.padEnd(24)} p50 ${median(samples)!.toFixed(2)} ms  min ${Math.min(...samples).toFixed(2)} ms  cpu ${cpuMs.toFixed(2)} ms`,
  );
}

console.log(`${pair.nodes} nodes, ${(newHtml.length / 1024).toFixed(0)} KiB`);

import { writeFileSync } from "node:fs";

if (process.env.DUMP) writeFileSync(process.env.DUMP, newHtml);
const runs = Number(process.argv[3] ?? 15);
await time("parsePage", runs, () => parsePage(newHtml));
const parsed = parsePage(newHtml);
const preparedTarget = prepareElement(target);
await time("shortlistPage", runs, () => shortlistPage(parsed, preparedTarget));
await time("healDom target", runs, () => healDom({ selector: "#gone", dom: newHtml, target }));
await time("healDom previousDom", runs, () =>
  healDom({ selector: target.xpath!, dom: newHtml, previousDom: cleanOld }),
);
const candidates = parsePage(newHtml).elements.map((e) => e.descriptor);
for (const count of [100, 1000]) {
  const start = Math.max(0, Math.min(2000, candidates.length - count));
  const slice = candidates.slice(start, start + count);
  const probe = slice[Math.floor(count / 2)]!;
  const sliceTarget = { ...probe, text: `${probe.text ?? ""} x` };
  await time(`candidates ${count}`, runs * 10, () =>
    healCandidates({ target: sliceTarget, candidates: slice }),
  );
}
// The reference tokenizer run goes last: it drives htmlparser2 with decodeEntities:true, and run
// first it skews the tokenizer's type feedback for the engine rows (the engine never decodes there).
await time("parseDocument", runs, () =>
  parseDocument(newHtml, { decodeEntities: true, lowerCaseAttributeNames: true }),
);
const r = await healDom({ selector: target.xpath!, dom: newHtml, previousDom: cleanOld });
console.log(JSON.stringify(r).slice(0, 300));
