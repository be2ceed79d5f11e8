import type { TestOutcome } from "./report.ts";

/**
 * Flaky statistics kept per test without re-reading its history on every upload.
 *
 * A test's recent outcomes are stored as a compact string of fixed-width entries: one outcome letter
 * plus the minute it happened (base 36, 6 chars). Letters: `p` passed, `f` failed, `r` passed on retry,
 * and `P`/`F` for a pass/fail on a commit where the opposite outcome was already seen (same-commit flip).
 * Skipped runs are not recorded. 50 entries cost 350 bytes, so an upload of 10k tests reads ~3.5 MB.
 */
export type FlakyPolicy = {
  /** At most this many most-recent results count. */
  windowSize: number;
  /** …and none older than this. */
  windowMs: number;
  /** Below this many results the statistical rule does not fire (evidence rules still do). */
  minSamples: number;
  /** The last N results all failed → broken. */
  brokenAfter: number;
  /** z for the Wilson score interval (1.96 ≈ 95%). */
  z: number;
};

export const DEFAULT_FLAKY_POLICY: FlakyPolicy = {
  windowSize: 50,
  windowMs: 14 * 24 * 3600 * 1000,
  minSamples: 8,
  brokenAfter: 3,
  z: 1.96,
};

export type TestStatus = "healthy" | "flaky" | "broken";

export type TestHistory = {
  recent: string;
  lastCommit: string | null;
  /** Outcomes seen on lastCommit: bit 1 passed, bit 2 failed. */
  lastCommitOutcomes: number;
  consecutivePasses: number;
  consecutiveFailures: number;
};

export type FlakyStats = {
  status: TestStatus;
  sampleSize: number;
  failures: number;
  failureRate: number;
  wilsonLow: number;
  wilsonHigh: number;
  /** When the outcome last changed (or a retry/same-commit flip happened) within the window. */
  lastFlipAt: number | null;
};

/** The test columns that hold `FlakyStats` (the rollup and every upload rewrite them). */
export const FLAKY_STATS_KEYS = [
  "status",
  "sampleSize",
  "failures",
  "failureRate",
  "wilsonLow",
  "wilsonHigh",
  "lastFlipAt",
] as const satisfies readonly (keyof FlakyStats)[];

export const EMPTY_HISTORY: TestHistory = {
  recent: "",
  lastCommit: null,
  lastCommitOutcomes: 0,
  consecutivePasses: 0,
  consecutiveFailures: 0,
};

const ENTRY = 7;
const MINUTE = 60_000;

