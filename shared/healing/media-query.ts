/**
 * Does a media query hold for the page as a test sees it? Judged for Playwright's default page: a
 * 1280 × 720 screen, pixel ratio 1, light colour scheme, a mouse (docs/heal-model.md, "Elements a
 * style sheet hides"). true / false, or null where the query asks what this does not know.
 */
const VIEWPORT = { width: 1280, height: 720, ratio: 1 };
const ROOT_FONT_PX = 16;

const KEYWORDS: Record<string, string> = {
  orientation: "landscape",
  "prefers-color-scheme": "light",
  "prefers-reduced-motion": "no-preference",
  "prefers-reduced-transparency": "no-preference",
  "prefers-contrast": "no-preference",
  "forced-colors": "none",
  "inverted-colors": "none",
  hover: "hover",
  "any-hover": "hover",
  pointer: "fine",
  "any-pointer": "fine",
  scripting: "enabled",
  "display-mode": "browser",
  update: "fast",
  grid: "0",
  color: "8",
  "color-gamut": "srgb",
  "dynamic-range": "standard",
};

/** A comma-separated media query list: true if one query holds, false if none can, else null. */
export function mediaMatches(list: string): boolean | null {
  const text = list.trim().toLowerCase();
  if (text === "") return true;
  let unknown = false;
  for (const query of text.split(",")) {
    const result = queryMatches(query.trim());
    if (result === true) return true;
    if (result === null) unknown = true;
  }
  return unknown ? null : false;
}

function queryMatches(query: string): boolean | null {
  let rest = query;
  let negate = false;
  if (rest.startsWith("not ")) {
    negate = true;
    rest = rest.slice(4).trim();
  } else if (rest.startsWith("only ")) rest = rest.slice(5).trim();
  let result: boolean | null = true;
  const parts = rest.split(/\s*\band\b\s*/); // minifiers write `(min-width:30em)and (…)`
  for (const part of parts) {
    const one = part.startsWith("(") ? featureMatches(part) : typeMatches(part);
    if (one === false) {
      result = false;
      break;
    }
    if (one === null) result = null;
  }
  if (result === null) return null;
  return negate ? !result : result;
}

function typeMatches(type: string): boolean | null {
  if (type === "all" || type === "screen") return true;
  if (
    type === "print" ||
    type === "speech" ||
    /^(tv|tty|handheld|projection|braille|embossed|aural)$/.test(type)
  )
    return false;
  return null;
}

/** `(min-width: 768px)`, `(width >= 40em)`, `(400px <= width < 700px)`, `(hover: hover)`, `(color)`. */
function featureMatches(part: string): boolean | null {
  if (!part.endsWith(")")) return null;
  const inner = part.slice(1, -1).trim();
  if (inner.startsWith("(") || /\b(or|not)\b/.test(inner)) return null;
  const colon = inner.indexOf(":");
  if (colon >= 0) return plainFeature(inner.slice(0, colon).trim(), inner.slice(colon + 1).trim());
  const range = /^(?:([^<>=]+?)\s*([<>]=?|=)\s*)?([a-z-]+)\s*(?:([<>]=?|=)\s*([^<>=]+))?$/.exec(inner);
  if (range === null) return null;
  const [, lowValue, lowOp, name, highOp, highValue] = range;
  if (lowOp === undefined && highOp === undefined)
    return name! in KEYWORDS ? KEYWORDS[name!] !== "none" && KEYWORDS[name!] !== "0" : null;
  const actual = dimension(name!);
  if (actual === null) return null;
  let result = true;
  if (lowOp !== undefined) {
    const value = length(lowValue!, name!);
    if (value === null) return null;
    result &&= compare(value, lowOp, actual);
  }
  if (highOp !== undefined) {
    const value = length(highValue!, name!);
    if (value === null) return null;
    result &&= compare(actual, highOp, value);
  }
  return result;
}

function plainFeature(prefixed: string, value: string): boolean | null {
  const name = prefixed.replace(/^-webkit-/, "");
  if (name in KEYWORDS) return KEYWORDS[name] === value;
  const bound = /^(min|max)-(.*)$/.exec(name);
  const feature = bound ? bound[2]! : name;
  const actual = dimension(feature);
  if (actual === null) return null;
  const wanted = length(value, feature);
  if (wanted === null) return null;
  if (!bound) return Math.abs(actual - wanted) < 0.01;
  return bound[1] === "min" ? actual >= wanted : actual <= wanted;
}

/** The page's value of a numeric feature, or null for one not known. */
function dimension(feature: string): number | null {
  switch (feature.replace(/^-webkit-/, "")) {
    case "width":
    case "device-width":
      return VIEWPORT.width;
    case "height":
    case "device-height":
      return VIEWPORT.height;
    case "aspect-ratio":
    case "device-aspect-ratio":
      return VIEWPORT.width / VIEWPORT.height;
    case "resolution":
    case "device-pixel-ratio":
      return VIEWPORT.ratio;
    default:
      return null;
  }
}

/** A length, ratio or resolution in the unit `dimension` gives the feature (px, width/height, dppx). */
function length(raw: string, feature: string): number | null {
  const value = raw.trim();
  const ratio = /^(\d+(?:\.\d+)?)\s*\/\s*(\d+(?:\.\d+)?)$/.exec(value);
  if (ratio) return Number(ratio[2]) === 0 ? null : Number(ratio[1]) / Number(ratio[2]);
  const match = /^(-?\d*\.?\d+)([a-z%]*)$/.exec(value);
  if (!match) return null;
  const number = Number(match[1]);
  switch (match[2]) {
    case "":
      return feature.endsWith("pixel-ratio") || feature.endsWith("aspect-ratio") || number === 0
        ? number
        : null;
    case "px":
      return number;
    case "em":
    case "rem":
      return number * ROOT_FONT_PX;
    case "dppx":
    case "x":
      return number;
    case "dpi":
      return number / 96;
    case "dpcm":
      return (number * 2.54) / 96;
    default:
      return null;
  }
}

function compare(a: number, op: string, b: number): boolean {
  switch (op) {
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    default:
      return Math.abs(a - b) < 0.01;
  }
}
