import { dirname, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Locator, Page, TestInfo } from "@playwright/test";
import { type ElementDescriptor, type HealedLocator, ShiftyClient, type ShiftyConfig } from "@shifty/sdk";
import { type CachedHeal, ShiftyCache } from "./cache.ts";
import { type CandidatesSnapshot, shiftyDescribe, shiftySelectorsFor } from "./describe.ts";

export type ShiftyFixtureOptions = {
  /** Heal broken locators at all (default true; SHIFTY_HEAL=0 turns it off). */
  enabled?: boolean;
  url?: string;
  apiKey?: string;
  projectId?: string;
  /** Apply a heal only at or above this confidence. Default 0.85 (SHIFTY_HEAL_THRESHOLD). */
  threshold?: number;
  /**
   * How long an action waits for its element before Shifty considers the locator broken (ms).
   * If the element exists but is not yet actionable, the action is retried with the test's own
   * timeout, so this only bounds waiting for an element that is not in the page. Default 5000.
   */
  resolveTimeoutMs?: number;
  /** The `.shifty/` folder. Default `<cwd>/.shifty` (SHIFTY_CACHE_DIR). */
  cacheDir?: string;
  /** Record heals in the project (POST …/heals) so they can be reviewed and reused. Default true. */
  record?: boolean;
  /**
   * A stored descriptor younger than this is trusted as is, so a passing run does not describe the
   * element again: after the first run the happy path costs nothing. Default 24 h
   * (SHIFTY_DESCRIPTOR_MAX_AGE_MS); 0 describes on every run.
   */
  descriptorMaxAgeMs?: number;
};

/** A heal made during a test, as attached to the test result (`shifty-heal.json`) for the reporter. */
export type HealEvent = {
  originalSelector: string;
  healedSelector: string;
  healedLocator: string;
  confidence: number;
  strategy: string;
  reused: boolean;
  status: "accepted" | "pending" | "rejected" | "unrecorded";
  healId: string | null;
  attemptId: string | null;
  location: string | null;
  action: string;
};

const PACKAGE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** This package's own frames, wherever it is installed or linked from. */
const OWN_FILES = /[/\\](@shifty[/\\]playwright|sdk[/\\]playwright)[/\\](dist|src)[/\\]/;

/** Per-worker state: the cache, the API client (created on the first failure), what was captured. */
export class ShiftyWorker {
  readonly cache: ShiftyCache;
  readonly options: Required<
    Pick<ShiftyFixtureOptions, "enabled" | "threshold" | "resolveTimeoutMs" | "record" | "descriptorMaxAgeMs">
  >;
  readonly config: ShiftyConfig;
  /** Locators whose element was described in this worker already. */
  readonly described = new Set<string>();
  /** Network calls made (the benchmark asserts 0 when nothing breaks). */
  networkCalls = 0;
  private client: ShiftyClient | null = null;
  private refreshed: Promise<void> | null = null;

  constructor(options: ShiftyFixtureOptions, env: Record<string, string | undefined> = process.env) {
    const threshold = options.threshold ?? Number(env.SHIFTY_HEAL_THRESHOLD ?? 0.85);
    this.options = {
      enabled: options.enabled ?? env.SHIFTY_HEAL !== "0",
      threshold: Number.isFinite(threshold) ? threshold : 0.85,
      resolveTimeoutMs: options.resolveTimeoutMs ?? Number(env.SHIFTY_RESOLVE_TIMEOUT_MS ?? 5000),
      record: options.record ?? true,
      descriptorMaxAgeMs:
        options.descriptorMaxAgeMs ?? Number(env.SHIFTY_DESCRIPTOR_MAX_AGE_MS ?? 86_400_000),
    };
    this.config = {
      url: options.url ?? env.SHIFTY_URL ?? "",
      apiKey: options.apiKey ?? env.SHIFTY_API_KEY ?? "",
      projectId: options.projectId ?? env.SHIFTY_PROJECT_ID ?? "",
    };
    this.cache = new ShiftyCache(
      options.cacheDir ?? env.SHIFTY_CACHE_DIR ?? resolve(process.cwd(), ".shifty"),
    );
  }

