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
import { HEAL_LIMITS } from "./limits.ts";

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const cut = (value: unknown, max: number): unknown =>
  typeof value === "string" && value.length > max ? value.slice(0, max) : value;

// Objects are rebuilt with Object.fromEntries: a "__proto__" key sent in JSON stays an own field (and is
// refused or kept by the schema like any other), never a prototype.

/** Copies an object without its null fields. */
function withoutNulls(value: Plain): Plain {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null));
}

function attributeValues(attributes: Plain): Plain {
  return Object.fromEntries(
    Object.entries(attributes)
      .filter(([, value]) => value !== null && value !== false)
      .map(([name, value]) => [
        name,
        typeof value === "number" || value === true
          ? String(value)
          : cut(value, HEAL_LIMITS.maxAttributeValueLength),
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
  const kept = withoutNulls(neighbours);
  for (const side of Object.keys(kept)) kept[side] = cut(kept[side], HEAL_LIMITS.maxTextLength);
  return kept;
}

const PLAIN_STEPS = /^(?:\/[a-zA-Z][\w.:-]*(?:\[\d+\])?)+$/;
const ANCHORED = /^\/\/\*\[@id=(["'])([^"']*)\1\]((?:\/[a-zA-Z][\w.:-]*(?:\[\d+\])?)*)$/;

/** `/HTML/body/div[2]/a` → `/html[1]/body[1]/div[2]/a[1]`. */
function indexedSteps(steps: string): string {
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

export function normaliseDescriptor(value: unknown): unknown {
  if (!isPlain(value)) return value;
  const descriptor = withoutNulls(value);
  if (isPlain(descriptor.attributes)) descriptor.attributes = attributeValues(descriptor.attributes);
  if (isPlain(descriptor.rect)) descriptor.rect = rectangle(descriptor.rect);
  if (isPlain(descriptor.neighborText)) descriptor.neighborText = neighbourTexts(descriptor.neighborText);
  if (descriptor.xpath !== undefined) descriptor.xpath = canonicalXpath(descriptor.xpath);
  if (descriptor.idXpath !== undefined) descriptor.idXpath = canonicalIdXpath(descriptor.idXpath);
  descriptor.text = cut(descriptor.text, HEAL_LIMITS.maxTextLength);
  descriptor.accessibleName = cut(descriptor.accessibleName, HEAL_LIMITS.maxTextLength);
  if (descriptor.text === undefined) delete descriptor.text;
  if (descriptor.accessibleName === undefined) delete descriptor.accessibleName;
  return descriptor;
}
