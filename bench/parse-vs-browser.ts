/**
 * Does the page builder build the tree Chromium builds? For every HTML file given, each element's
 * indexed xpath (as the engine returns it) is compared with Chromium's, scripts blocked (a CSP that
 * allows none), elements inside template and noscript left out (a browser parses them apart).
 * Prints each page that differs (its counts and first few xpaths only one side has) and a JSON
 * summary. docs/heal-model.md, "The page as the browser builds it".
 * Run: npm run bench:parse-browser -- <file listing HTML paths, one per line | folder>
 * Env: CHROMIUM_PATH (default /usr/bin/chromium).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { parsePage } from "../shared/healing/dom.ts";

const MAX_BYTES = 1_500_000;

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
if (!source) throw new Error("usage: node bench/parse-vs-browser.ts <file listing HTML paths | folder>");
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
for (const file of htmlFiles(source)) {
  if (!statSync(file, { throwIfNoEntry: false })?.isFile()) continue;
  const html = readFileSync(file, "utf8");
  if (html.length > MAX_BYTES) continue;
  let engine: string[];
  try {
    engine = parsePage(html).browserXpaths();
  } catch (error) {
    refused++;
    console.log(`${file}\trefused: ${(error as Error).message}`);
    continue;
  }
  served = html;
  await page.goto("http://page.test/", { waitUntil: "domcontentloaded" });
  const chromiumXpaths = await page.evaluate(() => {
    const xhtml = "http://www.w3.org/1999/xhtml";
    const nameOf = (el: Element) => (el.namespaceURI === xhtml ? el.localName : el.nodeName);
    return [...document.querySelectorAll("*")].map((el) => {
      const steps: string[] = [];
      for (let node: Element | null = el; node; node = node.parentElement) {
        let position = 1;
        for (let s = node.previousElementSibling; s; s = s.previousElementSibling)
          if (nameOf(s) === nameOf(node) && s.namespaceURI === node.namespaceURI) position++;
        const name = nameOf(node);
        steps.unshift(
          node.namespaceURI === xhtml ? `${name}[${position}]` : `*[name()='${name}'][${position}]`,
        );
      }
      return `/${steps.join("/")}`;
    });
  });
  const inChromium = new Set(chromiumXpaths);
  const inEngine = new Set(engine);
  const onlyEngine = engine.filter((xpath) => !inChromium.has(xpath));
  const onlyChromium = chromiumXpaths.filter((xpath) => !inEngine.has(xpath));
  if (onlyEngine.length === 0 && onlyChromium.length === 0) {
    same++;
    continue;
  }
  differ++;
  elementsOff += onlyEngine.length;
  console.log(
    `${file}\telements ${engine.length} / ${chromiumXpaths.length}\tonly engine ${onlyEngine.length}: ${onlyEngine.slice(0, 2).join(" ")}\tonly Chromium ${onlyChromium.length}: ${onlyChromium.slice(0, 2).join(" ")}`,
  );
}
await browser.close();
console.log(
  JSON.stringify({ bench: "parse-vs-browser", pages: same + differ, same, differ, elementsOff, refused }),
);