  get canHeal() {
    return Boolean(this.config.url && this.config.apiKey && this.config.projectId);
  }

  api(): ShiftyClient {
    this.client ??= new ShiftyClient({
      baseUrl: this.config.url,
      apiKey: this.config.apiKey,
      timeoutMs: 15_000,
      retries: 2,
      fetch: (input, init) => {
        this.networkCalls++;
        return fetch(input, init);
      },
    });
    return this.client;
  }

  /** The project's accepted heals, fetched once per worker on the first broken locator. */
  refreshAcceptedHeals(): Promise<void> {
    this.refreshed ??= (async () => {
      try {
        const heals = await this.api().allHeals(this.config.projectId, "accepted");
        this.cache.replaceHeals(heals.map(toCached));
      } catch (error) {
        // Offline or not allowed: the local cache still answers.
        console.warn(`[shifty] could not refresh accepted heals: ${(error as Error).message}`);
      }
    })();
    return this.refreshed;
  }

  flush() {
    this.cache.flushDescriptors();
  }
}

function toCached(heal: HealedLocator): CachedHeal {
  return {
    id: heal.id,
    originalSelector: heal.originalSelector,
    healedSelector: heal.healedSelector,
    confidence: heal.confidence,
    location: heal.location,
    status: "accepted",
  };
}

/** Where a locator was written: the first stack frame outside this package and node_modules. */
export function callSite(stack: string | undefined, cwd = process.cwd()): string | null {
  if (!stack) return null;
  for (const line of stack.split("\n").slice(1)) {
    const match = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!match) continue;
    let file = match[1]!;
    if (file.startsWith("file://")) file = fileURLToPath(file);
    if (file.startsWith("node:") || !isAbsolute(file)) continue;
    if (file.startsWith(PACKAGE_DIR) || file.includes("/node_modules/") || OWN_FILES.test(file)) continue;
    return `${relative(cwd, file).split("\\").join("/")}:${match[2]}:${match[3]}`;
  }
  return null;
}

/** Where the options object sits in each healed action's arguments. */
const OPTIONS_AT: Record<string, number> = {
  click: 0,
  dblclick: 0,
  check: 0,
  uncheck: 0,
  clear: 0,
  hover: 0,
  tap: 0,
  focus: 0,
  blur: 0,
  textContent: 0,
  innerText: 0,
  innerHTML: 0,
  inputValue: 0,
  scrollIntoViewIfNeeded: 0,
  selectText: 0,
  fill: 1,
  press: 1,
  pressSequentially: 1,
  type: 1,
  selectOption: 1,
  setInputFiles: 1,
  getAttribute: 1,
  setChecked: 1,
  dragTo: 1,
  dispatchEvent: 2,
};
export const HEALABLE_ACTIONS = new Set(Object.keys(OPTIONS_AT));

function withTimeout(action: string, args: unknown[], timeout: number): unknown[] {
  const at = OPTIONS_AT[action] ?? 0;
  const copy = [...args];
  while (copy.length < at) copy.push(undefined);
  const options = (copy[at] as Record<string, unknown> | undefined) ?? {};
  copy[at] = { ...options, timeout };
  return copy;
}

function userTimeout(action: string, args: unknown[]): number | undefined {
  const options = args[OPTIONS_AT[action] ?? 0] as { timeout?: number } | undefined;
  return typeof options?.timeout === "number" ? options.timeout : undefined;
}

function isTimeout(error: unknown) {
  return (
    (error as Error)?.name === "TimeoutError" ||
    /Timeout \d+ms exceeded/.test((error as Error)?.message ?? "")
  );
}

type Call = (locator: Locator) => Promise<unknown>;

export type HealContext = {
  page: Page;
  worker: ShiftyWorker;
  testInfo: TestInfo;
};

/**
 * Runs `action` on `locator`. On the happy path that is the action itself plus, once per locator per
 * worker, describing the element it found (no network). Only when the locator resolves to no element
 * does it heal: reuse an accepted heal, else ask /v1/heal with the stored descriptor and the live
 * page's candidates, then retry the action on the healed element.
 */
