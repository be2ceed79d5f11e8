/**
 * A queue message as a consumer receives it (the `ack`/`retry` of a Workers Queues message), which
 * records what the consumer did with it: `acked`, or `retried` with the options it asked for.
 */
export type FakeMessage = {
  body: unknown;
  attempts: number;
  acked: boolean;
  retried: { delaySeconds?: number } | null;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
};

/** A message carrying `body` on its `attempts`-th delivery. */
export function message(body: unknown, attempts = 1): FakeMessage {
  const m: FakeMessage = {
    body,
    attempts,
    acked: false,
    retried: null,
    ack() {
      m.acked = true;
    },
    retry(options = {}) {
      m.retried = options;
    },
  };
  return m;
}
