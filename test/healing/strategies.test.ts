import { describe, expect, it } from "vitest";
import { classStem, identifierStem, looksGenerated } from "../../shared/healing/identifiers.ts";
import { prepareElement } from "../../shared/healing/prepare.ts";
import { attributesStrategy } from "../../shared/healing/strategies/attributes.ts";
import { idNameStrategy } from "../../shared/healing/strategies/id-name.ts";
import { keywordsStrategy } from "../../shared/healing/strategies/keywords.ts";
import { neighborsStrategy } from "../../shared/healing/strategies/neighbors.ts";
import { positionStrategy } from "../../shared/healing/strategies/position.ts";
import { regionStrategy } from "../../shared/healing/strategies/region.ts";
import { roleStrategy } from "../../shared/healing/strategies/role.ts";
import type { Strategy } from "../../shared/healing/strategies/strategy.ts";
import { structureStrategy } from "../../shared/healing/strategies/structure.ts";
import { tagStrategy } from "../../shared/healing/strategies/tag.ts";
import { testIdStrategy } from "../../shared/healing/strategies/test-id.ts";
import { textStrategy } from "../../shared/healing/strategies/text.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

const score = (strategy: Strategy, target: ElementDescriptor, candidate: ElementDescriptor) =>
  strategy.score(prepareElement(target), prepareElement(candidate))?.score ?? null;

describe("identifiers", () => {
  it("strips generated suffixes and CSS-module hashes but keeps BEM", () => {
    expect(identifierStem("btn-3f9a2")).toBe("btn");
    expect(classStem("Button_primary__x7Gh2")).toBe("button_primary");
    expect(classStem("card__title")).toBe("card__title");
    expect(classStem("css-1x2y3z")).toBeNull();
    expect(looksGenerated("btn-3f9a2")).toBe(true);
    expect(looksGenerated(":r1a:")).toBe(true);
    expect(looksGenerated("email")).toBe(false);
  });
});

describe("testId strategy", () => {
  it("is absent without a test id and decisive with one", () => {
    expect(score(testIdStrategy, { tag: "button" }, { tag: "button" })).toBeNull();
    const target = { tag: "button", attributes: { "data-testid": "save" } };
    expect(score(testIdStrategy, target, { tag: "a", attributes: { "data-testid": "save" } })).toBe(1);
    expect(score(testIdStrategy, target, { tag: "a", attributes: { "data-qa": "save" } })).toBe(0.9);
    expect(score(testIdStrategy, target, { tag: "a" })).toBe(0);
  });
  it("does not forgive a different entity id in the test id", () => {
    const a = { tag: "button", attributes: { "data-testid": "delete-row-1017" } };
    expect(
      score(testIdStrategy, a, { tag: "button", attributes: { "data-testid": "delete-row-1018" } })!,
    ).toBeLessThan(0.5);
  });
});

describe("idName strategy", () => {
  /** An input element with `attributes`. */
  const input = (attributes: Record<string, string>) => ({ tag: "input", attributes });

  it("matches regenerated suffixes by stem", () => {
    expect(score(idNameStrategy, input({ id: "email-3f9a2" }), input({ id: "email-8c1d0" }))).toBe(0.85);
    expect(score(idNameStrategy, input({ name: "email" }), input({ name: "email" }))).toBe(1);
    expect(score(idNameStrategy, input({ id: "email" }), input({ id: "zip" }))!).toBeLessThan(0.5);
    expect(score(idNameStrategy, { tag: "input" }, input({ id: "x" }))).toBeNull();
  });

  it("compares what ids name, not the markup words they share", () => {
    const searchButton = { tag: "div", attributes: { id: "search-button" } };
    const idScore = (id: string) =>
      score(idNameStrategy, searchButton, { tag: "button", attributes: { id } })!;
    // "button" is all that `menuButton` shares with `search-button`: no evidence.
    expect(idScore("menuButton")).toBeLessThan(0.15);
    expect(idScore("searchBtn")).toBeGreaterThan(0.6);
    expect(idScore("searchBtn")).toBeGreaterThan(idScore("menuButton") + 0.5);
  });

  it("finds no evidence in two different ids that name nothing", () => {
    // Punctuation-only ids have no words: their empty purposes must not count as equal.
    const target = { tag: "div", attributes: { id: "_" } };
    expect(score(idNameStrategy, target, { tag: "div", attributes: { id: "--" } })).toBe(0);
    expect(score(idNameStrategy, target, { tag: "div", attributes: { id: "_" } })).toBe(1);
  });
});

describe("role strategy", () => {
  it("uses implicit roles and accessible names", () => {
    const save = { tag: "button", text: "Save" };
    expect(score(roleStrategy, save, { tag: "input", attributes: { type: "submit", value: "Save" } })).toBe(
      1,
    );
    expect(score(roleStrategy, save, { tag: "a", attributes: { href: "/x" }, text: "Save" })!).toBeCloseTo(
      0.84,
    );
    expect(score(roleStrategy, save, { tag: "div", text: "Cancel" })!).toBeLessThan(0.3);
    expect(score(roleStrategy, { tag: "div" }, { tag: "div" })).toBeNull();
  });
});

