/** What a barrage got back: answers counted by status, a line for each 5xx, and how many answered. */
export type Barrage = { statuses: Map<number, number>; failures: string[]; total: number };

/**
 * Sends `count` requests, `batch` at a time. `send` makes one request and returns its response with a
 * line saying what it sent; a 5xx becomes a failure line with the answer's body, other bodies are dropped.
 * Each `send` runs up to its first await before the next starts, so a seeded generator stays deterministic.
 */
export async function barrage(
  count: number,
  batch: number,
  send: () => Promise<{ res: Response; sent: string }>,
): Promise<Barrage> {
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  for (let i = 0; i < count; i += batch) {
    await Promise.all(
      Array.from({ length: Math.min(batch, count - i) }, async () => {
        const { res, sent } = await send();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) failures.push(`${sent} → ${res.status} ${await res.text()}`);
        else await res.body?.cancel();
      }),
    );
  }
  return { statuses, failures, total: [...statuses.values()].reduce((a, b) => a + b, 0) };
}
