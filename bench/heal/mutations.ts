/** Realistic page changes between two releases, applied to a copy of the old page. */
import { hashOf, type PageBuilder } from "./pages.ts";
import { el, findParent, type PageNode, walk } from "./tree.ts";

/** The changes of one element that it survives; `mixed` applies two or three of them. */
const ELEMENT_CHANGES = [
  "class-rename",
  "wrapper",
  "reorder",
  "reword",
  "id-regenerated",
  "tag-swap",
  "attribute-removed",
] as const;
export const CHANGE_TYPES = [...ELEMENT_CHANGES, "mixed", "removed"] as const;
export type ChangeType = (typeof CHANGE_TYPES)[number];

const SYNONYMS: Record<string, string[]> = {
  save: ["Save changes", "Store"],
  cancel: ["Discard", "Close"],
  submit: ["Send", "Submit form"],
  continue: ["Proceed", "Next step"],
  "sign in": ["Log in", "Sign into account"],
  "create account": ["Sign up", "Register"],
  apply: ["Apply filters", "Use"],
  reset: ["Clear", "Reset all"],
  next: ["Next page", "Forward"],
  back: ["Previous", "Go back"],
  export: ["Export CSV", "Download report"],
  download: ["Get file", "Download now"],
  edit: ["Modify", "Change"],
  delete: ["Remove", "Delete item"],
  view: ["Open", "Show"],
  archive: ["Move to archive", "Archive item"],
  duplicate: ["Copy", "Clone"],
  "buy now": ["Purchase", "Buy"],
  "add to cart": ["Add to basket", "Add"],
  "learn more": ["Read more", "Details"],
  "view details": ["See details", "More info"],
  subscribe: ["Sign up", "Join"],
};

function reword(text: string, builder: PageBuilder): string {
  const options = SYNONYMS[text.toLowerCase()];
  if (options) return builder.random.pick(options);
  const words = text.split(" ");
  if (words.length > 1 && builder.random.chance(0.5)) return words.slice(0, -1).join(" ");
  return builder.random.chance(0.5) ? `${text} now` : text.toUpperCase();
}

function textChild(node: PageNode): number {
  return node.children.findIndex((child) => typeof child === "string" && child.trim() !== "");
}

/** A new deployment: every generated class hash changes (CSS modules, styled-components). */
export function rebuildHashes(root: PageNode, oldBuild: string, newBuild: string) {
  walk(root, (node) => {
    const classes = node.attrs.class;
    if (!classes) return;
    node.attrs.class = classes
      .split(" ")
      .map((token) => {
        const module = /^(.+?)__([A-Za-z0-9]{5})$/.exec(token);
        if (module) return `${module[1]}__${hashOf(module[1]! + module[2]!, newBuild)}`;
        if (/^sc-/.test(token)) return `sc-${hashOf(token + oldBuild, newBuild).toLowerCase()}`;
        return token;
      })
      .join(" ");
  });
}

function renameClasses(target: PageNode, builder: PageBuilder) {
  const classes = target.attrs.class;
  if (!classes) {
    target.attrs.class = builder.classFor("control", "new");
    return;
  }
  target.attrs.class = classes
    .split(" ")
    .map((token) =>
      /-(primary|secondary|ghost|link|item|title)$/.test(token)
        ? token.replace(/-(\w+)$/, "--$1")
        : token.replace(/^button/, "btn"),
    )
    .join(" ");
}

function wrap(root: PageNode, target: PageNode, builder: PageBuilder) {
  // Wrap the element itself or its parent: both shift the path without changing the element.
  const subject = builder.random.chance(0.5) ? target : (findParent(root, target) ?? target);
  const parent = findParent(root, subject);
  if (!parent || subject.tag === "tr" || subject.tag === "td" || subject.tag === "li") {
    const host = findParent(root, target);
    if (!host) return;
    const at = host.children.indexOf(target);
    host.children[at] = el("div", { class: builder.classFor("wrapper") }, [target]);
    return;
  }
  const at = parent.children.indexOf(subject);
  parent.children[at] = el("div", { class: builder.classFor("container") }, [subject]);
}

function reorder(root: PageNode, target: PageNode, builder: PageBuilder) {
  // Reorder among the siblings of the element or of its nearest ancestor that has siblings.
  let node = target;
  for (let depth = 0; depth < 4; depth++) {
    const parent = findParent(root, node);
    if (!parent) return;
    const siblings = parent.children.filter((child) => typeof child !== "string");
    if (siblings.length > 1) {
      const strings = parent.children.filter((child) => typeof child === "string");
      const before = siblings.indexOf(node);
      builder.random.shuffle(siblings);
      if (siblings.indexOf(node) === before) siblings.push(siblings.splice(before, 1)[0]!);
      parent.children = [...siblings, ...strings];
      return;
    }
    node = parent;
  }
}

