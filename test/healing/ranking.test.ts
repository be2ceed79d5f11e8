import { describe, expect, it } from "vitest";
import { DEFAULT_MODEL } from "../../shared/healing/default-model.ts";
import { modelFor } from "../../shared/healing/model.ts";
import { prepareElement } from "../../shared/healing/prepare.ts";
import { rankCandidates, SHORTLIST_SIZE } from "../../shared/healing/ranking.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

describe("rankCandidates on a page of look-alikes", () => {
  // A long list of identical type links (an API reference's `<string>`): cheap evidence ties them
  // all, and only the path tells them apart.
  const link = (i: number): ElementDescriptor => ({
    tag: "a",
    attributes: { href: "https://example.com/types#string", class: "type" },
    text: "<string>",
    xpath: `/html[1]/body[1]/main[1]/section[${Math.floor(i / 10) + 1}]/ul[${(i % 10) + 1}]/li[1]/a[1]`,
  });
  const candidates = Array.from({ length: 3 * SHORTLIST_SIZE }, (_, i) => prepareElement(link(i)));

  it.each([5, 150, 299])("ranks the look-alike at the target's own path first (index %i)", (index) => {
    const target = prepareElement(link(index));
    const ranked = rankCandidates(modelFor(DEFAULT_MODEL, target, candidates), target, candidates);
    expect(ranked).toHaveLength(SHORTLIST_SIZE);
    expect(ranked[0]!.index).toBe(index);
  });
});
