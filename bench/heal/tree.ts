/** A tiny mutable element tree for generating pages, serialised to HTML for the engine. */
export type PageNode = { tag: string; attrs: Record<string, string>; children: (PageNode | string)[] };

export function el(
  tag: string,
  attrs: Record<string, string> = {},
  children: (PageNode | string)[] = [],
): PageNode {
  return { tag, attrs, children };
}

export function clone(node: PageNode): PageNode {
  return {
    tag: node.tag,
    attrs: { ...node.attrs },
    children: node.children.map((child) => (typeof child === "string" ? child : clone(child))),
  };
}

export function walk(
  node: PageNode,
  visit: (node: PageNode, parent: PageNode | null) => void,
  parent: PageNode | null = null,
) {
  visit(node, parent);
  for (const child of node.children) if (typeof child !== "string") walk(child, visit, node);
}

export function findParent(root: PageNode, target: PageNode): PageNode | null {
  let found: PageNode | null = null;
  walk(root, (node, parent) => {
    if (node === target) found = parent;
  });
  return found;
}

const VOID = new Set(["input", "img", "br", "hr", "meta", "link"]);

function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
}

export function toHtml(
  node: PageNode,
  extra?: (node: PageNode) => Record<string, string> | undefined,
): string {
  const attrs = { ...node.attrs, ...(extra?.(node) ?? {}) };
  const attributeText = Object.entries(attrs)
    .map(([name, value]) =>
      value === "" && name === "hidden" ? " hidden" : ` ${name}="${escapeAttribute(value)}"`,
    )
    .join("");
  if (VOID.has(node.tag)) return `<${node.tag}${attributeText}>`;
  const inner = node.children
    .map((child) => (typeof child === "string" ? escapeText(child) : toHtml(child, extra)))
    .join("");
  return `<${node.tag}${attributeText}>${inner}</${node.tag}>`;
}

export function countElements(node: PageNode): number {
  let count = 0;
  walk(node, () => count++);
  return count;
}
