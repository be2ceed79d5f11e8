import { defineConfig, devices } from "@playwright/test";
import { chromiumLaunchOptions } from "./chromium.ts";

// Shared by every browser suite: test/e2e/<suite>/*.spec.ts. run.mjs starts the local Shifty and sets
// SHIFTY_URL and CHROMIUM_PATH; a suite only needs `page.goto("/")` (baseURL) or process.env.SHIFTY_URL.

export default defineConfig({
  testDir: ".",
  // Suites' specs only; a suite's own nested demo suites name their files *.demo.ts so they are not run here.
  testMatch: "*/**/*.spec.ts",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two spec files at a time: each spec makes its own tenant, and the browser waits on the server as
  // much as it computes (one worker: 5.3 min on a 2-core machine; two: 4.4 min). Tests within a file
  // stay in order.
  workers: 2,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [["list"], ["json", { outputFile: process.env.SHIFTY_E2E_JSON ?? "test-results/e2e.json" }]],
  outputDir: process.env.SHIFTY_E2E_ARTIFACTS ?? "test-results/e2e",
  use: {
    ...devices["Desktop Chrome"],
    baseURL: process.env.SHIFTY_URL ?? "http://127.0.0.1:8787",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: "chromium" }],
});
