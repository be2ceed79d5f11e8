/** Hidden elements are never healing answers: a test cannot interact with them. */
import type { ElementDescriptor } from "./types.ts";

const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!important)?\s*(?:;|$)/i;

export function isHiddenByAttributes(tag: string, attributes: Record<string, string>): boolean {
  return isHiddenBy(tag, attributes.hidden, attributes["aria-hidden"], attributes.type, attributes.style);
}

/** isHiddenByAttributes from the four attributes it reads (the page builder has no attributes object). */
export function isHiddenBy(
  tag: string,
  hidden: string | undefined,
  ariaHidden: string | undefined,
  type: string | undefined,
  style: string | undefined,
): boolean {
  if (hidden !== undefined) return true;
  if ((ariaHidden ?? "").trim().toLowerCase() === "true") return true;
  if (tag === "input" && (type ?? "").trim().toLowerCase() === "hidden") return true;
  return style !== undefined && HIDDEN_STYLE.test(style);
}

export function isHidden(descriptor: ElementDescriptor): boolean {
  return isHiddenByAttributes(descriptor.tag.trim().toLowerCase(), descriptor.attributes ?? {});
}
