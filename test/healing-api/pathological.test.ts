import { describe, expect, it } from "vitest";
import { newTenant, problem } from "../helpers.ts";
import { postHeal } from "./heal-requests.ts";

/**
 * Generated pages built to cost: each must be refused with a 4xx before the engine does real work
 * (limits in shared/healing/limits.ts). The answer's status is asserted, not its wall time: the
 * refusal happens during one scan or while parsing, and bench/heal-perf.ts measures how long it takes.
 */
const page = (body: string) => `<html><body>${body}</body></html>`;
const attributes = (n: number) => Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(" ");

const PATHOLOGICAL: { name: string; dom: string; status: number; detail: string }[] = [
  {
    name: "20 000 nested divs",
    dom: page(`${"<div>".repeat(20_000)}x${"</div>".repeat(20_000)}`),
    status: 422,
    detail: "too deep",
  },
  { name: "20 000 unclosed spans", dom: page("<span>".repeat(20_000)), status: 422, detail: "too deep" },
  {
    name: "3 000 nested tables",
    dom: page("<table><tr><td>".repeat(3_000)),
    status: 422,
    detail: "too deep",
  },
  { name: "nested inline formatting", dom: page("<a><b><i>".repeat(7_000)), status: 422, detail: "too deep" },
  {
    name: "60 000 paragraphs",
    dom: page("<p></p>".repeat(60_000)),
    status: 413,
    detail: "too many elements",
  },
  { name: "250 000 empty tags", dom: page("<b>".repeat(250_000)), status: 413, detail: "too many elements" },
  {
    name: "one element with 201 attributes",
    dom: page(`<button ${attributes(201)}>Save</button>`),
    status: 413,
    detail: "too many attributes",
  },
  {
    name: "2 000 elements with 150 attributes each",
    dom: page(Array.from({ length: 2_000 }, () => `<i ${attributes(150)}></i>`).join("")),
    status: 413,
    detail: "too many attributes",
  },
  {
    name: "6 MB of markup",
    dom: page(`<p>${"x".repeat(6 * 1024 * 1024)}</p>`),
    status: 413,
    detail: "bytes of HTML per document",
  },
];

describe("pathological DOMs are refused with a 4xx", () => {
  for (const { name, dom, status, detail } of PATHOLOGICAL) {
    it(`${name} → ${status}`, async () => {
      const t = await newTenant();
      const res = await postHeal(t.apiKey, { selector: "#a", dom });
      expect(res.status).toBe(status);
      expect((await problem(res)).detail).toContain(detail);
    });
  }

  it("the same pages as previousDom are refused too", async () => {
    const t = await newTenant();
    const res = await postHeal(t.apiKey, {
      selector: "#a",
      dom: page("<button id=b>Save</button>"),
      previousDom: PATHOLOGICAL[0]!.dom,
    });
    expect(res.status).toBe(422);
    expect((await problem(res)).detail).toContain("too deep");
  });
});
