import { sha256Hex } from "../crypto/hash.ts";
import { ANSI, type FailureDetail } from "./report.ts";

/**
 * Failure clustering: two failures belong together when their messages and top stack frames are the
 * same once the parts that vary between runs are masked (numbers, ids, paths, positions, times, quoted
 * values). The signature is a hash of that normal form.
 */
const RULES: [RegExp, string][] = [
  [ANSI, ""],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/g, "<time>"],
  [/\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b/g, "<time>"],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"`)<>]+/gi, "<url>"],
  // Quoted values: 'x', "x", `x` (up to 200 chars, no newline).
  [/"[^"\n]{0,200}"|'[^'\n]{0,200}'|`[^`\n]{0,200}`/g, "<str>"],
  // Windows and POSIX paths with at least two segments.
  [/\b[a-z]:\\[^\s:'"()]+/gi, "<path>"],
  [/(?:\.{0,2}\/)?(?:[\w@.-]+\/)+[\w@.-]+/g, "<path>"],
  // line:col after a path or file name.
  [/:\d+:\d+\b/g, ":<pos>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  [/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, "<hex>"],
  [/\b[a-z]{2,5}_[0-9a-z]{16,}\b/g, "<id>"],
  [/[-+]?\b\d+(\.\d+)?\b/g, "<n>"],
  [/\s+/g, " "],
];

export function normaliseMessage(message: string): string {
  let text = message;
  for (const [re, replacement] of RULES) text = text.replace(re, replacement);
  return text.trim().slice(0, 500);
}

const FRAME = /^\s*at\s+(?:(?<fn>[^\s(]+)\s+\()?(?<loc>[^)]*)\)?\s*$/;
const PY_FRAME = /^\s*File "[^"]*", line \d+, in (?<fn>\S+)/;

/**
 * The top frames as function names only: paths and positions move with every refactor and checkout
 * directory, function names much less. Anonymous frames keep only the file's base name.
 */
export function normaliseStack(stack: string | null, maxFrames = 3): string {
  if (!stack) return "";
  const frames: string[] = [];
  for (const line of stack.split("\n")) {
    const js = FRAME.exec(line);
    const py = js ? null : PY_FRAME.exec(line);
    if (!js && !py) continue;
    let frame = js?.groups?.fn ?? py?.groups?.fn ?? "";
    if (!frame) {
      const loc = js?.groups?.loc ?? "";
      frame = (loc.split(/[\\/]/).pop() ?? "").replace(/:\d+(:\d+)?$/, "");
    }
    if (/node_modules|node:internal|<anonymous>/.test(line)) continue;
    frames.push(frame);
    if (frames.length >= maxFrames) break;
  }
  return frames.join(" < ");
}

/** The normal form a signature is computed over: error type + message head + top frames. */
export function failureFingerprint(failure: FailureDetail): string {
  const head = failure.message.split("\n").find((l) => l.trim() !== "") ?? "";
  return [failure.type ?? "", normaliseMessage(head), normaliseStack(failure.stack)].join("\n");
}

/** 16 hex chars (64 bits) of SHA-256 over the fingerprint: stable across runs and deploys. */
export async function failureSignature(failure: FailureDetail): Promise<string> {
  return (await sha256Hex(failureFingerprint(failure))).slice(0, 16);
}

/**
 * Signatures for many failures, hashing each distinct fingerprint once (a broken login page makes
 * thousands of identical failures).
 */
export async function signaturesFor(failures: FailureDetail[]): Promise<string[]> {
  const byFingerprint = new Map<string, Promise<string>>();
  const out: Promise<string>[] = [];
  for (const failure of failures) {
    const fp = failureFingerprint(failure);
    let sig = byFingerprint.get(fp);
    if (!sig) {
      sig = sha256Hex(fp).then((h) => h.slice(0, 16));
      byFingerprint.set(fp, sig);
    }
    out.push(sig);
  }
  return Promise.all(out);
}
