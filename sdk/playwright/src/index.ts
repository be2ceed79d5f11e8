import { test as base, type Locator, type Page } from "@playwright/test";
import { LOCATOR_FACTORIES as LOCATOR_FACTORY_NAMES } from "@shifty/sdk";
import {
  HEALABLE_ACTIONS,
  type HealContext,
  runAction,
  type ShiftyFixtureOptions,
  ShiftyWorker,
} from "./heal.ts";

export { expect } from "@playwright/test";
export { ShiftyCache } from "./cache.ts";
export { shiftyDescribe, shiftySelectorsFor } from "./describe.ts";
export { callSite, type HealEvent, type ShiftyFixtureOptions, ShiftyWorker } from "./heal.ts";

/** Methods that build a locator: the result is wrapped, and where it was written is remembered. */
const LOCATOR_FACTORIES = new Set<string>(LOCATOR_FACTORY_NAMES);
/** Locator methods that return a narrower locator. */
const LOCATOR_CHAINS = new Set([...LOCATOR_FACTORIES, "first", "last", "nth", "filter", "and", "or"]);
/** Page shortcuts taking a selector first (`page.click("#save")`). */
const PAGE_SELECTOR_ACTIONS = new Set([
  "click",
  "dblclick",
  "fill",
  "check",
  "uncheck",
  "hover",
  "tap",
  "focus",
  "press",
  "type",
  "selectOption",
  "setInputFiles",
  "setChecked",
  "textContent",
  "innerText",
  "innerHTML",
  "inputValue",
  "getAttribute",
  "dispatchEvent",
]);

const RAW = Symbol("shifty.raw");

function bind(target: object, value: unknown) {
  return typeof value === "function" ? value.bind(target) : value;
}

/** Arguments may be our proxies (e.g. `locator.and(other)`): Playwright needs its own objects. */
function unwrapArgs(args: unknown[]) {
  return args.map((a) => (a && typeof a === "object" && RAW in a ? (a as Record<symbol, unknown>)[RAW] : a));
}

function wrapLocator(ctx: HealContext, locator: Locator, site: Error): Locator {
  return new Proxy(locator, {
    has(target, prop) {
      return prop === RAW || Reflect.has(target, prop);
    },
    get(target, prop, receiver) {
      if (prop === RAW) return target;
      const value = Reflect.get(target, prop, receiver === target ? target : target);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      if (LOCATOR_CHAINS.has(prop)) {
        return (...args: unknown[]) => {
          const next = (value as (...a: unknown[]) => Locator).apply(target, unwrapArgs(args));
          return wrapLocator(ctx, next, LOCATOR_FACTORIES.has(prop) ? new Error("locator") : site);
        };
      }
      if (HEALABLE_ACTIONS.has(prop)) {
        return (...args: unknown[]) =>
          runAction(ctx, target, target.toString(), site, prop, unwrapArgs(args));
      }
      // Everything else, assertions included (`expect(locator)` reads `_expect`), is Playwright's own.
      return bind(target, value);
    },
  });
}

function wrapPage(ctx: HealContext, page: Page): Page {
  return new Proxy(page, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof prop !== "string" || typeof value !== "function") return value;
      if (LOCATOR_FACTORIES.has(prop)) {
        return (...args: unknown[]) =>
          wrapLocator(
            ctx,
            (value as (...a: unknown[]) => Locator).apply(target, unwrapArgs(args)),
            new Error("locator"),
          );
      }
      if (PAGE_SELECTOR_ACTIONS.has(prop)) {
        return (selector: string, ...rest: unknown[]) => {
          const locator = target.locator(selector);
          const action = prop === "type" ? "pressSequentially" : prop;
          return runAction(ctx, locator, locator.toString(), new Error("locator"), action, rest);
        };
      }
      return bind(target, value);
    },
  });
}

type WorkerFixtures = { shiftyOptions: ShiftyFixtureOptions; shifty: ShiftyWorker };

/**
 * `test` with Shifty: `page` heals broken locators in actions (never in assertions), stores
 * descriptors of the elements it finds, and costs no network call when nothing breaks.
 *
 * @example
 * import { test, expect } from "@shifty/playwright";
 * test("saves", async ({ page }) => {
 *   await page.goto("/");
 *   await page.locator("#save").click();           // healed if #save is gone
 *   await expect(page.getByText("Saved")).toBeVisible(); // never healed
 * });
 */
export const test = base.extend<Record<never, never>, WorkerFixtures>({
  shiftyOptions: [{}, { option: true, scope: "worker" }],
  shifty: [
    async ({ shiftyOptions }, use) => {
      const worker = new ShiftyWorker(shiftyOptions);
      await use(worker);
      worker.flush();
    },
    { scope: "worker" },
  ],
  page: async ({ page, shifty }, use, testInfo) => {
    if (!shifty.options.enabled) {
      await use(page);
      return;
    }
    await use(wrapPage({ page, worker: shifty, testInfo }, page));
  },
});

export default test;
