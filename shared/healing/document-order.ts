/**
 * Candidates in document order again after foster parenting. A browser moves content written in a
 * table outside any cell before the table (open-elements.ts fosterNext); the page builder numbers
 * candidates and texts as it reads them, so such an element gets its number after what the table
 * held before it, while dom.ts reads candidates as document order (an element's descendants right
 * after it, its texts one range). Pages with such markup are few, so the builder renumbers the
 * page once, in one walk of the finished tree, only when it fostered something.
 */
import { type BuiltPage, NONE } from "./page-arrays.ts";

/**
 * Renumbers the candidates of `page` (and reorders its listed texts; `textNodes[k]` is the node of
 * `texts[k]`) in document order, with depths, parent candidates and text ranges read off the tree.
 */
export function renumberInDocumentOrder(page: BuiltPage, textNodes: readonly number[]): void {
  const { nodes } = page;
  const count = page.nodeOf.length;
  const textOfNode = new Int32Array(nodes.count).fill(-1);
  for (let k = 0; k < page.texts.length; k++) textOfNode[textNodes[k]!] = k;
  const oldOf = new Int32Array(count);
  const newOf = new Int32Array(count);
  const depth = new Int32Array(count);
  const parentIndex = new Int32Array(count);
  const textStart = new Int32Array(count);
  const textEnd = new Int32Array(count);
  const texts: string[] = new Array(page.texts.length);
  let candidates = 0;
  let listed = 0;
  // The open elements of the walk, and per open element the nearest candidate at or above it.
  const path: number[] = [];
  const owners: number[] = [-1];
  const leave = (node: number) => {
    const old = nodes.index[node]!;
    if (old >= 0) textEnd[newOf[old]!] = listed;
  };
  let node = nodes.rootFirst;
  while (node !== NONE) {
    if (nodes.isText[node] === 1) {
      const k = textOfNode[node]!;
      if (k >= 0) texts[listed++] = page.texts[k]!;
    } else {
      const old = nodes.index[node]!;
      if (old >= 0) {
        const index = candidates++;
        oldOf[index] = old;
        newOf[old] = index;
        depth[index] = path.length;
        parentIndex[index] = owners[owners.length - 1]!;
        textStart[index] = listed;
      }
      const first = nodes.firstChild[node]!;
      if (first !== NONE) {
        path.push(node);
        owners.push(old >= 0 ? newOf[old]! : owners[owners.length - 1]!);
        node = first;
        continue;
      }
      leave(node);
    }
    // On to the next sibling, leaving the elements whose last child this was.
    while (nodes.next[node] === NONE && path.length > 0) {
      node = path.pop()!;
      owners.pop();
      leave(node);
    }
    node = nodes.next[node]!;
  }
  // Every candidate and listed text is in the tree; were one not, the page is left as built.
  if (candidates !== count || listed !== page.texts.length) return;
  const nodeOf = page.nodeOf.slice();
  const hiddenFlags = page.hiddenFlags.slice();
  const tags = page.tags.slice();
  for (let index = 0; index < candidates; index++) {
    const old = oldOf[index]!;
    page.nodeOf[index] = nodeOf[old]!;
    page.hiddenFlags[index] = hiddenFlags[old]!;
    page.tags[index] = tags[old]!;
    nodes.index[nodeOf[old]!] = index;
  }
  page.depth.set(depth);
  page.parentIndex.set(parentIndex);
  page.textStart.set(textStart);
  page.textEnd.set(textEnd);
  page.texts = texts;
  for (const [id, old] of page.labelFor) page.labelFor.set(id, newOf[old]!);
}
