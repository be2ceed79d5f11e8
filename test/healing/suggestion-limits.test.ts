import { describe, expect, it } from "vitest";
import { parsePage } from "../../shared/healing/dom.ts";
import { DEFAULT_MODEL, healCandidates, healDom } from "../../shared/healing/index.ts";
import { HEAL_LIMITS, HealInputTooLarge } from "../../shared/healing/limits.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

// A model that never heals: every answer is an abstention, so the suggestion path is exercised.
const NEVER = { ...DEFAULT_MODEL, threshold: 1.01 };

const target: ElementDescriptor = { tag: "button", text: "Save", attributes: { id: "save-1" } };
const candidates: ElementDescriptor[] = [
  { tag: "button", text: "Cancel" },
  { tag: "button", text: "Save", attributes: { id: "save-2" } },
];

describe("suggestion when abstaining", () => {
  it("candidates form names the best guess but keeps index null", async () => {
    const result = await healCandidates({ target, candidates }, { model: NEVER });
    expect(result.healed).toBe(false);
    expect(result.index).toBeNull();
    expect(result.selector).toBeNull();
    expect(result.suggestion).toEqual({
      index: 1,
      confidence: result.confidence,
      selector: expect.any(String),
    });
  });

  it("is null when healed and when there is no candidate", async () => {
    const healed = await healCandidates({ target, candidates });
    expect(healed.healed).toBe(true);
    expect(healed.suggestion).toBeNull();
    const none = await healCandidates({ target, candidates: [] });
    expect(none.suggestion).toBeNull();
  });

  it("DOM form suggests locators of the top element", async () => {
    const dom = "<form><button>Cancel</button><button id='save-2'>Save</button></form>";
    const result = await healDom({ selector: "#save-1", dom, target }, { model: NEVER });
    expect(result.healed).toBe(false);
    expect(result.selector).toBeNull();
    expect(result.suggestion?.selector).toBe("#save-2");
    expect(result.suggestion?.xpath).toBe("/html[1]/body[1]/form[1]/button[2]");
    expect(result.suggestion?.playwright).toContain("Save");
    expect(result.suggestion?.confidence).toBe(result.confidence);
    const empty = await healDom(
      { selector: "#x", dom: "<html><body></body></html>", target },
      { model: NEVER },
    );
    expect(empty.suggestion).toBeNull();
  });
});

function rejection(run: () => unknown): HealInputTooLarge {
  const started = performance.now();
  try {
    run();
  } catch (error) {
    // Bounded cost: refusing must itself be cheap, whatever the size of the input.
    expect(performance.now() - started).toBeLessThan(500);
    expect(error).toBeInstanceOf(HealInputTooLarge);
    return error as HealInputTooLarge;
  }
  throw new Error("expected HealInputTooLarge");
}

describe("input limits", () => {
  it("refuses 20,000 nested divs as too deep", () => {
    const html = `${"<div>".repeat(20_000)}x${"</div>".repeat(20_000)}`;
    const error = rejection(() => parsePage(html));
    expect(error.kind).toBe("too_deep");
    expect(error.limit).toBe(HEAL_LIMITS.maxDepth);
  });

  it("refuses a 250,000-div page before parsing it", () => {
    const error = rejection(() => parsePage("<div></div>".repeat(250_000)));
    expect(error.kind).toBe("too_many_elements");
    expect(error.actual).toBe(250_000);
  });

  it("refuses an element with thousands of attributes", () => {
    const attributes = Array.from({ length: 5000 }, (_, i) => `a${i}="${i}"`).join(" ");
    expect(rejection(() => parsePage(`<div ${attributes}></div>`)).kind).toBe("too_many_attributes");
  });

  it("refuses oversized candidates-form input through healCandidates", async () => {
    const many = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`a${i}`, "v"]));
    await expect(healCandidates({ target, candidates: [{ tag: "div", attributes: many }] })).rejects.toThrow(
      HealInputTooLarge,
    );
    const crowd = Array.from({ length: HEAL_LIMITS.maxCandidates + 1 }, () => ({ tag: "div" }));
    await expect(healCandidates({ target, candidates: crowd })).rejects.toMatchObject({
      kind: "too_many_candidates",
    });
  });

  it("accepts a page just within the limits", () => {
    const html = `${"<div>".repeat(HEAL_LIMITS.maxDepth - 2)}x${"</div>".repeat(HEAL_LIMITS.maxDepth - 2)}`;
    expect(parsePage(html).elements.length).toBe(HEAL_LIMITS.maxDepth - 2);
  });
});
