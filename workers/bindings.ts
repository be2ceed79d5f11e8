import { type Dependency, DependencyUnavailable } from "../shared/errors.ts";

/**
 * Bindings as the services see them (workers/services.ts): every call that leaves the isolate is
 * bounded by a timeout, and a failure of the platform (a thrown or rejected call, or no answer in
 * time) becomes a `DependencyUnavailable(component)`, which the error handler answers with a 503 and
 * Retry-After instead of a 500 or a hang (docs/faults.md). Errors that are the caller's own — a SQL
 * constraint, an exception raised by a Durable Object's code — pass through unchanged.
 *
 * The last outcome of queue sends is remembered by the isolate, so /readyz can name a queue that
 * failed (a producer binding has nothing to probe) and clear it again when a send succeeds. The other
 * components are probed by /readyz itself, so their calls record nothing.
 */

/** The last failed and the last successful queue send of this isolate. */
const queueSends = { failedAt: 0, succeededAt: 0 };
/** How long a failure seen by this isolate keeps the queue "error" in /readyz without a success. */
const OBSERVATION_WINDOW_MS = 60_000;

/** True when the last queue send this isolate made failed less than a minute ago. */
export function queueRecentlyFailed(now = Date.now()): boolean {
  return queueSends.failedAt > queueSends.succeededAt && now - queueSends.failedAt < OBSERVATION_WINDOW_MS;
}

type Guard = {
  component: Dependency;
  binding: string;
  timeoutMs: number;
  /** False for errors that are not the dependency's fault (they pass through). */
  isOutage: (error: unknown) => boolean;
};

class DependencyTimeout extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = "DependencyTimeout";
  }
}

/** The error a failed call becomes: the caller's own errors pass through, outages are named. */
function classify(guard: Guard, error: unknown): unknown {
  if (!(error instanceof DependencyTimeout) && !guard.isOutage(error)) return error;
  if (guard.component === "queue") queueSends.failedAt = Date.now();
  return new DependencyUnavailable(guard.component, guard.binding, error);
}

/** Runs one call to a binding under the guard: one timer, classification, the queue's outcome. */
function guarded<T>(guard: Guard, call: () => T): T {
  let result: T;
  try {
    result = call();
  } catch (error) {
    throw classify(guard, error);
  }
  // RPC calls answer thenables that are not Promise instances.
  if (typeof (result as { then?: unknown } | null)?.then !== "function") return result;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(classify(guard, new DependencyTimeout(guard.timeoutMs))),
      guard.timeoutMs,
    );
    (result as PromiseLike<unknown>).then(
      (value) => {
        clearTimeout(timer);
        if (guard.component === "queue") queueSends.succeededAt = Date.now();
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(classify(guard, error));
      },
    );
  }) as T;
}

/** Wraps every method of a binding object (KV, R2, a queue producer, a Durable Object stub). */
function guardMethods<T extends object>(target: T, guard: Guard, skip: ReadonlySet<PropertyKey> = NONE): T {
  return new Proxy(target, {
    get(object, prop) {
      // A stub answers every property name with an RPC method; `then` must stay undefined or
      // awaiting the stub would call the Durable Object.
      if (prop === "then") return undefined;
      const value = Reflect.get(object, prop);
      if (typeof value !== "function" || typeof prop === "symbol" || skip.has(prop)) return value;
      // Reflect.apply: an RPC method answers `.apply` with a remote call of that name.
      return (...args: unknown[]) => guarded(guard, () => Reflect.apply(value, object, args));
    },
  });
}

/** SQL errors (constraints, too-big values, syntax) are ours to handle; anything else is D1's outage. */
export function isD1Outage(error: unknown): boolean {
  const text = String((error as Error)?.message ?? error);
  return !/SQLITE_[A-Z]+|constraint failed|no such (table|column)|syntax error|too big/i.test(text);
}

/** Errors thrown by a Durable Object's own code are `remote` and not retryable: not an outage. */
function isDurableObjectOutage(error: unknown): boolean {
  const e = error as { remote?: boolean; retryable?: boolean; overloaded?: boolean } | undefined;
  return !e?.remote || !!e.retryable || !!e.overloaded;
}