describe("text strategy", () => {
  it("scores rewording above unrelated text and penalises different numbers", () => {
    const target = { tag: "button", text: "Save" };
    expect(score(textStrategy, target, { tag: "button", text: "  save " })).toBe(1);
    const reworded = score(textStrategy, target, { tag: "button", text: "Save changes" })!;
    expect(reworded).toBeGreaterThan(score(textStrategy, target, { tag: "button", text: "Cancel" })!);
    expect(
      score(textStrategy, { tag: "a", text: "Report 862" }, { tag: "a", text: "Report 868" })!,
    ).toBeLessThan(0.5);
    expect(score(textStrategy, { tag: "a" }, { tag: "a", text: "x" })).toBeNull();
  });
});

describe("tag, attributes, structure, position, neighbours", () => {
  it("gives partial credit for button ↔ link swaps", () => {
    expect(score(tagStrategy, { tag: "button" }, { tag: "a", attributes: { href: "#" } })).toBe(0.5);
    expect(score(tagStrategy, { tag: "button" }, { tag: "td" })).toBe(0);
  });
  it("compares class stems through CSS-module rebuilds", () => {
    const s = score(
      attributesStrategy,
      { tag: "a", attributes: { class: "Nav_link__x7Gh2" } },
      { tag: "a", attributes: { class: "Nav_link__Q9zz1" } },
    );
    expect(s).toBe(1);
    expect(score(attributesStrategy, { tag: "a" }, { tag: "a" })).toBeNull();
  });
  it("tolerates an inserted wrapper in the path", () => {
    const target = { tag: "button", xpath: "/html[1]/body[1]/form[1]/button[1]" };
    const wrapped = score(structureStrategy, target, {
      tag: "button",
      xpath: "/html[1]/body[1]/form[1]/div[1]/button[1]",
    })!;
    const elsewhere = score(structureStrategy, target, {
      tag: "button",
      xpath: "/html[1]/body[1]/footer[1]/nav[2]/ul[1]/li[3]/button[1]",
    })!;
    expect(wrapped).toBeGreaterThan(elsewhere);
  });
  it("prefers near, same-sized rects and is absent without rects", () => {
    const target = { tag: "a", rect: { x: 10, y: 10, width: 100, height: 30 } };
    const near = score(positionStrategy, target, {
      tag: "a",
      rect: { x: 12, y: 14, width: 100, height: 30 },
    })!;
    const far = score(positionStrategy, target, {
      tag: "a",
      rect: { x: 900, y: 700, width: 20, height: 200 },
    })!;
    expect(near).toBeGreaterThan(0.9);
    expect(far).toBeLessThan(0.3);
    expect(score(positionStrategy, { tag: "a" }, target)).toBeNull();
  });
  it("uses neighbour text to separate repeated controls", () => {
    const target = { tag: "button", text: "Delete", neighborText: { above: "Invoice 17" } };
    const same = score(neighborsStrategy, target, { tag: "button", neighborText: { above: "Invoice 17" } })!;
    const other = score(neighborsStrategy, target, { tag: "button", neighborText: { above: "Invoice 18" } })!;
    expect(same).toBe(1);
    expect(other).toBeLessThan(same);
  });
});

describe("explanations", () => {
  const why = (strategy: Strategy, target: ElementDescriptor, candidate: ElementDescriptor) =>
    strategy.score(prepareElement(target), prepareElement(candidate))?.why ?? null;

  it("are built on demand and say what each strategy compared", () => {
    const save = { tag: "button", text: "Save draft", attributes: { "data-testid": "save", id: "save-btn" } };
    expect(why(testIdStrategy, save, { tag: "a", attributes: { "data-qa": "save" } })).toBe(
      'data-qa="save" matches',
    );
    expect(why(testIdStrategy, save, { tag: "a" })).toBe('no test id (wanted data-testid="save")');
    expect(
      why(
        testIdStrategy,
        { tag: "b", attributes: { "data-testid": "row-a1b2c3" } },
        {
          tag: "b",
          attributes: { "data-testid": "row-9f8e7d" },
        },
      ),
    ).toBe('test id stem "row" matches');
    expect(why(testIdStrategy, save, { tag: "a", attributes: { "data-testid": "cancel" } })).toBe(
      'test id "cancel" differs from "save"',
    );
    expect(why(idNameStrategy, save, { tag: "button", attributes: { id: "save-btn" } })).toBe(
      'id "save-btn" ~ "save-btn"',
    );
    expect(why(idNameStrategy, { tag: "input", attributes: { name: "email" } }, { tag: "input" })).toBe(
      "id/name differ",
    );
    expect(why(textStrategy, save, { tag: "button", text: "Save" })).toBe('text "save" vs "save draft"');
    expect(why(textStrategy, save, { tag: "button" })).toBe("candidate has no text");
    expect(why(tagStrategy, save, { tag: "button" })).toBe("same tag button");
    expect(why(tagStrategy, save, { tag: "a", attributes: { href: "/x" } })).toBe(
      "a can stand in for button",
    );
    expect(why(tagStrategy, save, { tag: "div" })).toBe("tag div ≠ button");
    expect(why(roleStrategy, save, { tag: "button", text: "Save" })).toBe(
      'button "save" vs button "save draft"',
    );
    expect(why(attributesStrategy, { tag: "a", attributes: { href: "/a", title: "x" } }, { tag: "a" })).toBe(
      "2 attribute(s) compared",
    );
    const rect = { x: 0, y: 0, width: 10, height: 10 };
    expect(why(positionStrategy, { tag: "b", rect }, { tag: "b", rect: { ...rect, x: 30, y: 40 } })).toBe(
      "50px away, area ratio 1.00",
    );
    expect(
      why(
        structureStrategy,
        { tag: "b", xpath: "/html[1]/body[1]/b[1]" },
        { tag: "b", xpath: "/html[1]/body[1]/b[1]" },
      ),
    ).toBe("path similarity 1.00");
    expect(
      why(neighborsStrategy, { tag: "b", neighborText: { above: "Name", left: "x" } }, { tag: "b" }),
    ).toBe("neighbour text on 2 side(s)");
  });

  it("serialise with their score", () => {
    const verdict = textStrategy.score(
      prepareElement({ tag: "p", text: "Hello" }),
      prepareElement({ tag: "p", text: "Hello" }),
    );
    expect(JSON.parse(JSON.stringify(verdict))).toEqual({ score: 1, why: 'text "hello" vs "hello"' });
  });
});

