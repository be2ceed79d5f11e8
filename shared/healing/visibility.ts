/** Hidden elements are never healing answers: a test cannot interact with them. */
import type { ElementDescriptor } from "./types.ts";

const HIDDEN_STYLE =
  /(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))\s*(?:!important)?\s*(?:;|$)/i;

export function isHiddenByAttributes(tag: string, attributes: Record<string, string>): boolean {
  if (attributes.hidden !== undefined) return true;
  if ((attributes["aria-hidden"] ?? "").trim().toLowerCase() === "true") return true;
  if (tag === "input" && (attributes.type ?? "").trim().toLowerCase() === "hidden") return true;
  const style = attributes.style;
  return style !== undefined && HIDDEN_STYLE.test(style);
}

export function isHidden(descriptor: ElementDescriptor): boolean {
  return isHiddenByAttributes(descriptor.tag.trim().toLowerCase(), descriptor.attributes ?? {});
}
