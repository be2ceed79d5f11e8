/** A crude block/inline layout so candidates carry plausible rects, as the SDK would send. */
import type { ElementRect } from "../../shared/healing/types.ts";
import type { PageNode } from "./tree.ts";

const INLINE = new Set([
  "a",
  "button",
  "span",
  "input",
  "img",
  "label",
  "b",
  "select",
  "textarea",
  "strong",
  "em",
]);

function textWidth(node: PageNode): number {
  let length = 0;
  for (const child of node.children) length += typeof child === "string" ? child.length : 0;
  return length * 7;
}

function ownSize(node: PageNode): { width: number; height: number } {
  switch (node.tag) {
    case "input":
      return { width: 240, height: 32 };
    case "textarea":
      return { width: 240, height: 64 };
    case "img":
      return { width: 120, height: 80 };
    case "button":
      return { width: textWidth(node) + 32, height: 36 };
    default:
      return { width: textWidth(node) + 4, height: 20 };
  }
}

export function layout(root: PageNode, pageWidth = 1280): Map<PageNode, ElementRect> {
  const rects = new Map<PageNode, ElementRect>();
  const place = (node: PageNode, x: number, y: number, width: number): ElementRect => {
    if (
      /display:\s*none/.test(node.attrs.style ?? "") ||
      node.tag === "head" ||
      (node.tag === "input" && node.attrs.type === "hidden")
    ) {
      const rect = { x, y, width: 0, height: 0 };
      rects.set(node, rect);
      return rect;
    }
    const own = ownSize(node);
    let cursorX = x + 8;
    let cursorY = y + (node.children.some((c) => typeof c === "string" && c.trim()) ? own.height : 4);
    let lineHeight = 0;
    let right = x + own.width;
    for (const child of node.children) {
      if (typeof child === "string") continue;
      if (INLINE.has(child.tag)) {
        const size = ownSize(child);
        if (cursorX + size.width > x + width) {
          cursorX = x + 8;
          cursorY += lineHeight + 4;
          lineHeight = 0;
        }
        const rect = place(child, cursorX, cursorY, Math.max(size.width, 40));
        cursorX += rect.width + 8;
        lineHeight = Math.max(lineHeight, rect.height);
        right = Math.max(right, cursorX);
      } else {
        if (lineHeight > 0) {
          cursorY += lineHeight + 4;
          lineHeight = 0;
          cursorX = x + 8;
        }
        const rect = place(child, x + 8, cursorY, width - 16);
        cursorY += rect.height + 4;
      }
    }
    cursorY += lineHeight;
    const inline = INLINE.has(node.tag);
    const rect = {
      x,
      y,
      width: inline ? Math.min(width, Math.max(own.width, right - x)) : width,
      height: Math.max(own.height, cursorY - y + 4),
    };
    rects.set(node, rect);
    return rect;
  };
  place(root, 0, 0, pageWidth);
  return rects;
}
