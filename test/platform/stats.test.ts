import { describe, expect, it } from "vitest";
import { median, quantile } from "../../shared/stats.ts";

describe("sample statistics (DORA keys, CI trends, benchmarks)", () => {
  it("takes the middle value, or the mean of the two middle ones, whatever the order", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it("reads quantiles by nearest rank on an unsorted sample", () => {
    const sample = [7, 3, 10, 1, 9, 2, 8, 4, 6, 5];
    expect(quantile(sample, 0.5)).toBe(5);
    expect(quantile(sample, 0.9)).toBe(9);
    expect(quantile(sample, 0.99)).toBe(10);
    expect(quantile(sample, 0)).toBe(1);
    expect(quantile([], 0.5)).toBeNull();
    expect(sample[0]).toBe(7); // the caller's array is left as it was
  });
});
