import { describe, expect, it } from "vitest";
import { editSimilarity, levenshtein } from "../../shared/healing/similarity.ts";

/** The textbook full-matrix edit distance, to check the engine's bit-parallel and row versions. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
  return d[a.length]![b.length]!;
}

describe("levenshtein", () => {
  it("equals the full-matrix distance for lengths around the 32- and 64-unit words, non-ASCII included", () => {
    const alphabet = "abcdé -0\u4e00Z";
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const text = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join("");
    for (let round = 0; round < 3000; round++) {
      const a = text(Math.floor(random() * 70));
      const b = text(Math.floor(random() * 70));
      expect(levenshtein(a, b)).toBe(reference(a, b));
    }
    for (const length of [31, 32, 33, 63, 64, 65]) {
      const a = text(length);
      const b = text(length + (length % 2));
      expect(levenshtein(a, b)).toBe(reference(a, b));
      expect(levenshtein(b, a)).toBe(reference(a, b));
    }
    // Two-word patterns where the low word's carry decides: long shared runs on a two-letter alphabet.
    for (let round = 0; round < 2000; round++) {
      const length = 33 + Math.floor(random() * 32);
      const a = Array.from({ length }, () => (random() < 0.8 ? "a" : "b")).join("");
      const b = Array.from({ length: length + Math.floor(random() * 6) }, () =>
        random() < 0.8 ? "a" : "b",
      ).join("");
      expect(levenshtein(a, b)).toBe(reference(a, b));
    }
    // Xpath tails, what the xpath strategy compares.
    const xpath = "/html[1]/body[1]/main[1]/section[49]/table[1]/tbody[1]/tr[5]/td[5]/button[2]".slice(-64);
    const other = "/html[1]/body[1]/main[1]/section[12]/table[1]/tbody[1]/tr[3]/td[5]/button[1]".slice(-64);
    expect(levenshtein(xpath, other)).toBe(reference(xpath, other));
  });

  it("keeps the known figures", () => {
    expect(levenshtein("kitten", "sitting")).toBe(3);
    expect(levenshtein("", "abc")).toBe(3);
    expect(levenshtein("Delete INV-7053", "Delete INV-7844")).toBe(3);
    expect(editSimilarity("submit-order", "submit-orders")).toBeCloseTo(1 - 1 / 13, 10);
  });
});
