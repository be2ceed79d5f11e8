/**
 * A memo for pure functions of strings that page descriptors repeat (texts, class lists, paths):
 * results are immutable and shared, and the memo is emptied when full so an isolate's memory stays
 * bounded whatever pages it sees.
 */
export function boundedMemo<V>(limit = 50_000): (key: string, compute: () => V) => V {
  const memo = new Map<string, V>();
  return (key, compute) => {
    const known = memo.get(key);
    if (known !== undefined) return known;
    const value = compute();
    if (memo.size >= limit) memo.clear();
    memo.set(key, value);
    return value;
  };
}
