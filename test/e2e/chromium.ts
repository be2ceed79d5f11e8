// How every Playwright config here (./playwright.config.ts and the nested demo suite's) launches Debian's
// Chromium: CHROMIUM_PATH (set by run.mjs), else /usr/bin/chromium, with no sandbox, GPU or background traffic.
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
  ],
};
