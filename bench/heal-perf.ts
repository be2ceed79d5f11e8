/**
 * Latency of the DOM form by page size, and the time it takes to refuse pathological pages.
 * Run: npm run bench:heal-perf [-- runs]. Prints a table and one JSON line.
 *
 * Each run is timed on its own, wall and CPU (process.cpuUsage: user + system of this process), and
 * the median of the runs is reported: on a machine shared with other work the CPU figure is the one
 * to read (wall time includes waiting for a core). The target for 10 000 nodes is a CPU p50 ≤ 20 ms.
 * Growth: ms per 1 000 nodes at each size; a linear engine keeps it roughly flat.
 */
import { healDom } from "../shared/healing/heal.ts";
import { median } from "../shared/stats.ts";
import { bigPagePair } from "./heal/big-page.ts";

const RUNS = Number(process.argv[2] ?? 25);
// 49 800 builds the largest page under the 50 000-element limit (HEAL_LIMITS.maxElements).
const SIZES = [1_000, 2_500, 5_000, 10_000, 20_000, 49_800];

type Sample = { wall: number; cpu: number };

async function measure(runs: number, run: () => Promise<unknown>): Promise<Sample> {
  for (let i = 0; i < 3; i++) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const c = process.cpuUsage();
    const t = performance.now();
    await run();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(c);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall)!, cpu: median(cpu)! };
}

const bySize: { nodes: number; target: Sample; previousDom: Sample }[] = [];
for (const size of SIZES) {
  const pair = bigPagePair(size);
  const runs = size > 10_000 ? Math.max(5, Math.floor(RUNS / 2)) : RUNS;
  const target = await measure(runs, () =>
    healDom({ selector: "#gone", dom: pair.newHtml, target: pair.target }),
  );
  const previousDom = await measure(runs, () =>
    healDom({ selector: pair.target.xpath!, dom: pair.newHtml, previousDom: pair.oldHtml }),
  );
  bySize.push({ nodes: pair.nodes, target, previousDom });
}

// The same shapes as test/healing-api/pathological.test.ts: how long until the engine refuses them.
const page = (body: string) => `<html><body>${body}</body></html>`;
const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(" ");
const PATHOLOGICAL: Record<string, string> = {
  "20k nested div": page(`${"<div>".repeat(20_000)}x${"</div>".repeat(20_000)}`),
  "250k divs": page("<div></div>".repeat(250_000)),
  "2k × 150 attributes": page(Array.from({ length: 2_000 }, () => `<i ${attributes(150)}></i>`).join("")),
  "201 attributes": page(`<b ${attributes(201)}></b>`),
};
const refusals: Record<string, Sample & { refused: boolean }> = {};
for (const [name, dom] of Object.entries(PATHOLOGICAL)) {
  let refused = false;
  const sample = await measure(5, async () => {
    try {
      await healDom({ selector: "#a", dom });
    } catch {
      refused = true;
    }
  });
  refusals[name] = { ...sample, refused };
}

const f = (x: number) => x.toFixed(2).padStart(8);
console.log(`DOM form, median of ${RUNS} runs (ms)        wall p50  cpu p50  cpu/1k nodes`);
for (const row of bySize) {
  console.log(
    `${String(row.nodes).padStart(6)} nodes, stored target      ${f(row.target.wall)} ${f(row.target.cpu)} ${f((row.target.cpu * 1000) / row.nodes)}`,
  );
  console.log(
    `${String(row.nodes).padStart(6)} nodes, previousDom        ${f(row.previousDom.wall)} ${f(row.previousDom.cpu)} ${f((row.previousDom.cpu * 1000) / row.nodes)}`,
  );
}
console.log("\nPathological pages: time to refuse (ms)      wall p50  cpu p50  refused");
for (const [name, r] of Object.entries(refusals)) {
  console.log(`${name.padEnd(42)} ${f(r.wall)} ${f(r.cpu)}  ${r.refused}`);
}
console.log(JSON.stringify({ runs: RUNS, bySize, refusals }));
