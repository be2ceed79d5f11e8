/**
 * Timing of a healing call for the latency figures (bench/heal.ts, bench/heal/micro.ts): `warmups`
 * untimed runs, then `runs` timed ones.
 */
export async function sampleRuns(
  runs: number,
  warmups: number,
  run: () => unknown,
): Promise<{ samples: number[]; cpuMs: number }> {
  for (let i = 0; i < warmups; i++) await run();
  const samples: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await run();
    samples.push(performance.now() - t);
  }
  // Mean CPU time per run (user + system, incl. GC threads): the steadier figure on a shared machine.
  const used = process.cpuUsage(cpu);
  return { samples, cpuMs: (used.user + used.system) / 1000 / runs };
}
