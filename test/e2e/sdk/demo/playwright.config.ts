import { defineConfig } from "@playwright/test";
import type { ShiftyFixtureOptions } from "@shifty/playwright";
import { chromiumLaunchOptions } from "../../chromium.ts";

// The demo suite's own config (run by ../sdk.spec.ts and bench/fixture-overhead.mjs as a child process).
// DEMO_URL: the demo app's base (…/v1/ or …/v2/); DEMO_REPORT: where the JSON report goes.
const fixtureOn = process.env.SHIFTY_FIXTURE !== "off";
// DEMO_REPORTER=on keeps the Shifty reporter without the fixture; DEMO_TRACE/DEMO_SCREENSHOT record
// failure artifacts for it to upload (sdk.spec.ts).
const reporterOn = fixtureOn || process.env.DEMO_REPORTER === "on";
const trace = (process.env.DEMO_TRACE ?? "off") as "off" | "on" | "retain-on-failure";
const screenshot = (process.env.DEMO_SCREENSHOT ?? "off") as "off" | "on" | "only-on-failure";

export default defineConfig<Record<never, never>, { shiftyOptions: ShiftyFixtureOptions }>({
  testDir: ".",
  testMatch: "*.demo.ts",
  timeout: 30_000,
  workers: 1,
  retries: 0,
  reporter: [
    ["json", { outputFile: process.env.DEMO_REPORT ?? "test-results/demo.json" }],
    ...(reporterOn ? [["@shifty/playwright/reporter"] as ["@shifty/playwright/reporter"]] : []),
  ],
  outputDir: process.env.DEMO_OUTPUT ?? "test-results/demo",
  use: {
    // DEMO_ACTION_TIMEOUT_MS shortens the wait of a run expected to fail on its broken locators.
    actionTimeout: Number(process.env.DEMO_ACTION_TIMEOUT_MS ?? 5_000),
    trace,
    screenshot,
    baseURL: process.env.DEMO_URL ?? "http://127.0.0.1:4173/v1/",
    // A missing element is judged broken after 2 s (the default is 5 s): the demo app renders at once.
    shiftyOptions: { resolveTimeoutMs: Number(process.env.SHIFTY_RESOLVE_TIMEOUT_MS ?? 2000) },
    launchOptions: chromiumLaunchOptions,
  },
});
