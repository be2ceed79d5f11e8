import { describe, expect, it } from "vitest";
import { median, percentile } from "../../bench/lib/stats.ts";

describe("benchmark statistics", () => {
  it("takes the middle value, or the mean of the two middle ones, whatever the order", () => {
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("reads percentiles by nearest rank on an unsorted sample", () => {
    const sample = [7, 3, 10, 1, 9, 2, 8, 4, 6, 5];
    expect(percentile(sample, 50)).toBe(5);
    expect(percentile(sample, 90)).toBe(9);
    expect(percentile(sample, 99)).toBe(10);
    expect(percentile(sample, 0)).toBe(1);
    expect(percentile([], 50)).toBeNaN();
  });
});
