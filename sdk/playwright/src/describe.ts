import type { ElementDescriptor } from "@shifty/sdk";

export type DescribeOptions = { mode: "element" | "candidates"; maxCandidates?: number };
export type CandidatesSnapshot = { candidates: ElementDescriptor[]; truncated: boolean };

/**
 * Runs IN THE BROWSER (through locator.evaluate / page.evaluate): it is serialised with toString, so it
 * must stay self-contained (no imports, no module-level helpers).
 *
 * - mode "element": the element descriptor (docs/heal-api.md) of `element` (stored so a later run has a target).
 * - mode "candidates": descriptors of the page's interactive and text-bearing elements, walking open
 *   shadow roots and same-origin iframes; the elements are kept in `window.__shiftyCandidates` so the
 *   heal's answer (an index) can be turned back into an element.
 */
export function shiftyDescribe(
  element: Element | null,
  options: DescribeOptions,
): ElementDescriptor | CandidatesSnapshot {
  const MAX_TEXT = 300;
  const MAX_ATTR = 1000;
  const INTERACTIVE = new Set([
    "a",
    "button",
    "input",
    "select",
    "textarea",
    "label",
    "summary",
    "option",
    "details",
  ]);
  const SKIP = new Set([
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "meta",
    "link",
    "svg",
    "path",
    "br",
  ]);
  const IMPLICIT_ROLE: Record<string, string> = {
    a: "link",
    button: "button",
    select: "combobox",
    textarea: "textbox",
    h1: "heading",
    h2: "heading",
    h3: "heading",
    h4: "heading",
    h5: "heading",
    h6: "heading",
    img: "img",
    li: "listitem",
    ul: "list",
    ol: "list",
    nav: "navigation",
    form: "form",
    table: "table",
    option: "option",
    dialog: "dialog",
    summary: "button",
  };
  const INPUT_ROLE: Record<string, string> = {
    checkbox: "checkbox",
    radio: "radio",
    button: "button",
    submit: "button",
    reset: "button",
    range: "slider",
    search: "searchbox",
    email: "textbox",
    text: "textbox",
    tel: "textbox",
    url: "textbox",
    password: "textbox",
    number: "spinbutton",
  };

  const collapse = (s: string | null | undefined, max = MAX_TEXT) =>
    (s ?? "").replace(/\s+/g, " ").trim().slice(0, max);

  const textOf = (el: Element): string => {
    const html = el as HTMLElement;
    if (el.tagName === "INPUT") {
      const input = el as HTMLInputElement;
      return ["button", "submit", "reset"].includes(input.type) ? collapse(input.value) : "";
    }
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text (innerText) is what a user sees and a locator matches.
    return collapse(typeof html.innerText === "string" ? html.innerText : el.textContent);
  };

  const roleOf = (el: Element): string | undefined => {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit.split(/\s+/)[0];
    const tag = el.tagName.toLowerCase();
    if (tag === "input") return INPUT_ROLE[(el as HTMLInputElement).type || "text"] ?? "textbox";
    if (tag === "a" && !el.hasAttribute("href")) return undefined;
    return IMPLICIT_ROLE[tag];
  };

  const nameOf = (el: Element): string | undefined => {
    const aria = el.getAttribute("aria-label");
    if (aria) return collapse(aria);
    const labelledBy = el.getAttribute("aria-labelledby");
    const root = el.getRootNode() as Document | ShadowRoot;
    if (labelledBy && "getElementById" in root) {
      const text = labelledBy
        .split(/\s+/)
        .map((id) => root.getElementById(id)?.textContent ?? "")
        .join(" ");
      if (collapse(text)) return collapse(text);
    }
    const tag = el.tagName.toLowerCase();
    if (tag === "input" || tag === "select" || tag === "textarea") {
      const labels = (el as HTMLInputElement).labels;
      if (labels && labels.length > 0) return collapse(labels[0]!.textContent);
      const placeholder = el.getAttribute("placeholder");
      if (placeholder) return collapse(placeholder);
      const title = el.getAttribute("title");
      if (title) return collapse(title);
      return textOf(el) || undefined;
    }
    if (tag === "img") return collapse(el.getAttribute("alt")) || undefined;
    const text = textOf(el);
    return text || collapse(el.getAttribute("title")) || undefined;
  };

  const xpathOf = (el: Element): string => {
    const parts: string[] = [];
    let node: Element | null = el;
    while (node) {
      const tag = node.tagName.toLowerCase();
      let index = 1;
      for (let s = node.previousElementSibling; s; s = s.previousElementSibling) {
        if (s.tagName === node.tagName) index++;
      }
      parts.unshift(`${tag}[${index}]`);
      node = node.parentElement;
    }
    return `/${parts.join("/")}`;
  };

  const idXpathOf = (el: Element): string | undefined => {
    const parts: string[] = [];
    let node: Element | null = el;
    while (node) {
      const id = node.getAttribute("id");
      if (id && node !== el && !/["']/.test(id)) return `//*[@id='${id}']/${parts.join("/")}`;
      let index = 1;
      for (let s = node.previousElementSibling; s; s = s.previousElementSibling) {
        if (s.tagName === node.tagName) index++;
      }
      parts.unshift(`${node.tagName.toLowerCase()}[${index}]`);
      node = node.parentElement;
    }
    return undefined;
  };

  const attributesOf = (el: Element): Record<string, string> => {
    const out: Record<string, string> = {};
    let count = 0;
    for (const attr of Array.from(el.attributes)) {
      if (count++ >= 100) break;
      if (attr.name.startsWith("on") || attr.name === "style") continue;
      out[attr.name] = attr.value.slice(0, MAX_ATTR);
    }
    return out;
  };

  type Frame = { x: number; y: number };
  const describeOne = (el: Element, offset: Frame): ElementDescriptor => {
    const rect = el.getBoundingClientRect();
    const d: ElementDescriptor = {
      tag: el.tagName.toLowerCase(),
      attributes: attributesOf(el),
      xpath: xpathOf(el),
      rect: {
        x: Math.round(rect.x + offset.x + window.scrollX),
        y: Math.round(rect.y + offset.y + window.scrollY),
        width: Math.round(rect.width),
        height: Math.round(rect.height),
      },
    };
    const text = textOf(el);
    if (text) d.text = text;
    const idXpath = idXpathOf(el);
    if (idXpath) d.idXpath = idXpath;
    const role = roleOf(el);
    if (role) d.role = role;
    const name = nameOf(el);
    if (name) d.accessibleName = name;
    return d;
  };

  const visible = (el: Element): boolean => {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 && rect.height === 0) return false;
    const style = getComputedStyle(el);
    return style.visibility !== "hidden" && style.display !== "none";
  };

  const hasOwnText = (el: Element): boolean => {
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === 3 && (child.textContent ?? "").trim() !== "") return true;
    }
    return false;
  };

  const isCandidate = (el: Element): boolean => {
    const tag = el.tagName.toLowerCase();
    if (SKIP.has(tag)) return false;
    if (INTERACTIVE.has(tag)) return true;
    if (el.hasAttribute("role") || el.hasAttribute("onclick") || el.hasAttribute("tabindex")) return true;
    if (el.hasAttribute("contenteditable") || el.hasAttribute("data-testid")) return true;
    if (tag === "img" && el.hasAttribute("alt")) return true;
    return hasOwnText(el);
  };

  /** Depth-first over a root, entering open shadow roots and same-origin iframes. */
  const walk = (
    root: Document | ShadowRoot | Element,
    offset: Frame,
    visit: (el: Element, offset: Frame) => boolean,
  ) => {
    const stack: { node: Element | Document | ShadowRoot; offset: Frame }[] = [{ node: root, offset }];
    while (stack.length > 0) {
      const { node, offset: at } = stack.pop()!;
      const children = Array.from((node as ParentNode).children ?? []);
      for (let i = children.length - 1; i >= 0; i--) {
        const child = children[i]!;
        if (SKIP.has(child.tagName.toLowerCase())) continue;
        if (!visit(child, at)) return;
        stack.push({ node: child, offset: at });
        const shadow = (child as HTMLElement).shadowRoot;
        if (shadow) stack.push({ node: shadow, offset: at });
        if (child.tagName === "IFRAME") {
          try {
            const doc = (child as HTMLIFrameElement).contentDocument;
            const r = child.getBoundingClientRect();
            if (doc?.documentElement) stack.push({ node: doc, offset: { x: at.x + r.x, y: at.y + r.y } });
          } catch {
            // cross-origin: not ours to read
          }
        }
      }
    }
  };

  const neighbours = (items: { el: Element; d: ElementDescriptor }[], texts: { d: ElementDescriptor }[]) => {
    for (const item of items) {
      const r = item.d.rect;
      if (!r) continue;
      const cx = r.x + r.width / 2;
      const cy = r.y + r.height / 2;
      const best: Record<string, { dist: number; text: string }> = {};
      for (const other of texts) {
        if (other.d === item.d || !other.d.text || !other.d.rect || other.d.text === item.d.text) continue;
        const o = other.d.rect;
        const ox = o.x + o.width / 2;
        const oy = o.y + o.height / 2;
        const dx = ox - cx;
        const dy = oy - cy;
        const dir = Math.abs(dy) >= Math.abs(dx) ? (dy < 0 ? "above" : "below") : dx < 0 ? "left" : "right";
        const dist = Math.hypot(dx, dy);
        if (dist > 400) continue;
        if (!best[dir] || dist < best[dir]!.dist) best[dir] = { dist, text: other.d.text.slice(0, 120) };
      }
      const n: Record<string, string> = {};
      for (const [dir, v] of Object.entries(best)) n[dir] = v.text;
      if (Object.keys(n).length > 0) item.d.neighborText = n;
    }
  };

  if (options.mode === "element" && element) {
    const d = describeOne(element, { x: 0, y: 0 });
    // Neighbour text from a bounded neighbourhood: the capture runs on the happy path and must stay cheap.
    let scope: Element = element;
    for (let i = 0; i < 4 && scope.parentElement; i++) scope = scope.parentElement;
    const texts: { el: Element; d: ElementDescriptor }[] = [];
    walk(scope, { x: 0, y: 0 }, (el) => {
      if (el !== element && hasOwnText(el)) {
        const rect = el.getBoundingClientRect();
        const text = textOf(el);
        if (text) {
          texts.push({
            el,
            d: {
              tag: "x",
              text,
              rect: {
                x: rect.x + window.scrollX,
                y: rect.y + window.scrollY,
                width: rect.width,
                height: rect.height,
              },
            },
          });
        }
      }
      return texts.length < 300;
    });
    neighbours([{ el: element, d }], texts);
    return d;
  }

  const max = options.maxCandidates ?? 4000;
  const found: { el: Element; d: ElementDescriptor }[] = [];
  let truncated = false;
  walk(document, { x: 0, y: 0 }, (el, offset) => {
    if (isCandidate(el) && visible(el)) {
      if (found.length >= max) {
        truncated = true;
        return false;
      }
      found.push({ el, d: describeOne(el, offset) });
    }
    return true;
  });
  if (found.length <= 2000) neighbours(found, found);
  (window as unknown as { __shiftyCandidates: Element[] }).__shiftyCandidates = found.map((f) => f.el);
  return { candidates: found.map((f) => f.d), truncated };
}

