/**
 * The role of a page element from its raw attributes (what the shortlist and the Playwright locator
 * compare), without building an attributes object: only a, area, input, select, img and section
 * read their attributes, and those are looked up in the element's range of the page's arrays.
 */
import { implicitRole } from "./aria.ts";
import type { ParsedPage } from "./dom.ts";

/** Tags whose implicit role depends on their attributes; every other tag's role is its tag's. */
const ROLE_BY_ATTRIBUTES = new Set(["a", "area", "input", "select", "img", "section"]);
const NO_ATTRIBUTES: Record<string, string> = {};

/** Role of a page element from its raw attributes; `byTag` memoises attribute-independent roles. */
function roleOfRaw(
  explicit: string | undefined,
  tag: string,
  attributes: Record<string, string>,
  byTag: Map<string, string | null>,
): string | null {
  if (explicit !== undefined && explicit.trim() !== "") return explicit.trim().split(/\s+/)[0]!.toLowerCase();
  if (ROLE_BY_ATTRIBUTES.has(tag)) return implicitRole(tag, attributes);
  let role = byTag.get(tag);
  if (role === undefined) {
    role = implicitRole(tag, NO_ATTRIBUTES);
    byTag.set(tag, role);
  }
  return role;
}

/** The attributes implicitRole reads, and the one record (refilled per element) that carries them. */
const ROLE_ATTRIBUTES = new Set(["href", "type", "list", "multiple", "alt", "aria-label"]);
const roleAttributes: Record<string, string | undefined> = {};

/**
 * roleOfRaw of candidate i of a page, from its attribute range (no attributes object is built):
 * `explicit` is its role attribute.
 */
export function roleOfPageElement(
  page: ParsedPage,
  i: number,
  explicit: string | undefined,
  byTag: Map<string, string | null>,
): string | null {
  const tag = page.tags[i]!;
  if ((explicit !== undefined && explicit.trim() !== "") || !ROLE_BY_ATTRIBUTES.has(tag))
    return roleOfRaw(explicit, tag, NO_ATTRIBUTES, byTag);
  for (const name of ROLE_ATTRIBUTES) roleAttributes[name] = undefined;
  const { attrStart, attrCount, attrNames, attrValues } = page.nodes;
  const id = page.nodeOf[i]!;
  const end = attrStart[id]! + attrCount[id]!;
  for (let k = attrStart[id]!; k < end; k++) {
    const name = attrNames[k]!;
    if (ROLE_ATTRIBUTES.has(name)) roleAttributes[name] = attrValues[k];
  }
  return implicitRole(tag, roleAttributes as Record<string, string>);
}