describe("region strategy", () => {
  const headerLink = { tag: "a", xpath: "/html[1]/body[1]/header[1]/div[1]/ul[1]/li[1]/a[1]" };
  it("prefers a candidate in the same landmark region over one in the footer", () => {
    const inHeader = { tag: "a", xpath: "/html[1]/body[1]/div[1]/header[1]/nav[1]/a[2]" };
    const inFooter = { tag: "a", xpath: "/html[1]/body[1]/div[1]/footer[1]/ul[1]/li[1]/a[1]" };
    expect(score(regionStrategy, headerLink, inHeader)).toBe(0.5);
    expect(score(regionStrategy, headerLink, inFooter)).toBe(0);
  });
  it("reads region words in the id an xpath is anchored to", () => {
    const target = { tag: "a", xpath: "/html[1]/body[1]/div[1]/a[1]", idXpath: 'id("pageFooter")/a[1]' };
    const candidate = { tag: "a", xpath: "/html[1]/body[1]/footer[1]/a[1]" };
    expect(score(regionStrategy, target, candidate)).toBe(1);
  });
  it("is absent when the target's path names no region, and ignores the element's own tag", () => {
    expect(score(regionStrategy, { tag: "a", xpath: "/html[1]/body[1]/div[1]/a[1]" }, headerLink)).toBeNull();
    expect(score(regionStrategy, { tag: "nav", xpath: "/html[1]/body[1]/nav[1]" }, headerLink)).toBeNull();
  });
});

describe("keywords strategy", () => {
  it("finds a purpose word that moved from the id to the text", () => {
    const target = { tag: "div", attributes: { id: "search-button", class: "search__button" } };
    const search = { tag: "button", text: "Search CNN", attributes: { type: "submit" } };
    const menu = { tag: "button", text: "Open Menu", attributes: { id: "menuButton", type: "submit" } };
    expect(score(keywordsStrategy, target, search)).toBe(1);
    // "button" names markup, not purpose: the menu button shares no word with the search box.
    expect(score(keywordsStrategy, target, menu)).toBe(0);
  });
  it("splits camelCase and reads singular and plural alike", () => {
    const target = { tag: "li", attributes: { id: "uh-notifications" } };
    const candidate = { tag: "input", attributes: { id: "ybarNotificationMenu" } };
    // "uh" is too short to be a word; "notifications" and "Notification" are the same one.
    expect(score(keywordsStrategy, target, candidate)).toBe(1);
  });
  it("ignores generated class hashes, and a link's extra classes do not count against it", () => {
    const target = { tag: "a", text: "Buy" };
    const link = { tag: "a", text: "Buy", attributes: { class: "Anchor-hn4bge-0 pfs__sc-1dpbk03-0 icabtx" } };
    const innerSpan = { tag: "span", text: "Buy" };
    expect(score(keywordsStrategy, target, link)).toBe(1);
    expect(score(keywordsStrategy, target, innerSpan)).toBe(1);
    expect(score(keywordsStrategy, target, { tag: "a", text: "Rent" })).toBe(0);
  });
  it("reads the href path, and is absent when the target names nothing", () => {
    const target = { tag: "a", text: "videos", attributes: { href: "https://www.reddit.com/r/videos/" } };
    expect(score(keywordsStrategy, target, { tag: "a", attributes: { href: "/r/videos" } })).toBe(1);
    expect(score(keywordsStrategy, { tag: "div", attributes: { class: "css-1x2y3z" } }, target)).toBeNull();
  });
});
