import { describe, expect, it } from "vitest";
import {
  CandidatesHealRequestSchema,
  DomHealRequestSchema,
  ElementDescriptorSchema,
  FeedbackRequestSchema,
  HEAL_LIMITS,
  HealRequestSchema,
} from "../../shared/healing/schema.ts";

describe("ElementDescriptorSchema", () => {
  it("accepts a full descriptor", () => {
    const ok = ElementDescriptorSchema.safeParse({
      tag: "a",
      attributes: { href: "/x", "data-testid": "nav" },
      text: "Home",
      xpath: "/html[1]/body[1]/a[1]",
      rect: { x: -10, y: 5, width: 100, height: 20 },
      neighborText: { above: "Menu" },
      role: "link",
      accessibleName: "Home",
    });
    expect(ok.success).toBe(true);
  });
  it.each([
    ["empty tag", { tag: "" }],
    ["long tag", { tag: "x".repeat(101) }],
    ["negative width", { tag: "a", rect: { x: 0, y: 0, width: -1, height: 2 } }],
    ["infinite x", { tag: "a", rect: { x: Number.POSITIVE_INFINITY, y: 0, width: 1, height: 2 } }],
    ["non-string attribute", { tag: "a", attributes: { id: 5 } }],
    ["unknown field", { tag: "a", colour: "red" }],
    ["huge text", { tag: "a", text: "x".repeat(HEAL_LIMITS.maxTextLength + 1) }],
    [
      "too many attributes",
      { tag: "a", attributes: Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`a${i}`, "v"])) },
    ],
  ])("rejects %s", (_, value) => {
    expect(ElementDescriptorSchema.safeParse(value).success).toBe(false);
  });
});

describe("request schemas", () => {
  it("accepts both heal forms through the union", () => {
    expect(HealRequestSchema.safeParse({ target: { tag: "a" }, candidates: [] }).success).toBe(true);
    expect(HealRequestSchema.safeParse({ selector: "#a", dom: "<p></p>" }).success).toBe(true);
    expect(HealRequestSchema.safeParse({ selector: "#a" }).success).toBe(false);
  });
  it("limits candidates and DOM size", () => {
    const candidates = Array.from({ length: HEAL_LIMITS.maxCandidates + 1 }, () => ({ tag: "a" }));
    expect(CandidatesHealRequestSchema.safeParse({ target: { tag: "a" }, candidates }).success).toBe(false);
    const dom = "x".repeat(HEAL_LIMITS.maxDomBytes + 1);
    expect(DomHealRequestSchema.safeParse({ selector: "#a", dom }).success).toBe(false);
  });
  it("validates feedback", () => {
    expect(FeedbackRequestSchema.safeParse({ accepted: false, correctIndex: 3 }).success).toBe(true);
    expect(FeedbackRequestSchema.safeParse({ accepted: "yes" }).success).toBe(false);
    expect(FeedbackRequestSchema.safeParse({ accepted: true, correctIndex: -1 }).success).toBe(false);
  });
});
