/**
 * The domhandler-shaped light tree of a parsed page (dom-nodes.ts), built from its node arrays
 * (page-builder.ts) only when something walks the whole document: css-select or the xpath
 * evaluator finding the old element of a previousDom, or a caller listing `page.elements`. A heal
 * with a stored target or an indexed xpath never builds it.
 */
import { type ChildNode, type Describer, Element, type Root, TextNode } from "./dom-nodes.ts";
import { NONE, type PageNodes } from "./page-arrays.ts";

export type PageTree = {
  document: Root;
  /** By node id. */
  nodes: ChildNode[];
};

/** `attributesOf(id)`: the attributes object of element `id` (the page memoises it). */
export function buildTree(
  owner: Describer,
  nodes: PageNodes,
  attributesOf: (id: number) => Record<string, string>,
): PageTree {
  const document: Root = { type: "root", children: [], parent: null, prev: null, next: null };
  const objects: ChildNode[] = new Array(nodes.count);
  const { names, isText, parent, next, prev, index, firstChild } = nodes;
  // A parent's id is below its children's, so parents exist when their children are made, except
  // for a copy a browser wraps around what an element held (browser-tree.ts, adopt): set after.
  const late: number[] = [];
  for (let id = 0; id < nodes.count; id++) {
    const parentId = parent[id]!;
    if (parentId > id) late.push(id);
    const parentNode = parentId === NONE || parentId > id ? document : (objects[parentId] as Element);
    objects[id] =
      isText[id] === 1
        ? new TextNode(names[id]!, parentNode)
        : new Element(owner, id, index[id]!, names[id]!, attributesOf(id), parentNode);
  }
  // Children in sibling order, which is document order except for nodes the builder adds before
  // or around nodes it made earlier (browser-tree.ts: copies of a formatting element; foster
  // parenting).
  const childrenOf = (first: number): ChildNode[] => {
    const children: ChildNode[] = [];
    for (let child = first; child !== NONE; child = next[child]!) children.push(objects[child]!);
    return children;
  };
  for (const id of late) objects[id]!.parent = objects[parent[id]!] as Element;
  if (nodes.rootFirst !== NONE) document.children = childrenOf(nodes.rootFirst);
  for (let id = 0; id < nodes.count; id++) {
    const node = objects[id]!;
    const before = prev[id]!;
    const after = next[id]!;
    node.prev = before === NONE ? null : objects[before]!;
    node.next = after === NONE ? null : objects[after]!;
    if (isText[id] === 0 && firstChild[id] !== NONE) (node as Element).children = childrenOf(firstChild[id]!);
  }
  return { document, nodes: objects };
}
