import { selectAll } from "css-select";
import { parseDocument } from "htmlparser2";
import { describe, expect, it } from "vitest";
import { bigPage } from "../../bench/heal/big-page.ts";
import { mutate } from "../../bench/heal/mutations.ts";
import { clone, type PageNode, toHtml, walk } from "../../bench/heal/tree.ts";
import { parsePage } from "../../shared/healing/dom.ts";
import { DEFAULT_MODEL, healCandidates, healDom } from "../../shared/healing/index.ts";
import { modelFor } from "../../shared/healing/model.ts";
import { prepareElement } from "../../shared/healing/prepare.ts";
import { rankCandidates } from "../../shared/healing/ranking.ts";
import { SHORTLIST_LIMIT, shortlistCandidates, shortlistPage } from "../../shared/healing/shortlist.ts";
import type { ElementDescriptor } from "../../shared/healing/types.ts";

describe("shortlist on a big page", () => {
  const { root, builder, random } = bigPage(1500, 11);
  const targets: PageNode[] = [];
  walk(root, (node) => {
    if (/^(button|a|input|select|td|li)$/.test(node.tag) && node.attrs.style === undefined)
      targets.push(node);
  });
  const kinds = [
    "class-rename",
    "wrapper",
    "reword",
    "id-regenerated",
    "attribute-removed",
    "mixed",
  ] as const;

  it("keeps the exhaustive winner for changed targets", () => {
    let agree = 0;
    let total = 0;
    for (let k = 0; k < 30; k++) {
      const oldNode = targets[Math.floor(random.next() * targets.length)]!;
      oldNode.attrs["data-mark"] = "1";
      const oldHtml = toHtml(root);
      const newRoot = clone(root);
      delete oldNode.attrs["data-mark"];
      let newNode: PageNode | null = null;
      walk(newRoot, (node) => {
        if (node.attrs["data-mark"]) newNode = node;
      });
      delete newNode!.attrs["data-mark"];
      mutate(newRoot, newNode!, kinds[k % kinds.length]!, builder);
      const oldEntry = parsePage(oldHtml).elements.find((e) => e.element.attribs["data-mark"])!;
      const { "data-mark": _, ...attributes } = oldEntry.descriptor.attributes!;
      const target = prepareElement({ ...oldEntry.descriptor, attributes });
      const page = parsePage(toHtml(newRoot));
      const all = page.elements.map((e, i) => {
        const prepared = prepareElement(e.descriptor);
        if (page.hiddenFlags[i]) prepared.hidden = true;
        return prepared;
      });
      const model = modelFor(DEFAULT_MODEL, target, all);
      const exhaustive = rankCandidates(model, target, all)[0]!.index;
      const shortlist = shortlistPage(page, target);
      expect(shortlist.length).toBeLessThanOrEqual(SHORTLIST_LIMIT);
      expect([...shortlist].sort((a, b) => a - b)).toEqual(shortlist);
      total++;
      if (shortlist.includes(exhaustive)) agree++;
    }
    expect(agree / total).toBeGreaterThanOrEqual(0.95);
  });
});

describe("DOM form on a big page", () => {
  const { root } = bigPage(1500, 5);
  const html = toHtml(root);

  it("heals to the same element as the exhaustive ranking and verifies selectors with css-select", async () => {
    const page = parsePage(html);
    const index = page.elements.findIndex((e, i) => !page.hiddenFlags[i] && e.descriptor.tag === "button");
    const target: ElementDescriptor = { ...page.elements[index]!.descriptor };
    const result = await healDom({ selector: "#gone", dom: html, target });
    expect(result.healed).toBe(true);
    expect(result.xpath).toBe(target.xpath);
    const document = parseDocument(html); // an independent parse verifies uniqueness
    for (const selector of [result.selector!, ...result.alternatives.map((a) => a.selector)]) {
      expect(selectAll(selector, document)).toHaveLength(1);
    }
  });

  it("does not call a selector unique when head or a template holds the same hook", async () => {
    const dom = `<html><head><meta name="q" data-testid="go"></head><body>
      <template><button data-testid="go">Go</button></template>
      <form><button data-testid="go" name="q">Go</button><button>Stop</button></form></body></html>`;
    const result = await healDom({
      selector: "#x",
      dom,
      target: { tag: "button", attributes: { "data-testid": "go", name: "q" }, text: "Go" },
    });
    expect(result.healed).toBe(true);
    const document = parseDocument(dom);
    expect(result.selector).not.toBe('[data-testid="go"]');
    expect(selectAll(result.selector!, document)).toHaveLength(1);
    expect(result.selector).toBe('button[name="q"]');
  });
});

describe("shortlist text evidence", () => {
  it("looks for one- and two-letter words as words, not inside every text of the page", () => {
    // A navigation cell "A | N | S" over hundreds of index links: as substrings, its letters are in
    // every link's text and title, every link scored the cell's full text and name share, and the cell
    // missed the cut.
    const links = Array.from(
      { length: 300 },
      (_, k) => `<dt><a href="#s${k}" title="asn1_node_${k}_st">asn1_node_${k}_st</a></dt>`,
    );
    const html = `<html><body><table><tr><td class="shortcuts"><a href="#a">A</a> | <a href="#n">N</a> | <a href="#s">S</a></td>
      <td><a href="index.html">Home</a></td></tr></table><dl>${links.join("")}</dl></body></html>`;
    const page = parsePage(html);
    const cell = page.elements.findIndex(
      (e) => e.descriptor.tag === "td" && e.descriptor.text === "A | N | S",
    );
    const shortlist = shortlistPage(page, prepareElement(page.elements[cell]!.descriptor));
    expect(shortlist).toContain(cell);
  });
});

