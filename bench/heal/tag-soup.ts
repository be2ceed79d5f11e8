/**
 * Random tag soup for `npm run bench:parse-browser -- soup:N`: N pages of 5 to 40 start tags, end
 * tags and texts, drawn from the element names whose tree-construction rules differ most between
 * htmlparser2 and a browser (tables, forms, formatting elements, lists, ruby, select). Far harsher
 * than real pages; seeded, so a run can be repeated and compared across engines.
 */
import { seededRng } from "../../shared/random.ts";

const NAMES = [
  "table",
  "tr",
  "td",
  "th",
  "tbody",
  "thead",
  "caption",
  "colgroup",
  "col",
  "form",
  "div",
  "b",
  "i",
  "a",
  "p",
  "select",
  "option",
  "button",
  "input",
  "span",
  "li",
  "ul",
  "h1",
  "ruby",
  "rt",
  "rb",
  "strong",
  "em",
  "label",
  "textarea",
  "font",
  "nobr",
  "dl",
  "dt",
  "dd",
  "pre",
  "section",
  "center",
];
const TEXTS = ["x", " ", "text", "\n"];

export function* tagSoup(count: number, seed = 7): Generator<{ name: string; html: string }> {
  const random = seededRng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  for (let n = 0; n < count; n++) {
    const parts = ["<!doctype html><html><body>"];
    const length = 5 + Math.floor(random() * 36);
    for (let k = 0; k < length; k++) {
      const roll = random();
      const name = pick(NAMES);
      if (roll < 0.55) {
        const attributes =
          name === "a" ? ' href="/x"' : name === "input" && random() < 0.3 ? ' type="hidden"' : "";
        parts.push(`<${name}${attributes}>`);
      } else if (roll < 0.85) parts.push(`</${name}>`);
      else parts.push(pick(TEXTS));
    }
    // Some end the document early, with content after it.
    if (random() < 0.2) parts.push(`</body></html>${pick(["<div>late</div>", "<b>z</b>", "y"])}`);
    yield { name: `soup:${n}`, html: parts.join("") };
  }
}