function swapTag(target: PageNode) {
  if (target.tag === "button") {
    target.tag = "a";
    delete target.attrs.type;
    target.attrs.href = "#";
    target.attrs.role = "button";
  } else if (target.tag === "a") {
    target.tag = "button";
    delete target.attrs.href;
    target.attrs.type = "button";
  } else if (target.tag === "input") {
    target.tag = "textarea";
    delete target.attrs.type;
  } else if (/^h[1-6]$/.test(target.tag)) {
    target.tag = target.tag === "h2" ? "h3" : "h2";
  } else if (target.tag === "span" || target.tag === "p" || target.tag === "label") {
    target.tag = target.tag === "span" ? "strong" : "div";
  } else {
    // Table cells, list items, images keep their tag; the redesign restyles them instead.
    target.attrs.class = `${target.attrs.class ?? ""} restyled`.trim();
  }
}

function regenerateIds(root: PageNode, target: PageNode, builder: PageBuilder) {
  walk(root, (node) => {
    const id = node.attrs.id;
    if (id && /-[a-z0-9]{5}$/.test(id))
      node.attrs.id = id.replace(/-[a-z0-9]{5}$/, `-${builder.random.hash(5).toLowerCase()}`);
  });
  const id = target.attrs.id;
  if (id && !/-[a-z0-9]{5}$/.test(id))
    target.attrs.id = builder.random.chance(0.5)
      ? `${id}-${builder.random.hash(5).toLowerCase()}`
      : `${id}Field`;
  else if (!id) target.attrs.id = `:r${builder.random.hash(2).toLowerCase()}:`;
}

function removeAttributes(target: PageNode, builder: PageBuilder) {
  const identifying = Object.keys(target.attrs).filter((name) =>
    /^(data-test|data-qa|data-cy|id|name|aria-label|title|placeholder|alt)/.test(name),
  );
  // Bench bookkeeping attributes (data-bench-*) are never part of the page change.
  const removable =
    identifying.length > 0
      ? identifying
      : Object.keys(target.attrs).filter((name) => !name.startsWith("data-bench"));
  if (removable.length === 0) return;
  for (const name of builder.random
    .shuffle(removable)
    .slice(0, Math.max(1, Math.ceil(removable.length / 2)))) {
    delete target.attrs[name];
  }
}

function applyOne(change: ChangeType, root: PageNode, target: PageNode, builder: PageBuilder) {
  switch (change) {
    case "class-rename":
      renameClasses(target, builder);
      break;
    case "wrapper":
      wrap(root, target, builder);
      break;
    case "reorder":
      reorder(root, target, builder);
      break;
    case "reword": {
      const at = textChild(target);
      if (at >= 0) target.children[at] = reword(target.children[at] as string, builder);
      else if (target.attrs.placeholder) target.attrs.placeholder = reword(target.attrs.placeholder, builder);
      else target.attrs["aria-label"] = "Updated label";
      break;
    }
    case "id-regenerated":
      regenerateIds(root, target, builder);
      break;
    case "tag-swap":
      swapTag(target);
      break;
    case "attribute-removed":
      removeAttributes(target, builder);
      break;
    case "removed": {
      const parent = findParent(root, target);
      if (parent) parent.children = parent.children.filter((child) => child !== target);
      break;
    }
    case "mixed":
      for (const sub of builder.random.shuffle([...ELEMENT_CHANGES]).slice(0, builder.random.int(2, 3))) {
        applyOne(sub, root, target, builder);
      }
      break;
  }
}

/** Unrelated churn every release has: an inserted banner, a removed element, a rebuild. */
function background(root: PageNode, target: PageNode, builder: PageBuilder) {
  const body = root.children.find(
    (child): child is PageNode => typeof child !== "string" && child.tag === "body",
  );
  if (body && builder.random.chance(0.6)) {
    body.children.unshift(
      el("div", { class: builder.classFor("banner"), role: "status" }, [
        el("p", {}, ["We updated our terms."]),
        el("button", { type: "button" }, ["Dismiss"]),
      ]),
    );
  }
  if (builder.random.chance(0.5)) {
    const removable: { parent: PageNode; node: PageNode }[] = [];
    walk(root, (node, parent) => {
      if (parent && node !== target && !containsNode(node, target) && /^(li|tr|article|a)$/.test(node.tag))
        removable.push({ parent, node });
    });
    if (removable.length > 0) {
      const { parent, node } = builder.random.pick(removable);
      parent.children = parent.children.filter((child) => child !== node);
    }
  }
}

function containsNode(root: PageNode, target: PageNode): boolean {
  let found = false;
  walk(root, (node) => {
    if (node === target) found = true;
  });
  return found;
}

export function mutate(root: PageNode, target: PageNode, change: ChangeType, builder: PageBuilder) {
  const newBuild = builder.random.hash(5);
  if (builder.style.classes === "modules" || builder.style.classes === "styled")
    rebuildHashes(root, builder.style.build, newBuild);
  background(root, target, builder);
  applyOne(change, root, target, builder);
}
