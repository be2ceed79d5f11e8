import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ShiftyCache } from "../src/cache.ts";
import { callSite, ShiftyWorker } from "../src/heal.ts";

describe("fixture internals", () => {
  it("finds the test's own frame in a stack", () => {
    const stack = [
      "Error: locator",
      "    at Proxy.<anonymous> (/repo/sdk/playwright/dist/index.js:60:30)",
      "    at /repo/node_modules/playwright/lib/x.js:1:1",
      "    at /repo/tests/login.spec.ts:12:22",
    ].join("\n");
    expect(callSite(stack, "/repo")).toBe("tests/login.spec.ts:12:22");
    expect(callSite("Error\n    at file:///repo/tests/a.spec.ts:3:9", "/repo")).toBe("tests/a.spec.ts:3:9");
    expect(callSite(undefined)).toBeNull();
  });

  it("merges descriptors from several workers into descriptors.json", () => {
    const dir = mkdtempSync(join(tmpdir(), "shifty-cache-"));
    const a = new ShiftyCache(dir);
    const b = new ShiftyCache(dir);
    a.rememberDescriptor("locator('#a')", { descriptor: { tag: "button" }, seenAt: 1 });
    b.rememberDescriptor("locator('#b')", { descriptor: { tag: "a" }, seenAt: 2 });
    a.flushDescriptors();
    b.flushDescriptors();
    const file = JSON.parse(readFileSync(join(dir, "descriptors.json"), "utf8"));
    expect(Object.keys(file.descriptors).sort()).toEqual(["locator('#a')", "locator('#b')"]);
    expect(new ShiftyCache(dir).descriptorFor("locator('#b')")?.descriptor.tag).toBe("a");
  });

  it("prefers an accepted heal recorded at the same location", () => {
    const dir = mkdtempSync(join(tmpdir(), "shifty-cache-"));
    const cache = new ShiftyCache(dir);
    cache.addHeal({
      originalSelector: "k",
      healedSelector: "#x",
      confidence: 0.9,
      location: "a:1:1",
      status: "accepted",
    });
    cache.addHeal({
      originalSelector: "k",
      healedSelector: "#y",
      confidence: 0.9,
      location: "b:2:2",
      status: "accepted",
    });
    expect(new ShiftyCache(dir).acceptedHealsFor("k", "b:2:2").map((h) => h.healedSelector)).toEqual([
      "#y",
      "#x",
    ]);
  });

  it("reads its configuration from options and the environment", () => {
    const w = new ShiftyWorker(
      { threshold: 0.9 },
      { SHIFTY_URL: "http://x", SHIFTY_API_KEY: "k", SHIFTY_HEAL: "0" },
    );
    expect(w.options).toMatchObject({ threshold: 0.9, enabled: false, resolveTimeoutMs: 5000 });
    expect(w.canHeal).toBe(false);
    expect(w.networkCalls).toBe(0);
  });
});
