// `shifty record <app-url> --session <sessionId>`: opens the app in Chromium (playwright-core) and
// streams what the tester does — clicks, fills, key presses, selects, checks and navigations — into
// the session's live room as `step` events (docs/room-protocol.md), with robust targets read by
// ./record-dom.ts. A screenshot key (default F9) uploads a screenshot of the page to the session.
import { pathToFileURL } from "node:url";
import type { ShiftyClient, StepFrame } from "@shifty/sdk";
import type { Page } from "playwright-core";
import { type CaptureOptions, captureInPage, type RecordedEvent } from "./record-dom.ts";
import { RoomConnection } from "./room-connection.ts";

export type RecordOptions = {
  appUrl: string;
  sessionId: string;
  browserPath?: string;
  headless: boolean;
  /** A module whose default export receives `(page, { screenshot })` and drives the app; the recording ends when it resolves. */
  script?: string;
  screenshotKey: string;
  log: (line: string) => void;
};

export type RecordSummary = { steps: number; screenshots: number; errors: number };

const BINDING = "__shiftyRecord";

export async function record(client: ShiftyClient, options: RecordOptions): Promise<RecordSummary> {
  const room = new RoomConnection(client, options.sessionId, options.log);
  await room.open();
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({
    executablePath: options.browserPath || undefined,
    headless: options.headless,
    args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  const summary: RecordSummary = { steps: 0, screenshots: 0, errors: 0 };
  // Steps go out in the order they happened; screenshots are taken and uploaded on the same queue.
  let queue: Promise<void> = Promise.resolve();
  let lastAt = 0;
  const stepFrame = (frame: Omit<StepFrame, "type" | "at">, at: number) => {
    lastAt = Math.max(at, lastAt + 1); // strictly increasing: the room's echo is matched on it
    summary.steps++;
    room.send({ type: "step", ...frame, at: lastAt });
  };
  const screenshot = async (page: Page, caption?: string) => {
    await room.settled(); // the steps before it reach the timeline first
    const image = await page.screenshot({ type: "png" });
    const shot = await client.uploadSessionScreenshot(options.sessionId, image, caption ?? page.url());
    summary.screenshots++;
    options.log(`screenshot #${shot.seq} uploaded`);
  };
  const enqueue = (work: () => Promise<void> | void) => {
    queue = queue.then(work).catch((error: unknown) => {
      summary.errors++;
      options.log(`recording failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  const context = await browser.newContext();
  await context.exposeBinding(BINDING, (source, event: RecordedEvent) => {
    if (event.kind === "screenshot") return enqueue(() => screenshot(source.page));
    const { kind: _kind, at, ...frame } = event;
    enqueue(() => stepFrame(frame, at));
  });
  const capture: CaptureOptions = { binding: BINDING, screenshotKey: options.screenshotKey, fillIdleMs: 800 };
  await context.addInitScript(captureInPage, capture);
  const watch = (page: Page) =>
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame() || !/^https?:/.test(frame.url())) return;
      const url = frame.url();
      enqueue(() => stepFrame({ action: "navigate", url }, Date.now()));
    });
  context.on("page", watch);
  const page = await context.newPage();
  try {
    await page.goto(options.appUrl);
    if (options.script) {
      const module = (await import(pathToFileURL(options.script).href)) as {
        default?: (page: Page, helpers: { screenshot: (caption?: string) => Promise<void> }) => unknown;
      };
      if (typeof module.default !== "function")
        throw new Error(`${options.script} must export a default function (page, helpers)`);
      await module.default(page, {
        // Through the queue, so the screenshot lands after the steps that led to it.
        screenshot: (caption) =>
          new Promise<void>((resolve) => enqueue(() => screenshot(page, caption).finally(resolve))),
      });
      // Fills still waiting for their idle timer are flushed when the page goes away.
      await page.evaluate(() => window.dispatchEvent(new Event("pagehide"))).catch(() => undefined);
    } else {
      options.log(
        "recording: use the browser, press the screenshot key for a screenshot, close it to finish",
      );
      await new Promise<void>((resolve) => {
        browser.on("disconnected", () => resolve());
        context.on("close", () => resolve());
        process.once("SIGINT", () => resolve());
      });
    }
  } finally {
    await queue;
    await room.drain();
    room.close();
    await browser.close().catch(() => undefined);
  }
  summary.errors += room.errors;
  return summary;
}