/**
 * Runs IN THE BROWSER: selectors that match candidate `index` (from the last candidates snapshot), most
 * durable first, each checked unique within the element's own document or shadow root, plus the css
 * selectors of the iframes around it (outermost first). The Node side verifies with Playwright.
 */
export function shiftySelectorsFor(index: number): { frames: string[]; selectors: string[] } | null {
  const el = (window as unknown as { __shiftyCandidates?: Element[] }).__shiftyCandidates?.[index];
  if (!el) return null;
  const q = (v: string) => JSON.stringify(v);
  const esc = (v: string) => (window.CSS && CSS.escape ? CSS.escape(v) : v.replace(/[^\w-]/g, "\\$&"));
  const root = el.getRootNode() as Document | ShadowRoot;
  const unique = (sel: string) => {
    try {
      const all = root.querySelectorAll(sel);
      return all.length === 1 && all[0] === el;
    } catch {
      return false;
    }
  };
  const tag = el.tagName.toLowerCase();
  const out: string[] = [];
  const add = (sel: string) => {
    if (!out.includes(sel) && unique(sel)) out.push(sel);
  };
  for (const attr of ["data-testid", "data-test-id", "data-test", "data-qa", "data-cy"]) {
    const v = el.getAttribute(attr);
    if (v) add(`[${attr}=${q(v)}]`);
  }
  const id = el.getAttribute("id");
  if (id && !/\d{3,}|[:]/.test(id)) add(`#${esc(id)}`);
  for (const attr of ["name", "aria-label", "placeholder", "title", "alt", "href"]) {
    const v = el.getAttribute(attr);
    if (v) add(`${tag}[${attr}=${q(v)}]`);
  }
  for (const cls of Array.from(el.classList).slice(0, 4)) {
    if (!/\d{3,}|__[a-z0-9]{4,}$/i.test(cls)) add(`${tag}.${esc(cls)}`);
  }
  // Positional path inside its own root: always unique, least durable.
  const parts: string[] = [];
  let node: Element | null = el;
  while (node?.parentNode && node !== root.firstElementChild) {
    let n = 1;
    for (let s = node.previousElementSibling; s; s = s.previousElementSibling)
      if (s.tagName === node.tagName) n++;
    parts.unshift(`${node.tagName.toLowerCase()}:nth-of-type(${n})`);
    if (node.parentNode === root) break;
    node = node.parentElement;
  }
  if (parts.length > 0) add(parts.join(" > "));
  // Inside a shadow root: prefix the host chain (Playwright's CSS pierces open shadow roots).
  if (root instanceof ShadowRoot) {
    const host = root.host;
    const hostSel = host.getAttribute("id")
      ? `#${esc(host.getAttribute("id")!)}`
      : host.tagName.toLowerCase();
    for (let i = 0; i < out.length; i++) out[i] = `${hostSel} ${out[i]}`;
  }
  const frames: string[] = [];
  let doc: Document = el.ownerDocument;
  while (doc.defaultView?.frameElement) {
    const frame = doc.defaultView.frameElement as HTMLIFrameElement;
    const parentDoc = frame.ownerDocument;
    let sel = frame.getAttribute("id") ? `#${esc(frame.getAttribute("id")!)}` : "";
    if (!sel && frame.getAttribute("name")) sel = `iframe[name=${q(frame.getAttribute("name")!)}]`;
    if (!sel || parentDoc.querySelectorAll(sel).length !== 1) {
      const index = Array.from(parentDoc.querySelectorAll("iframe")).indexOf(frame);
      sel = `iframe >> nth=${index}`;
    }
    frames.unshift(sel);
    doc = parentDoc;
  }
  return { frames, selectors: out };
}
