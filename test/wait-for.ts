/**
 * Polls `read` until `until` accepts its value (default: truthy) or `timeoutMs` passes, and returns the
 * last value either way, so the test's own `expect` reports what it saw. Use it instead of a fixed sleep:
 * it waits only as long as needed and does not fail on a slow machine.
 */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  options: { until?: (value: T) => boolean; timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const { until = (value: T) => Boolean(value), timeoutMs = 5_000, intervalMs = 50 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (until(value) || Date.now() >= deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