/** Wilson score interval for a binomial proportion (failures out of n). n = 0 → [0, 1]. */
export function wilsonInterval(failures: number, n: number, z = 1.96): { low: number; high: number } {
  if (n <= 0) return { low: 0, high: 1 };
  const p = failures / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

function encodeEntry(letter: string, at: number): string {
  return (
    letter +
    Math.floor(at / MINUTE)
      .toString(36)
      .padStart(ENTRY - 1, "0")
      .slice(-(ENTRY - 1))
  );
}

export function decodeHistory(recent: string): { letter: string; at: number }[] {
  const out: { letter: string; at: number }[] = [];
  for (let i = 0; i + ENTRY <= recent.length; i += ENTRY) {
    out.push({ letter: recent[i]!, at: Number.parseInt(recent.slice(i + 1, i + ENTRY), 36) * MINUTE });
  }
  return out;
}

/** Records one run's outcome (O(1)); skipped results leave the history unchanged. */
export function appendOutcome(
  history: TestHistory,
  outcome: TestOutcome,
  at: number,
  commit: string | null,
  policy: FlakyPolicy = DEFAULT_FLAKY_POLICY,
): TestHistory {
  if (outcome === "skipped") return history;
  const bit = outcome === "passed" ? 1 : outcome === "failed" ? 2 : 3;
  const sameCommit = commit !== null && commit === history.lastCommit;
  const seen = sameCommit ? history.lastCommitOutcomes | bit : bit;
  let letter: string;
  if (outcome === "flaky") letter = "r";
  else if (sameCommit && seen === 3) letter = outcome === "passed" ? "P" : "F";
  else letter = outcome === "passed" ? "p" : "f";
  let recent = history.recent + encodeEntry(letter, at);
  const max = policy.windowSize * ENTRY;
  if (recent.length > max) recent = recent.slice(recent.length - max);
  return {
    recent,
    lastCommit: commit ?? history.lastCommit,
    lastCommitOutcomes: commit === null ? history.lastCommitOutcomes : seen,
    consecutivePasses: outcome === "passed" ? history.consecutivePasses + 1 : 0,
    consecutiveFailures: outcome === "failed" ? history.consecutiveFailures + 1 : 0,
  };
}

const FAILED = new Set(["f", "F", "r"]);
const EVIDENCE = new Set(["r", "P", "F"]);

/** True when the newest recorded entry is itself a flake (retry pass or same-commit flip). */
export function lastEntryIsFlake(recent: string): boolean {
  return recent.length >= ENTRY && EVIDENCE.has(recent[recent.length - ENTRY]!);
}

/**
 * Status and failure statistics over the window ending at `now`.
 * - broken: the last `brokenAfter` results all failed (consistently failing, not flaky);
 * - flaky: a pass on retry or a pass and a fail on the same commit within the window; or, with at
 *   least `minSamples` results, outcomes that flip back and forth (≥ 3 pass↔fail changes) while the
 *   Wilson lower bound of the failure rate is above zero;
 * - healthy otherwise.
 */
export function flakyStats(
  recent: string,
  now: number,
  policy: FlakyPolicy = DEFAULT_FLAKY_POLICY,
): FlakyStats {
  const all = decodeHistory(recent);
  const since = now - policy.windowMs;
  const window = all.slice(-policy.windowSize).filter((e) => e.at >= since);
  const n = window.length;
  let failures = 0;
  let evidence = 0;
  let transitions = 0;
  let lastFlipAt: number | null = null;
  for (let i = 0; i < n; i++) {
    const e = window[i]!;
    const failed = FAILED.has(e.letter);
    if (failed) failures++;
    const flipped = i > 0 && FAILED.has(window[i - 1]!.letter) !== failed;
    if (flipped) transitions++;
    if (EVIDENCE.has(e.letter)) evidence++;
    if (flipped || EVIDENCE.has(e.letter)) lastFlipAt = e.at;
  }
  const { low, high } = wilsonInterval(failures, n, policy.z);
  const tail = window.slice(-policy.brokenAfter);
  let status: TestStatus = "healthy";
  if (tail.length >= policy.brokenAfter && tail.every((e) => e.letter === "f" || e.letter === "F"))
    status = "broken";
  else if (evidence > 0) status = "flaky";
  else if (n >= policy.minSamples && transitions >= 3 && low > 0) status = "flaky";
  return {
    status,
    sampleSize: n,
    failures,
    failureRate: n ? failures / n : 0,
    wilsonLow: low,
    wilsonHigh: high,
    lastFlipAt,
  };
}

export type QuarantineSettings = { autoQuarantine: boolean; releaseAfterPasses: number | null };
export type QuarantineState = { quarantined: boolean; reason: "manual" | "auto" | null };

/**
 * What an upload does to a test's quarantine: release after K consecutive clean passes (counted from
 * the moment it was quarantined, since quarantining resets the counter), or quarantine a flaky test
 * automatically when the project enables it. Auto-quarantine needs fresh evidence in this upload
 * (`flakyNow`), so a released test is not re-quarantined for flakes still inside the window.
 */
export function nextQuarantine(
  current: QuarantineState,
  status: TestStatus,
  consecutivePasses: number,
  settings: QuarantineSettings,
  flakyNow = true,
): { state: QuarantineState; change: "quarantined" | "released" | null } {
  if (current.quarantined) {
    if (settings.releaseAfterPasses !== null && consecutivePasses >= settings.releaseAfterPasses) {
      return { state: { quarantined: false, reason: null }, change: "released" };
    }
    return { state: current, change: null };
  }
  if (settings.autoQuarantine && status === "flaky" && flakyNow) {
    return { state: { quarantined: true, reason: "auto" }, change: "quarantined" };
  }
  return { state: current, change: null };
}