export async function runAction(
  ctx: HealContext,
  locator: Locator,
  key: string,
  site: Error,
  action: string,
  args: unknown[],
): Promise<unknown> {
  const { worker } = ctx;
  const call: Call = (l) =>
    (l as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[action]!(...args);
  const own = userTimeout(action, args);
  const probe = Math.min(own ?? Number.POSITIVE_INFINITY, worker.options.resolveTimeoutMs);
  const known = worker.described.has(key) ? null : worker.cache.descriptorFor(key);
  if (!worker.described.has(key) && known && Date.now() - known.seenAt < worker.options.descriptorMaxAgeMs) {
    // Described in a recent run: trust it and spend nothing on the happy path.
    worker.described.add(key);
  }
  if (!worker.described.has(key)) {
    worker.described.add(key);
    try {
      const descriptor = (await locator.evaluate(
        shiftyDescribe,
        { mode: "element" as const },
        {
          timeout: probe,
        },
      )) as ElementDescriptor;
      worker.cache.rememberDescriptor(key, { descriptor, seenAt: Date.now(), url: ctx.page.url() });
    } catch (error) {
      if (isTimeout(error) && (await locator.count()) === 0) return heal(ctx, key, site, action, call, error);
      // Several matches or a detached element: let the action report it in its own words.
    }
  }
  try {
    return await (locator as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[action]!(
      ...withTimeout(action, args, probe),
    );
  } catch (error) {
    if (!isTimeout(error)) throw error;
    if ((await locator.count()) > 0) {
      // The element is there but not actionable yet: the test's own timeout decides, as without Shifty.
      if (own !== undefined && own <= probe) throw error;
      return call(locator);
    }
    return heal(ctx, key, site, action, call, error);
  }
}

function explain(error: unknown, why: string): Error {
  const e = error as Error;
  e.message = `${e.message}\n\n[shifty] not healed: ${why}`;
  return e;
}

async function heal(
  ctx: HealContext,
  key: string,
  site: Error,
  action: string,
  call: Call,
  error: unknown,
): Promise<unknown> {
  const { page, worker, testInfo } = ctx;
  if (!worker.options.enabled) throw error;
  const location = callSite(site.stack);

  // 1. Heal once, reuse: an accepted heal for this locator (local cache, refreshed once from the project).
  if (worker.canHeal) await worker.refreshAcceptedHeals();
  for (const accepted of worker.cache.acceptedHealsFor(key, location ?? undefined)) {
    const healed = page.locator(accepted.healedSelector);
    if ((await healed.count()) !== 1) continue;
    const value = await call(healed);
    annotate(testInfo, {
      originalSelector: key,
      healedSelector: accepted.healedSelector,
      healedLocator: healed.toString(),
      confidence: accepted.confidence,
      strategy: "reused",
      reused: true,
      status: "accepted",
      healId: accepted.id ?? null,
      attemptId: null,
      location,
      action,
    });
    return value;
  }

  if (!worker.canHeal) throw explain(error, "set SHIFTY_URL, SHIFTY_API_KEY and SHIFTY_PROJECT_ID to heal");
  // 2. The element as it was the last time this locator found it. Without one (the locator broke
  //    before a run with the fixture ever found it) the locator itself is the evidence: a cold start,
  //    which the server states with less confidence than a heal from a stored descriptor.
  const stored = worker.cache.descriptorFor(key);
  const coldStart = stored ? "" : "; cold start: no stored descriptor for this locator";

  // 3. The live page's candidates, described in the browser; 4. ask Shifty.
  const snapshot = (await page.evaluate(
    `(${shiftyDescribe.toString()})(null, { mode: "candidates" })`,
  )) as CandidatesSnapshot;
  let result: Awaited<ReturnType<ShiftyClient["heal"]>>;
  try {
    result = await worker.api().heal({
      selector: key,
      // A target with nothing but a wildcard tag is read as "rebuild it from the selector" (docs/heal-api.md).
      target: stored?.descriptor ?? { tag: "*" },
      candidates: snapshot.candidates,
      projectId: worker.config.projectId,
    });
  } catch (apiError) {
    throw explain(error, `the heal request failed: ${(apiError as Error).message}`);
  }
  if (!result.healed || result.index === null) {
    throw explain(
      error,
      `no candidate is confident enough (best ${result.confidence.toFixed(2)}${coldStart})`,
    );
  }
  if (result.confidence < worker.options.threshold) {
    throw explain(
      error,
      `best candidate at confidence ${result.confidence.toFixed(2)} is below the threshold ${worker.options.threshold}${coldStart}`,
    );
  }

  // 5. A locator for the healed element: the server's selector when it matches exactly that element,
  //    else one computed in the page; the action is retried on it with the test's own arguments.
  const healed = await healedLocatorFor(page, result.index, result.selector);
  if (!healed) throw explain(error, "the healed element has no selector that finds it alone");
  const value = await call(healed.locator);

  // 6. Annotation (the CI ingest counts it as a heal) and the record for review / reuse.
  const event: HealEvent = {
    originalSelector: key,
    healedSelector: healed.selector,
    healedLocator: healed.locator.toString(),
    confidence: result.confidence,
    strategy: result.strategy,
    reused: false,
    status: "unrecorded",
    healId: null,
    attemptId: result.attemptId,
    location,
    action,
  };
  if (worker.options.record && location) {
    try {
      const recorded = await worker.api().recordHeal(worker.config.projectId, {
        testFile: relativeTestFile(testInfo),
        testTitle: testInfo.titlePath.slice(1).join(" › "),
        location,
        originalSelector: key,
        healedSelector: healed.selector,
        healedLocator: healed.locator.toString(),
        confidence: result.confidence,
        attemptId: result.attemptId,
      });
      event.status = recorded.status;
      event.healId = recorded.id;
      if (recorded.status === "accepted") worker.cache.addHeal(toCached(recorded));
    } catch (recordError) {
      console.warn(`[shifty] heal applied but not recorded: ${(recordError as Error).message}`);
    }
  }
  annotate(testInfo, event);
  return value;
}

function relativeTestFile(testInfo: TestInfo) {
  return relative(process.cwd(), testInfo.file).split("\\").join("/");
}

function annotate(testInfo: TestInfo, event: HealEvent) {
  testInfo.annotations.push({
    type: "shifty-heal",
    description: `${event.originalSelector} → ${event.healedLocator} (confidence ${event.confidence.toFixed(2)}${event.reused ? ", reused" : ""})`,
  });
  // Structured copy for the reporter's heal report.
  void testInfo.attach("shifty-heal.json", {
    body: JSON.stringify(event),
    contentType: "application/json",
  });
}

async function healedLocatorFor(
  page: Page,
  index: number,
  serverSelector: string | null,
): Promise<{ selector: string; locator: Locator } | null> {
  const handle = await page.evaluateHandle(
    (i) => (window as unknown as { __shiftyCandidates?: Element[] }).__shiftyCandidates?.[i] ?? null,
    index,
  );
  const element = handle.asElement();
  if (!element) return null;
  const found = await page.evaluate(shiftySelectorsFor, index);
  const frames = found?.frames ?? [];
  const options = [
    ...(frames.length === 0 && serverSelector ? [serverSelector] : []),
    ...(found?.selectors ?? []),
  ];
  for (const selector of options) {
    let scope: Page | ReturnType<Page["frameLocator"]> = page;
    for (const frame of frames) scope = scope.frameLocator(frame);
    const locator = scope.locator(selector);
    try {
      if ((await locator.count()) !== 1) continue;
      const same = await locator.evaluate((el, target) => el === target, element);
      if (same) {
        const full = frames.length
          ? `${frames.map((f) => `${f} >> internal:control=enter-frame >> `).join("")}${selector}`
          : selector;
        return { selector: full, locator };
      }
    } catch {
      // an invalid or ambiguous selector: try the next
    }
  }
  return null;
}
