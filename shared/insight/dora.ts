import type { DoraBand, DoraKey, DoraPoint } from "../contract/insight.ts";
import { median } from "../stats.ts";

/**
 * The DORA four keys from deployment, change and incident records (pure: no database). Definitions
 * and band thresholds are in docs/insight.md; the loader is ./dora-repository.ts.
 */

export type DoraDeployment = {
  commitSha: string | null;
  state: string;
  at: number;
  /** The deploy monitor judged it a failed change (an incident in its watch window; docs/ai.md). */
  changeFailed?: boolean;
};
export type DoraChange = {
  kind: "commit" | "pull_request";
  commitSha: string | null;
  authoredAt: number | null;
  mergedAt: number | null;
};
export type DoraIncident = { openedAt: number; resolvedAt: number | null };
export type DoraInput = {
  from: number;
  to: number;
  /** Production deployments from `from` to a week after `to` (later ones reveal rollbacks). */
  deployments: DoraDeployment[];
  /** Changes whose commit sha is one of the deployments'. */
  changes: DoraChange[];
  /** Incidents opened from `from` to a day after `to`. */
  incidents: DoraIncident[];
};

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** An incident opened this soon after a deployment (and before the next one) counts against it. */
export const INCIDENT_ATTRIBUTION_MS = 24 * HOUR_MS;

const SUCCESS = new Set(["success"]);
const FAILURE = new Set(["failure", "error", "failed"]);

export const isSuccess = (state: string) => SUCCESS.has(state.toLowerCase());
export const isFailure = (state: string) => FAILURE.has(state.toLowerCase());

/** Bands per key, thresholds from the DORA report as documented in docs/insight.md. */
export function bandOf(key: "df" | "lt" | "cfr" | "ttr", value: number | null): DoraBand | null {
  if (value === null) return null;
  switch (key) {
    case "df": // deployments per week: daily or more / weekly / monthly / less
      return value >= 7 ? "elite" : value >= 1 ? "high" : value >= 12 / 52 ? "medium" : "low";
    case "lt": // hours: under a day / a week / a month / more
      return value < 24 ? "elite" : value <= 168 ? "high" : value <= 720 ? "medium" : "low";
    case "cfr":
      return value <= 0.05 ? "elite" : value <= 0.1 ? "high" : value <= 0.15 ? "medium" : "low";
    case "ttr": // hours: under an hour / a day / a week / more
      return value < 1 ? "elite" : value < 24 ? "high" : value <= 168 ? "medium" : "low";
  }
}

const round = (v: number | null, digits = 4) =>
  v === null ? null : Math.round(v * 10 ** digits) / 10 ** digits;

/** 7-day buckets from `from`; the last one may be shorter. */
function weeks(from: number, to: number): number[] {
  const starts: number[] = [];
  for (let t = from; t < to; t += WEEK_MS) starts.push(t);
  return starts;
}

export type Sample = { at: number; value: number };

function key(
  input: DoraInput,
  samples: Sample[],
  unit: DoraKey["unit"],
  band: "lt" | "cfr" | "ttr",
  reduce: (values: number[]) => number | null,
): DoraKey {
  const value = round(reduce(samples.map((s) => s.value)));
  const series: DoraPoint[] = weeks(input.from, input.to).map((start) => {
    const inWeek = samples.filter((s) => s.at >= start && s.at < start + WEEK_MS).map((s) => s.value);
    return { weekStart: start, value: round(reduce(inWeek)), sampleSize: inWeek.length };
  });
  return { value, unit, band: bandOf(band, value), sampleSize: samples.length, series };
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);
const inWindow = (input: DoraInput, at: number) => at >= input.from && at < input.to;

function deploymentFrequency(input: DoraInput, ok: Sample[]): DoraKey {
  const count = ok.length;
  const windowWeeks = (input.to - input.from) / WEEK_MS;
  const value = count === 0 ? null : round(count / windowWeeks);
  const series = weeks(input.from, input.to).map((start) => {
    const n = ok.filter((d) => d.at >= start && d.at < start + WEEK_MS).length;
    const len = Math.min(WEEK_MS, input.to - start) / WEEK_MS;
    return { weekStart: start, value: round(n / len), sampleSize: n };
  });
  return { value, unit: "deployments_per_week", band: bandOf("df", value), sampleSize: count, series };
}

