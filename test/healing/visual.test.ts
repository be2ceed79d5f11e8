import { describe, expect, it } from "vitest";
import { prepareElement } from "../../shared/healing/prepare.ts";
import { classesStrategy } from "../../shared/healing/strategies/classes.ts";
import { overlapStrategy } from "../../shared/healing/strategies/overlap.ts";
import type { Strategy } from "../../shared/healing/strategies/strategy.ts";
import { xpathStrategy } from "../../shared/healing/strategies/xpath.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";
import { rectIou, sameVisual } from "../../shared/healing/visual.ts";

const score = (strategy: Strategy, a: ElementDescriptor, b: ElementDescriptor) =>
  strategy.score(prepareElement(a), prepareElement(b))?.score ?? null;

describe("visual groups", () => {
  const rect = { x: 10, y: 10, width: 100, height: 40 };
  it("joins coinciding or nested rectangles, not a container with a small child", () => {
    const link = prepareElement({ tag: "a", text: "Sign in", rect });
    const span = prepareElement({
      tag: "span",
      text: "Sign in",
      rect: { x: 14, y: 14, width: 90, height: 30 },
    });
    const page = prepareElement({ tag: "div", rect: { x: 0, y: 0, width: 1200, height: 900 } });
    expect(sameVisual(link, span)).toBe(true);
    expect(sameVisual(link, page)).toBe(false);
    expect(rectIou(rect, rect)).toBe(1);
    expect(rectIou(rect, { x: 500, y: 500, width: 10, height: 10 })).toBe(0);
  });

  it("without layout, joins an ancestor and descendant with the same text only", () => {
    const a = prepareElement({ tag: "a", text: "Mail", xpath: "/html[1]/body[1]/ul[1]/li[1]/a[1]" });
    const span = prepareElement({
      tag: "span",
      text: "Mail",
      xpath: "/html[1]/body[1]/ul[1]/li[1]/a[1]/span[1]",
    });
    const other = prepareElement({
      tag: "span",
      text: "Mail",
      xpath: "/html[1]/body[1]/ul[1]/li[2]/a[1]/span[1]",
    });
    const label = prepareElement({
      tag: "span",
      text: "Inbox",
      xpath: "/html[1]/body[1]/ul[1]/li[1]/a[1]/span[1]",
    });
    expect(sameVisual(a, span)).toBe(true);
    expect(sameVisual(a, other)).toBe(false);
    expect(sameVisual(a, label)).toBe(false);
  });
});

describe("overlap, xpath and class strategies", () => {
  it("overlap is the IoU of the old and new rectangles, null without layout", () => {
    const rect = { x: 0, y: 0, width: 10, height: 10 };
    expect(score(overlapStrategy, { tag: "a", rect }, { tag: "a", rect: { ...rect, x: 5 } })).toBeCloseTo(
      50 / 150,
    );
    expect(score(overlapStrategy, { tag: "a" }, { tag: "a", rect })).toBeNull();
  });

  it("xpath compares the distinctive end of the paths", () => {
    const prefix = "/html[1]/body[1]/div[1]/div[1]/div[1]/div[1]/div[1]/div[1]/div[1]/div[1]/div[1]";
    const target = { tag: "a", xpath: `${prefix}/ul[2]/li[6]/a[1]` };
    const near = score(xpathStrategy, target, { tag: "a", xpath: `${prefix}/ul[2]/li[7]/a[1]` })!;
    const far = score(xpathStrategy, target, { tag: "a", xpath: `${prefix}/footer[1]/p[3]/span[2]/a[1]` })!;
    expect(near).toBeGreaterThan(far);
    expect(score(xpathStrategy, { tag: "a" }, target)).toBeNull();
  });

  it("classes compares class stems, hashes dropped", () => {
    const same = score(
      classesStrategy,
      { tag: "a", attributes: { class: "nav-link Button_x__a1b2c" } },
      {
        tag: "a",
        attributes: { class: "nav-link Button_x__z9y8w" },
      },
    );
    expect(same).toBe(1);
    expect(score(classesStrategy, { tag: "a" }, { tag: "a", attributes: { class: "x" } })).toBeNull();
  });
});
