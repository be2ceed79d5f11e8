/**
 * Does the page builder build the tree Chromium builds? For every HTML file given, each element's
 * indexed xpath (as the engine returns it) is compared with Chromium's, scripts blocked (a CSP that
 * allows none), elements inside template and noscript left out (a browser parses them apart).
 * Prints each page that differs (its counts and first few xpaths only one side has) and a JSON
 * summary. docs/heal-model.md, "The page as the browser builds it".
 * With SHIFTY_PARSE_HEAL=n, also heals up to n elements a test acts on per page (links, buttons,
 * fields, headings, cells, list items the browser shows, spread over the page) against the page
 * itself, by the xpath Chromium gives them, and checks in Chromium that the playwright, CSS and
 * xpath selectors answered (healed, or the suggestion) each name exactly that element.
 * With SHIFTY_PARSE_HIDDEN=1, also compares the engine's hidden flag of every candidate with what
 * Chromium shows (hiddenDisagreements: style sheets in `<style>` elements; linked ones are not
 * loaded, the route answers every request with the page itself).
 * Run: npm run bench:parse-browser -- <file listing HTML paths, one per line | folder | soup:N>
 * (soup:N: N pages of random tag soup, bench/heal/tag-soup.ts).
 * Env: CHROMIUM_PATH (default /usr/bin/chromium), SHIFTY_PARSE_HEAL.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { healDom } from "../shared/healing/heal.ts";
import {
  chromiumXpaths,
  engineXpaths,
  hiddenDisagreements,
  wrongSelectors,
} from "./heal/selectors-in-browser.ts";
import { tagSoup } from "./heal/tag-soup.ts";

const MAX_BYTES = 1_500_000;
const HEAL_PER_PAGE = Number(process.env.SHIFTY_PARSE_HEAL ?? 0);
const COMPARE_HIDDEN = process.env.SHIFTY_PARSE_HIDDEN === "1";
const TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, h1, h2, h3, summary, td, li";

/** Heals each element against its own page; the selectors answered that do not name it in Chromium. */
async function healedWrongly(page: Page, html: string, xpaths: string[]) {
  const wrong: string[] = [];
  let healed = 0;
  for (const xpath of xpaths) {
    const result = await healDom({ selector: xpath, dom: html, previousDom: html });
    if (result.healed) healed++;
    wrong.push(...(await wrongSelectors(page, xpath, result.healed ? result : result.suggestion)));
  }
  return { healed, wrong };
}

function htmlFiles(source: string): string[] {
  if (!statSync(source).isDirectory()) return readFileSync(source, "utf8").split("\n").filter(Boolean);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && /\.x?html?$/i.test(entry.name)) found.push(path);
    }
  };
  walk(source);
  return found.sort();
}

const source = process.argv[2];
if (!source)
  throw new Error("usage: node bench/parse-vs-browser.ts <file listing HTML paths | folder | soup:N>");
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
const page = await browser.newPage();
let served = "";
await page.route("http://page.test/**", (route) =>
  route.fulfill({
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": "script-src 'none'" },
    body: served,
  }),
);

let same = 0;
let differ = 0;
let refused = 0;
let elementsOff = 0;
const heals = { elements: 0, healed: 0, elementsWrong: 0 };
const hiddenFlags = { pages: 0, hiddenByEngineOnly: 0, hiddenByChromiumOnly: 0 };
function* pages(source: string): Generator<{ name: string; html: string }> {
  if (source.startsWith("soup:")) return yield* tagSoup(Number(source.slice(5)));
  for (const name of htmlFiles(source)) {
    if (!statSync(name, { throwIfNoEntry: false })?.isFile()) continue;
    const html = readFileSync(name, "utf8");
    if (html.length <= MAX_BYTES) yield { name, html };
  }
}

for (const { name: file, html } of pages(source)) {
  let engine: string[];
  try {
    engine = engineXpaths(html);
  } catch (error) {
    refused++;
    console.log(`${file}\trefused: ${(error as Error).message}`);
    continue;
  }
  served = html;
  await page.goto("http://page.test/", { waitUntil: "domcontentloaded" });
  const inBrowser = await chromiumXpaths(page);
  if (HEAL_PER_PAGE > 0) {
    const targets = await chromiumXpaths(page, TARGETS, { shownOnly: true, limit: HEAL_PER_PAGE });
    const { healed, wrong } = await healedWrongly(page, html, targets);
    heals.elements += targets.length;
    heals.healed += healed;
    heals.elementsWrong += new Set(wrong.map((line) => line.slice(0, line.indexOf(":")))).size;
    for (const line of wrong) console.log(`${file}\t${line}`);
  }
  if (COMPARE_HIDDEN) {
    const { hidden, shown } = await hiddenDisagreements(page, html);
    if (hidden.length + shown.length > 0) {
      hiddenFlags.pages++;
      console.log(
        `${file}\thidden by the engine only ${hidden.length}: ${hidden.slice(0, 2).join(" ")}\thidden by Chromium only ${shown.length}: ${shown.slice(0, 2).join(" ")}`,
      );
    }
    hiddenFlags.hiddenByEngineOnly += hidden.length;
    hiddenFlags.hiddenByChromiumOnly += shown.length;
  }
  const inChromium = new Set(inBrowser);
  const inEngine = new Set(engine);
  const onlyEngine = engine.filter((xpath) => !inChromium.has(xpath));
  const onlyChromium = inBrowser.filter((xpath) => !inEngine.has(xpath));
  if (onlyEngine.length === 0 && onlyChromium.length === 0) {
    same++;
    continue;
  }
  differ++;
  elementsOff += onlyEngine.length;
  console.log(
    `${file}\telements ${engine.length} / ${inBrowser.length}\tonly engine ${onlyEngine.length}: ${onlyEngine.slice(0, 2).join(" ")}\tonly Chromium ${onlyChromium.length}: ${onlyChromium.slice(0, 2).join(" ")}`,
  );
}
await browser.close();
const summary = { bench: "parse-vs-browser", pages: same + differ, same, differ, elementsOff, refused };
console.log(
  JSON.stringify({
    ...summary,
    ...(HEAL_PER_PAGE > 0 ? { heals } : {}),
    ...(COMPARE_HIDDEN ? { hiddenFlags } : {}),
  }),
);
