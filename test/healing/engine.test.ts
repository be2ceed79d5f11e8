import { describe, expect, it } from "vitest";
import { COLD_START_DISCOUNT, DEFAULT_MODEL, healCandidates } from "../../shared/healing/index.ts";
import { calibratedConfidence } from "../../shared/healing/model.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

const save: ElementDescriptor = {
  tag: "button",
  attributes: { id: "save-3f9a2", class: "Button_primary__x7Gh2", type: "submit" },
  text: "Save",
  xpath: "/html[1]/body[1]/form[1]/button[1]",
  neighborText: { above: "Email" },
};

describe("healCandidates", () => {
  it("finds the renamed element and suggests a durable selector", async () => {
    const candidates: ElementDescriptor[] = [
      {
        tag: "button",
        attributes: { type: "button" },
        text: "Cancel",
        xpath: "/html[1]/body[1]/form[1]/div[1]/button[2]",
      },
      {
        tag: "button",
        attributes: { id: "save-77c01", class: "Button_primary__Q1w2e", type: "submit" },
        text: "Save",
        xpath: "/html[1]/body[1]/form[1]/div[1]/button[1]",
        neighborText: { above: "Email" },
      },
      { tag: "input", attributes: { name: "email" }, xpath: "/html[1]/body[1]/form[1]/input[1]" },
    ];
    const result = await healCandidates({ target: save, candidates });
    expect(result.healed).toBe(true);
    expect(result.index).toBe(1);
    expect(result.confidence).toBeGreaterThan(DEFAULT_MODEL.threshold);
    expect(result.selector).toBe('role=button[name="Save"]');
    expect(result.alternatives.length).toBeLessThanOrEqual(5);
    expect(result.alternatives.map((a) => a.index)).not.toContain(1);
    const confidences = result.alternatives.map((a) => a.confidence);
    expect([...confidences].sort((a, b) => b - a)).toEqual(confidences);
  });

  it("answers healed:false for no candidates or nothing to compare", async () => {
    expect(await healCandidates({ candidates: [] })).toMatchObject({
      healed: false,
      index: null,
      confidence: 0,
    });
    expect(await healCandidates({ candidates: [{ tag: "div" }] })).toMatchObject({
      healed: false,
      index: null,
    });
  });

  it("never chooses a hidden element, whatever it looks like", async () => {
    const hiddenVariants: ElementDescriptor[] = [
      { ...save, attributes: { ...save.attributes, hidden: "" } },
      { ...save, attributes: { ...save.attributes, "aria-hidden": "true" } },
      { ...save, attributes: { ...save.attributes, style: "color:red; display: none" } },
      { ...save, attributes: { ...save.attributes, style: "visibility:hidden" } },
      { tag: "input", attributes: { type: "hidden", id: "save-3f9a2" } },
    ];
    for (const hidden of hiddenVariants) {
      const result = await healCandidates({
        target: save,
        candidates: [hidden, { tag: "p", text: "Hello" }],
      });
      expect(result.index).not.toBe(0);
      expect(result.alternatives.map((a) => a.index)).not.toContain(0);
    }
  });

  it("drops confidence when the top two are nearly tied", async () => {
    const twin = { ...save, attributes: { ...save.attributes } };
    const alone = await healCandidates({ target: save, candidates: [twin, { tag: "p", text: "Hello" }] });
    const tied = await healCandidates({ target: save, candidates: [twin, { ...twin }] });
    expect(tied.confidence).toBeLessThan(alone.confidence);
    expect(tied.healed).toBe(false);
  });

  it("abstains when the element is gone", async () => {
    const result = await healCandidates({
      target: save,
      candidates: [
        { tag: "a", attributes: { href: "/home" }, text: "Home", xpath: "/html[1]/body[1]/nav[1]/a[1]" },
        { tag: "h1", text: "Welcome", xpath: "/html[1]/body[1]/h1[1]" },
      ],
    });
    expect(result.healed).toBe(false);
    expect(result.index).toBeNull();
  });

  it("survives odd but valid input", async () => {
    const odd: ElementDescriptor[] = [
      { tag: "BUTTON", attributes: { ID: "Save-3f9a2" } },
      { tag: "x", rect: { x: 0, y: 0, width: 0, height: 0 }, neighborText: {} },
      { tag: "a", text: "".padEnd(10_000, "a"), xpath: "not-an-xpath" },
    ];
    const result = await healCandidates({ selector: "", target: { tag: "button" }, candidates: odd });
    expect(typeof result.confidence).toBe("number");
  });

  it("heals with honestly lower confidence from the selector alone", async () => {
    const candidates: ElementDescriptor[] = [
      {
        tag: "button",
        attributes: { "data-testid": "save" },
        text: "Save",
        xpath: "/html[1]/body[1]/form[1]/button[1]",
      },
      { tag: "button", text: "Cancel", xpath: "/html[1]/body[1]/form[1]/button[2]" },
    ];
    const cold = await healCandidates({ selector: "getByTestId('save')", candidates });
    const warm = await healCandidates({
      target: {
        tag: "button",
        attributes: { "data-testid": "save" },
        text: "Save",
        xpath: "/html[1]/body[1]/form[1]/button[1]",
      },
      candidates,
    });
    expect(warm.index).toBe(0);
    expect(cold.confidence).toBeLessThan(warm.confidence);
    // A unique exact test-id match heals from the selector alone (the cold-start regime).
    expect(cold).toMatchObject({ healed: true, index: 0 });
  });

  it.each([
    ["[data-testid=save]", 1],
    ["#submit-3f9a2", 1],
    ["getByRole('button', { name: 'Save' })", 1],
    ["text=Sign in", 2],
  ])("cold start from %s heals a unique exact match", async (selector, index) => {
    const candidates: ElementDescriptor[] = [
      { tag: "button", attributes: { type: "button" }, text: "Cancel" },
      { tag: "button", attributes: { "data-testid": "save", id: "submit-3f9a2" }, text: "Save" },
      { tag: "a", attributes: { href: "/login" }, text: "Sign in" },
      { tag: "h1", text: "Settings" },
    ];
    const result = await healCandidates({ selector, candidates });
    expect(result).toMatchObject({ healed: true, index });
    expect(result.confidence).toBeLessThan(1);
  });

  it("does not heal a cold start that two elements match equally", async () => {
    const result = await healCandidates({
      selector: "text=Delete",
      candidates: [
        { tag: "button", text: "Delete" },
        { tag: "button", text: "Delete" },
        { tag: "h1", text: "Invoices" },
      ],
    });
    expect(result.healed).toBe(false);
  });

  it("falls back to a fixed discount for models without a cold-start variant", async () => {
    const { coldStart: _, ...legacy } = DEFAULT_MODEL;
    const candidates: ElementDescriptor[] = [{ tag: "button", attributes: { "data-testid": "save" } }];
    const result = await healCandidates({ selector: "getByTestId('save')", candidates }, { model: legacy });
    expect(result.confidence).toBeLessThanOrEqual(COLD_START_DISCOUNT);
  });

  it("accepts a per-tenant model override", async () => {
    const strict = { ...DEFAULT_MODEL, threshold: 1, version: "tenant" };
    const result = await healCandidates(
      { target: save, candidates: [{ ...save }, { tag: "p" }] },
      { model: strict },
    );
    expect(result.healed).toBe(false);
  });
});

describe("calibration", () => {
  it("is monotone in the top logit and in the margin", () => {
    let previous = 0;
    for (let logit = -8; logit <= 8; logit += 0.5) {
      const confidence = calibratedConfidence(DEFAULT_MODEL, logit, logit - 2);
      expect(confidence).toBeGreaterThanOrEqual(previous);
      previous = confidence;
    }
    previous = 0;
    for (let margin = 0; margin <= 6; margin += 0.5) {
      const confidence = calibratedConfidence(DEFAULT_MODEL, 2, 2 - margin);
      expect(confidence).toBeGreaterThanOrEqual(previous);
      previous = confidence;
    }
    expect(calibratedConfidence(DEFAULT_MODEL, 3, 3)).toBeLessThan(
      calibratedConfidence(DEFAULT_MODEL, 3, -3),
    );
  });
});
