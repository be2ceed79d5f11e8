/** String and set similarity used by the strategies. All results are in [0,1]. */

/** Edit distance is quadratic; visible texts are compared on their first characters only. */
const MAX_EDIT_LENGTH = 64;

// One reusable row keeps Levenshtein allocation-free on the hot path.
let row = new Int32Array(MAX_EDIT_LENGTH + 1);

export function normalizeText(text: string | undefined): string {
  if (!text) return "";
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

export function tokenize(text: string): string[] {
  return text.split(/[^\p{L}\p{N}]+/u).filter((t) => t.length > 0);
}

export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Edit distance is symmetric: the shorter string is the bit-vector pattern when it fits one or
  // two 32-bit words (all the engine compares: texts and xpath tails are cut to 64 units).
  if (a.length <= b.length) {
    if (a.length <= 32) return myers(a, b);
    if (a.length <= 64) return myers64(a, b);
  } else {
    if (b.length <= 32) return myers(b, a);
    if (b.length <= 64) return myers64(b, a);
  }
  if (b.length + 1 > row.length) row = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      const cost = ca === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

// Per UTF-16 code unit, the bit mask of its positions in the pattern (reset after each call):
// units 0–31, and units 32–63 for patterns longer than one word.
const positions = new Int32Array(0x10000);
const highPositions = new Int32Array(0x10000);

/**
 * Myers' bit-parallel edit distance (J. ACM 1999), the same Levenshtein distance as the row DP
 * above for a pattern of at most 32 code units, one word operation per character of `text`.
 */
function myers(pattern: string, text: string): number {
  const n = pattern.length;
  const last = 1 << (n - 1);
  for (let i = 0; i < n; i++) positions[pattern.charCodeAt(i)]! |= 1 << i;
  let plus = -1;
  let minus = 0;
  let score = n;
  for (let j = 0; j < text.length; j++) {
    let eq = positions[text.charCodeAt(j)]!;
    const xv = eq | minus;
    eq |= ((eq & plus) + plus) ^ plus;
    minus |= ~(eq | plus);
    plus &= eq;
    if (minus & last) score++;
    if (plus & last) score--;
    minus = (minus << 1) | 1;
    plus = (plus << 1) | ~(xv | minus);
    minus &= xv;
  }
  for (let i = 0; i < n; i++) positions[pattern.charCodeAt(i)] = 0;
  return score;
}

/**
 * The same algorithm for a pattern of 33–64 code units, on two 32-bit words (low: units 0–31, high:
 * the rest), with the carry of the addition and the bit shifted out of the low word carried into the
 * high one (Hyyrö's blocks of two). Bits of the high word above the pattern never flow down.
 */
function myers64(pattern: string, text: string): number {
  const n = pattern.length;
  const last = 1 << (n - 33);
  for (let i = 0; i < 32; i++) positions[pattern.charCodeAt(i)]! |= 1 << i;
  for (let i = 32; i < n; i++) highPositions[pattern.charCodeAt(i)]! |= 1 << (i - 32);
  let plusLow = -1;
  let plusHigh = -1;
  let minusLow = 0;
  let minusHigh = 0;
  let score = n;
  for (let j = 0; j < text.length; j++) {
    const unit = text.charCodeAt(j);
    let eqLow = positions[unit]!;
    let eqHigh = highPositions[unit]!;
    const xvLow = eqLow | minusLow;
    const xvHigh = eqHigh | minusHigh;
    // ((eq & plus) + plus) over 64 bits: the low sum is exact in a double, its bit 32 is the carry.
    const sumLow = ((eqLow & plusLow) >>> 0) + (plusLow >>> 0);
    const sumHigh = (eqHigh & plusHigh) + plusHigh + (sumLow > 0xffffffff ? 1 : 0);
    eqLow |= (sumLow | 0) ^ plusLow;
    eqHigh |= (sumHigh | 0) ^ plusHigh;
    const hPlusLow = minusLow | ~(eqLow | plusLow);
    const hPlusHigh = minusHigh | ~(eqHigh | plusHigh);
    const hMinusLow = plusLow & eqLow;
    const hMinusHigh = plusHigh & eqHigh;
    if (hPlusHigh & last) score++;
    if (hMinusHigh & last) score--;
    const shiftedPlusLow = (hPlusLow << 1) | 1;
    const shiftedPlusHigh = (hPlusHigh << 1) | (hPlusLow >>> 31);
    const shiftedMinusLow = hMinusLow << 1;
    const shiftedMinusHigh = (hMinusHigh << 1) | (hMinusLow >>> 31);
    plusLow = shiftedMinusLow | ~(xvLow | shiftedPlusLow);
    plusHigh = shiftedMinusHigh | ~(xvHigh | shiftedPlusHigh);
    minusLow = shiftedPlusLow & xvLow;
    minusHigh = shiftedPlusHigh & xvHigh;
  }
  for (let i = 0; i < 32; i++) positions[pattern.charCodeAt(i)] = 0;
  for (let i = 32; i < n; i++) highPositions[pattern.charCodeAt(i)] = 0;
  return score;
}

/** 1 - normalised edit distance, skipping the DP when the length ratio already bounds it low. */
export function editSimilarity(a: string, b: string, floor = 0.3): number {
  if (a === b) return 1;
  const x = a.length > MAX_EDIT_LENGTH ? a.slice(0, MAX_EDIT_LENGTH) : a;
  const y = b.length > MAX_EDIT_LENGTH ? b.slice(0, MAX_EDIT_LENGTH) : b;
  const longest = Math.max(x.length, y.length);
  if (longest === 0) return 1;
  const upperBound = Math.min(x.length, y.length) / longest;
  if (upperBound < floor) return upperBound / 2;
  return 1 - levenshtein(x, y) / longest;
}

export function jaccard<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

/** Blend of token overlap and character edit similarity, robust to rewording and typos. */
export function textSimilarity(
  a: string,
  aTokens: ReadonlySet<string>,
  b: string,
  bTokens: ReadonlySet<string>,
) {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const tokens = jaccard(aTokens, bTokens);
  const edit = editSimilarity(a, b);
  const similarity = Math.max(edit, 0.5 * tokens + 0.5 * edit, tokens * 0.9);
  // "Delete INV-7053" vs "Delete INV-7844": one character class apart but different entities.
  return numbersDiffer(aTokens, bTokens) ? similarity * 0.5 : similarity;
}

function numbersDiffer(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  let aNumbers = 0;
  let shared = 0;
  for (const token of a) {
    if (!/\d/.test(token)) continue;
    aNumbers++;
    if (b.has(token)) shared++;
  }
  if (aNumbers === 0) return false;
  let bNumbers = 0;
  for (const token of b) if (/\d/.test(token)) bNumbers++;
  return bNumbers > 0 && shared < Math.max(aNumbers, bNumbers);
}

let lcsRows: [Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64)];

/** Longest common subsequence length, for tag paths (Healenium compares root-to-node paths this way). */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Two reused rows (reset here) keep the path comparison allocation-free on the hot path.
  if (lcsRows[0].length < b.length + 1)
    lcsRows = [new Int32Array(2 * b.length + 2), new Int32Array(2 * b.length + 2)];
  let [previous, current] = lcsRows;
  previous.fill(0, 0, b.length + 1);
  current.fill(0, 0, b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      current[j] = a[i - 1] === b[j - 1] ? previous[j - 1]! + 1 : Math.max(previous[j]!, current[j - 1]!);
    }
    const swap = previous;
    previous = current;
    current = swap;
  }
  return previous[b.length]!;
}