/** Each change measured once: from its first commit (or its merge) to the first deploy of its sha. */
function leadTimes(input: DoraInput, ok: DoraDeployment[]): Sample[] {
  const firstDeploy = new Map<string, number>();
  for (const d of ok) {
    if (!d.commitSha) continue;
    const seen = firstDeploy.get(d.commitSha);
    if (seen === undefined || d.at < seen) firstDeploy.set(d.commitSha, d.at);
  }
  return input.changes.flatMap((change) => {
    const deployedAt = change.commitSha ? firstDeploy.get(change.commitSha) : undefined;
    const start = change.kind === "commit" ? change.authoredAt : change.mergedAt;
    if (deployedAt === undefined || start === null || start > deployedAt) return [];
    return [{ at: deployedAt, value: (deployedAt - start) / HOUR_MS }];
  });
}

/**
 * A production deployment failed when its own state is a failure, when an incident opened within
 * INCIDENT_ATTRIBUTION_MS after it and before the next deployment, when the next deployment rolled
 * back (redeployed a commit that was live before it), or when the deploy monitor recorded it as a
 * failed change (it also sees organisation-wide incidents, which no project's records attribute).
 */
function failures(input: DoraInput, all: DoraDeployment[]): Sample[] {
  const sorted = [...all].sort((a, b) => a.at - b.at);
  const opened = input.incidents.map((x) => x.openedAt).sort((a, b) => a - b);
  // Linear passes (a rollup sees thousands of deployments): the next success after each deployment,
  // and the commits live before it.
  const next: (DoraDeployment | undefined)[] = new Array(sorted.length);
  for (let i = sorted.length - 1, after: DoraDeployment | undefined; i >= 0; i--) {
    next[i] = after;
    if (isSuccess((sorted[i] as DoraDeployment).state)) after = sorted[i];
  }
  const earlier = new Set<string | null>();
  const out: Sample[] = [];
  sorted.forEach((d, i) => {
    if (inWindow(input, d.at)) {
      const n = next[i];
      const until = Math.min(d.at + INCIDENT_ATTRIBUTION_MS, n?.at ?? Number.POSITIVE_INFINITY);
      const first = firstAfter(opened, d.at);
      const incident = first < opened.length && (opened[first] as number) <= until;
      const rolledBack = !!n?.commitSha && n.commitSha !== d.commitSha && earlier.has(n.commitSha);
      const failed = isFailure(d.state) || incident || rolledBack || d.changeFailed === true;
      out.push({ at: d.at, value: failed ? 1 : 0 });
    }
    if (isSuccess(d.state)) earlier.add(d.commitSha);
  });
  return out;
}

/** Index of the first value greater than `t` in an ascending array. */
function firstAfter(sorted: number[], t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The facts behind the four keys, each a sample at a time (what the hourly rollups store). */
export type DoraSamples = {
  /** Successful production deployments (value 1). */
  deployments: Sample[];
  /** Lead time in hours, at the time of the change's first deployment. */
  leadTimes: Sample[];
  /** Finished production deployments: 1 failed, 0 not. */
  failures: Sample[];
  /** Time to restore in hours, at the incident's opening. */
  restores: Sample[];
};

export function doraSamples(input: DoraInput): DoraSamples {
  const finished = input.deployments.filter((d) => isSuccess(d.state) || isFailure(d.state));
  const ok = finished.filter((d) => isSuccess(d.state));
  const okInWindow = ok.filter((d) => inWindow(input, d.at));
  const restores = input.incidents
    .filter((x) => inWindow(input, x.openedAt) && x.resolvedAt !== null && x.resolvedAt >= x.openedAt)
    .map((x) => ({ at: x.openedAt, value: ((x.resolvedAt as number) - x.openedAt) / HOUR_MS }));
  return {
    deployments: okInWindow.map((d) => ({ at: d.at, value: 1 })),
    leadTimes: leadTimes(input, okInWindow),
    failures: failures(input, finished),
    restores,
  };
}

/** The four keys over [from, to) from samples (all of them inside the window). */
export function doraFromSamples(window: { from: number; to: number }, s: DoraSamples) {
  const input = { ...window, deployments: [], changes: [], incidents: [] };
  return {
    deploymentFrequency: deploymentFrequency(input, s.deployments),
    leadTimeForChanges: key(input, s.leadTimes, "hours", "lt", median),
    changeFailureRate: key(input, s.failures, "ratio", "cfr", mean),
    timeToRestore: key(input, s.restores, "hours", "ttr", median),
  };
}

export function computeDora(input: DoraInput) {
  return doraFromSamples(input, doraSamples(input));
}