describe("no-layout regime", () => {
  it("scores with the no-rect variant when rects are absent and the main weights otherwise", () => {
    expect(DEFAULT_MODEL.noRect).toBeDefined();
    const xpath = "/html[1]/body[1]/button[1]";
    const withRect = prepareElement({ tag: "button", xpath, rect: { x: 0, y: 0, width: 10, height: 10 } });
    const bare = prepareElement({ tag: "button", xpath });
    expect(modelFor(DEFAULT_MODEL, withRect, [withRect])).toBe(DEFAULT_MODEL);
    const variant = modelFor(DEFAULT_MODEL, bare, [withRect]);
    expect(variant.weights).toEqual(DEFAULT_MODEL.noRect!.weights);
    expect(variant.version).toBe(DEFAULT_MODEL.version);
    const { noRect: _, ...legacy } = DEFAULT_MODEL;
    expect(modelFor(legacy, bare, [bare])).toBe(legacy);
  });

  it("scores a selector-only target with the cold-start variant", () => {
    expect(DEFAULT_MODEL.coldStart).toBeDefined();
    const cold = prepareElement({ tag: "button", attributes: { id: "save" } });
    const withRect = prepareElement({ tag: "button", rect: { x: 0, y: 0, width: 10, height: 10 } });
    expect(modelFor(DEFAULT_MODEL, cold, [withRect]).weights).toEqual(DEFAULT_MODEL.coldStart!.weights);
    const { coldStart: _, ...legacy } = DEFAULT_MODEL;
    expect(modelFor(legacy, cold, [withRect]).weights).toEqual(DEFAULT_MODEL.noRect!.weights);
  });

  it("heals a rect-less candidates request with confidence above the variant's threshold", async () => {
    const target: ElementDescriptor = {
      tag: "button",
      attributes: { id: "save-3f9a2", type: "submit" },
      text: "Save",
      xpath: "/html[1]/body[1]/form[1]/button[1]",
      neighborText: { above: "Email" },
    };
    const result = await healCandidates({
      target,
      candidates: [
        { tag: "button", text: "Cancel", xpath: "/html[1]/body[1]/form[1]/button[2]" },
        { ...target, attributes: { id: "save-77c01", type: "submit" } },
      ],
    });
    expect(result.index).toBe(1);
    expect(result.healed).toBe(true);
    expect(result.confidence).toBeGreaterThanOrEqual(DEFAULT_MODEL.threshold);
  });
});

describe("candidates-form shortlist", () => {
  it("keeps the right candidate among many and maps indices back to the request", async () => {
    const filler: ElementDescriptor[] = Array.from({ length: 600 }, (_, i) => ({
      tag: i % 2 ? "a" : "button",
      attributes: { href: `/item/${i}`, class: "row-action" },
      text: `Open item ${i}`,
      xpath: `/html[1]/body[1]/ul[1]/li[${i + 1}]/a[1]`,
    }));
    const save: ElementDescriptor = {
      tag: "button",
      attributes: { "data-testid": "save-77c01", type: "submit" },
      text: "Save changes",
      xpath: "/html[1]/body[1]/form[1]/button[1]",
    };
    const candidates = [...filler.slice(0, 450), save, ...filler.slice(450)];
    const result = await healCandidates({
      target: { ...save, attributes: { "data-testid": "save-3f9a2", type: "submit" } },
      candidates,
    });
    expect(result).toMatchObject({ healed: true, index: 450 });
    for (const alternative of result.alternatives) expect(alternative.index).toBeLessThan(candidates.length);
    expect(shortlistCandidates(prepareElement(save), candidates.map(prepareElement))).toContain(450);
  });
});

describe("shortlist cut", () => {
  it("keeps the best `limit` by score with ties at the cut in document order", () => {
    // 30 identical rows, then the target: its test id, id, name, role, class, href, type, label attributes all count.
    const rows = Array.from({ length: 30 }, (_, i) => `<li><span>row ${i}</span></li>`).join("");
    const html = `<ul>${rows}</ul><a data-testid="go" id="go-1" name="go" role="button" class="cta" href="/go?x=1" type="submit" title="Go now">x</a>`;
    const page = parsePage(html);
    const target = prepareElement({
      tag: "a",
      attributes: {
        "data-testid": "go",
        id: "go-1",
        name: "go",
        role: "button",
        class: "cta",
        href: "/go",
        type: "submit",
        "aria-label": "Go now",
      },
    });
    const limit = 5;
    const kept = shortlistPage(page, target, limit);
    expect(kept).toHaveLength(limit);
    const link = page.elements.findIndex((entry) => entry.element.name === "a");
    expect(kept).toContain(link);
    // The rest tie (same tags, no evidence): the first in document order fill the cut.
    const others = kept.filter((index) => index !== link);
    expect(others).toEqual([...others].sort((a, b) => a - b));
    expect(others).toEqual([0, 1, 2, 3]);
    expect(kept).toEqual([...kept].sort((a, b) => a - b));
  });

  it("weighs each attribute the target has, whatever the element's other attributes", () => {
    const target = prepareElement({
      tag: "a",
      attributes: {
        id: "go-1",
        name: "go",
        role: "tab",
        class: "cta",
        href: "/go",
        type: "submit",
        title: "Go now",
      },
    });
    const decoys = Array.from({ length: 10 }, () => '<a data-x="1">link</a>').join("");
    for (const attribute of [
      'id="go-1"',
      'name="go"',
      'role="tab"',
      'class="cta"',
      'href="/go"',
      'title="Go now"',
    ]) {
      const page = parsePage(`${decoys}<a data-y="2" ${attribute}>link</a>${decoys}`);
      const [best] = shortlistPage(page, target, 1);
      expect(page.elements[best!]!.element.attribs, attribute).toHaveProperty(attribute.split("=")[0]!);
    }
  });
});
