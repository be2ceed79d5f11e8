import { describe, expect, it } from "vitest";
import { normaliseDescriptor } from "../../shared/healing/descriptor-input.ts";
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
  it("reads null as absent, as clients in other languages send what they do not know", () => {
    const parsed = ElementDescriptorSchema.parse({
      tag: "a",
      attributes: null,
      text: null,
      xpath: "/html[1]/body[1]/a[1]",
      idXpath: null,
      rect: null,
      neighborText: { above: "Menu", below: null },
      role: null,
      accessibleName: null,
    });
    expect(parsed).toEqual({ tag: "a", xpath: "/html[1]/body[1]/a[1]", neighborText: { above: "Menu" } });
  });
  it("keeps typed attribute values as strings and drops false or null ones", () => {
    const parsed = ElementDescriptorSchema.parse({
      tag: "input",
      attributes: {
        tabindex: 0,
        maxlength: 12,
        required: true,
        disabled: false,
        placeholder: null,
        name: "q",
      },
    });
    expect(parsed.attributes).toEqual({ tabindex: "0", maxlength: "12", required: "true", name: "q" });
  });
  it("takes a serialised DOMRect, with or without x and y, and keeps the four fields the engine reads", () => {
    const domRect = { x: 10, y: 20, width: 30, height: 40, top: 20, right: 40, bottom: 60, left: 10 };
    expect(ElementDescriptorSchema.parse({ tag: "a", rect: domRect }).rect).toEqual({
      x: 10,
      y: 20,
      width: 30,
      height: 40,
    });
    const clientRect = { top: 5, right: 15, bottom: 25, left: 7, width: 8, height: 20 };
    expect(ElementDescriptorSchema.parse({ tag: "a", rect: clientRect }).rect).toEqual({
      x: 7,
      y: 5,
      width: 8,
      height: 20,
    });
  });
  it("writes xpaths as the engine compares them: lower-case tags, every step indexed, single quotes", () => {
    const parsed = ElementDescriptorSchema.parse({
      tag: "a",
      xpath: "/HTML/body/div[2]/ul/li[3]/A",
      idXpath: '//*[@id="nav"]/ul/li[3]/a',
    });
    expect(parsed.xpath).toBe("/html[1]/body[1]/div[2]/ul[1]/li[3]/a[1]");
    expect(parsed.idXpath).toBe("//*[@id='nav']/ul[1]/li[3]/a[1]");
    // Not a plain path: kept as sent.
    const relative = "//div[@class='menu']/a";
    expect(ElementDescriptorSchema.parse({ tag: "a", xpath: relative }).xpath).toBe(relative);
  });
  it("hands a descriptor already in the engine's shape back untouched (no copy per candidate)", () => {
    const canonical = {
      tag: "a",
      attributes: { id: "x", class: "nav" },
      text: "Home",
      xpath: "/html[1]/body[1]/nav[1]/a[2]",
      idXpath: "//*[@id='nav']/a[2]",
      rect: { x: 1, y: 2, width: 3, height: 4 },
      neighborText: { above: "Menu" },
    };
    expect(normaliseDescriptor(canonical)).toBe(canonical);
    expect(normaliseDescriptor({ ...canonical, role: null })).not.toBe(canonical);
  });
  it("keeps a __proto__ key an own field, never a prototype", () => {
    const sent = JSON.parse(
      '{"tag":"a","__proto__":{"text":"inherited"},"attributes":{"__proto__":{"id":"x"}}}',
    );
    expect(ElementDescriptorSchema.safeParse(sent).success).toBe(false);
    const attributes = JSON.parse('{"tag":"a","attributes":{"__proto__":"x","id":"y"}}');
    expect(ElementDescriptorSchema.parse(attributes).attributes?.id).toBe("y");
  });
  it("cuts long text and attribute values to the limit instead of refusing the element", () => {
    const long = "x".repeat(HEAL_LIMITS.maxTextLength + 5);
    const parsed = ElementDescriptorSchema.parse({
      tag: "path",
      text: long,
      attributes: { d: long },
      neighborText: { above: long },
    });
    expect(parsed.text).toHaveLength(HEAL_LIMITS.maxTextLength);
    expect(parsed.attributes?.d).toHaveLength(HEAL_LIMITS.maxAttributeValueLength);
    expect(parsed.neighborText?.above).toHaveLength(HEAL_LIMITS.maxTextLength);
  });
  it.each([
    ["empty tag", { tag: "" }],
    ["long tag", { tag: "x".repeat(101) }],
    ["negative width", { tag: "a", rect: { x: 0, y: 0, width: -1, height: 2 } }],
    ["infinite x", { tag: "a", rect: { x: Number.POSITIVE_INFINITY, y: 0, width: 1, height: 2 } }],
    ["object attribute", { tag: "a", attributes: { id: { v: 5 } } }],
    ["rectangle without a left edge", { tag: "a", rect: { y: 0, width: 1, height: 2 } }],
    ["null tag", { tag: null }],
    ["unknown field", { tag: "a", colour: "red" }],
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
