/**
 * Element descriptors as clients other than Shifty's SDK write them, turned into the one shape the
 * engine reads (docs/heal-api.md, "Candidates form"). Runs before validation: anything it does not
 * recognise is passed on unchanged, so the schema still refuses it with a field error.
 *
 * - null means "not known", as missing does (clients in other languages serialise unknown as null);
 * - `rect` may be a serialised DOMRect (`top`/`right`/`bottom`/`left` beside or instead of `x`/`y`);
 * - attribute values may be numbers or booleans; `false` and null mean the attribute is not there;
 * - text and attribute values longer than the limits are cut: the engine compares the first characters
 *   only, and the request body limit already bounds what is parsed;
 * - xpaths are written as the engine compares them: lower-case tags, every step indexed, the anchor id in
 *   single quotes. Browsers' "copy full XPath" leaves out `[1]` where a tag is alone among its
 *   siblings, so `/html/body/div/a` and `/html[1]/body[1]/div[1]/a[1]` are the same element.
 */
import { cap, HEAL_LIMITS } from "./limits.ts";

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const TEXT = HEAL_LIMITS.maxTextLength;
const VALUE = HEAL_LIMITS.maxAttributeValueLength;

const isLong = (value: unknown, max: number) => typeof value === "string" && value.length > max;
const cut = (value: unknown, max: number): unknown => (typeof value === "string" ? cap(value, max) : value);

// Every descriptor of a request (up to 5 000) passes here, and most need nothing: each helper first
// checks whether anything is to change and hands back the object it was given when not. Copies are
// made with Object.fromEntries, so a JSON "__proto__" key stays an own field the schema judges,
// never a prototype.

function attributeValues(attributes: Plain): Plain {
  const typed = Object.values(attributes).some((value) => typeof value !== "string" || value.length > VALUE);
  if (!typed) return attributes;
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, value]) => value !== null && value !== false)
      .map(([name, value]) => [
        name,
        typeof value === "number" || value === true ? String(value) : cut(value, VALUE),
      ]),
  );
}

const DOM_RECT_EDGES = ["top", "right", "bottom", "left"];

/** `{x, y, width, height}` from a DOMRect's JSON; a rect without edges is passed on as it is. */
function rectangle(rect: Plain): Plain {
  if (!DOM_RECT_EDGES.some((edge) => edge in rect)) return rect;
  const { top, right, bottom, left, ...rest } = rect;
  const out: Plain = { ...rest, x: rest.x ?? left, y: rest.y ?? top };
  if (out.width === undefined && typeof right === "number" && typeof left === "number")
    out.width = right - left;
  if (out.height === undefined && typeof bottom === "number" && typeof top === "number")
    out.height = bottom - top;
  return out;
}

function neighbourTexts(neighbours: Plain): Plain {
  const sides = Object.values(neighbours);
  if (!sides.some((text) => text === null || isLong(text, TEXT))) return neighbours;
  return Object.fromEntries(
    Object.entries(neighbours)
      .filter(([, text]) => text !== null)
      .map(([side, text]) => [side, cut(text, TEXT)]),
  );
}

/** The form the engine compares: lower-case tags, every step indexed. */
const INDEXED_STEPS = /^(?:\/[a-z][a-z0-9.:_-]*\[\d+\])+$/;
const PLAIN_STEPS = /^(?:\/[a-zA-Z][\w.:-]*(?:\[\d+\])?)+$/;
const ANCHORED = /^\/\/\*\[@id=(["'])([^"']*)\1\]((?:\/[a-zA-Z][\w.:-]*(?:\[\d+\])?)*)$/;

/** `/HTML/body/div[2]/a` → `/html[1]/body[1]/div[2]/a[1]`. */
function indexedSteps(steps: string): string {
  if (steps === "" || INDEXED_STEPS.test(steps)) return steps;
  return steps.replace(
    /\/([a-zA-Z][\w.:-]*)(\[\d+\])?/g,
    (_, tag: string, index?: string) => `/${tag.toLowerCase()}${index ?? "[1]"}`,
  );
}

/** Only plain absolute paths are rewritten; anything else (predicates, relative paths) is kept as sent. */
function canonicalXpath(xpath: unknown): unknown {
  return typeof xpath === "string" && PLAIN_STEPS.test(xpath) ? indexedSteps(xpath) : xpath;
}

function canonicalIdXpath(idXpath: unknown): unknown {
  if (typeof idXpath !== "string") return idXpath;
  const anchored = ANCHORED.exec(idXpath);
  return anchored ? `//*[@id='${anchored[2]}']${indexedSteps(anchored[3] ?? "")}` : idXpath;
}

/** Each field as the engine reads it; the descriptor itself when nothing changes. */
export function normaliseDescriptor(value: unknown): unknown {
  if (!isPlain(value)) return value;
  const fields: [string, unknown][] = [];
  let changed = false;
  for (const [key, field] of Object.entries(value)) {
    if (field === null) {
      changed = true;
      continue;
    }
    let read: unknown = field;
    if (key === "attributes" && isPlain(field)) read = attributeValues(field);
    else if (key === "rect" && isPlain(field)) read = rectangle(field);
    else if (key === "neighborText" && isPlain(field)) read = neighbourTexts(field);
    else if (key === "xpath") read = canonicalXpath(field);
    else if (key === "idXpath") read = canonicalIdXpath(field);
    else if (key === "text" || key === "accessibleName") read = cut(field, TEXT);
    changed ||= read !== field;
    fields.push([key, read]);
  }
  return changed ? Object.fromEntries(fields) : value;
}