const always = () => true;
const NONE: ReadonlySet<PropertyKey> = new Set();
/** Stub properties that are data, not RPC methods. */
const STUB_DATA: ReadonlySet<PropertyKey> = new Set(["id", "name"]);

class GuardedStatement {
  readonly inner: D1PreparedStatement;
  private readonly guard: Guard;
  constructor(inner: D1PreparedStatement, guard: Guard) {
    this.inner = inner;
    this.guard = guard;
  }
  bind(...values: unknown[]) {
    return new GuardedStatement(this.inner.bind(...values), this.guard);
  }
  first(column?: string) {
    return guarded(this.guard, () => (column === undefined ? this.inner.first() : this.inner.first(column)));
  }
  all() {
    return guarded(this.guard, () => this.inner.all());
  }
  run() {
    return guarded(this.guard, () => this.inner.run());
  }
  raw(options?: { columnNames?: boolean }) {
    return guarded(this.guard, () => this.inner.raw(options as { columnNames: true }));
  }
}

const innerOf = (s: D1PreparedStatement) => (s instanceof GuardedStatement ? s.inner : s);

class GuardedD1 {
  private readonly inner: D1Database;
  private readonly guard: Guard;
  constructor(inner: D1Database, guard: Guard) {
    this.inner = inner;
    this.guard = guard;
  }
  prepare(query: string) {
    return new GuardedStatement(this.inner.prepare(query), this.guard) as unknown as D1PreparedStatement;
  }
  batch(statements: D1PreparedStatement[]) {
    return guarded(this.guard, () => this.inner.batch(statements.map(innerOf)));
  }
  exec(query: string) {
    return guarded(this.guard, () => this.inner.exec(query));
  }
  withSession(constraint?: string) {
    return this.inner.withSession(constraint);
  }
  dump() {
    return guarded(this.guard, () => this.inner.dump());
  }
}

/** Guarded copies are kept per binding object, so per-binding memos (the drizzle client) still hit. */
const cache = new WeakMap<object, { timeoutMs: number; guarded: unknown }>();

function memo<T extends object>(binding: T, timeoutMs: number, build: () => T): T {
  const hit = cache.get(binding);
  if (hit && hit.timeoutMs === timeoutMs) return hit.guarded as T;
  const made = build();
  cache.set(binding, { timeoutMs, guarded: made });
  return made;
}

export function guardD1(db: D1Database, binding: string, timeoutMs: number): D1Database {
  const guard: Guard = { component: "d1", binding, timeoutMs, isOutage: isD1Outage };
  return memo(db, timeoutMs, () => new GuardedD1(db, guard) as unknown as D1Database);
}

export function guardKv(kv: KVNamespace, binding: string, timeoutMs: number): KVNamespace {
  return memo(kv, timeoutMs, () =>
    guardMethods(kv, { component: "kv", binding, timeoutMs, isOutage: always }),
  );
}

export function guardR2(r2: R2Bucket, binding: string, timeoutMs: number): R2Bucket {
  return memo(r2, timeoutMs, () =>
    guardMethods(r2, { component: "r2", binding, timeoutMs, isOutage: always }),
  );
}

export function guardQueue<T>(queue: Queue<T>, binding: string, timeoutMs: number): Queue<T> {
  return memo(queue, timeoutMs, () =>
    guardMethods(queue, { component: "queue", binding, timeoutMs, isOutage: always }),
  );
}

/** Ids are computed locally; the stubs `get` returns are where calls leave the isolate. */
export function guardDurableObjects<T extends object>(namespace: T, binding: string, timeoutMs: number): T {
  const guard: Guard = { component: "durable_object", binding, timeoutMs, isOutage: isDurableObjectOutage };
  return memo(
    namespace,
    timeoutMs,
    () =>
      new Proxy(namespace, {
        get(object, prop) {
          const value = Reflect.get(object, prop);
          if (prop !== "get" && prop !== "getByName") {
            return typeof value === "function" ? value.bind(object) : value;
          }
          return (...args: unknown[]) => {
            const stub = Reflect.apply(value as (...a: unknown[]) => object, object, args);
            return guardMethods(stub, guard, STUB_DATA);
          };
        },
      }),
  );
}
