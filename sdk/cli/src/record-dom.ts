// What `shifty record` injects into every page (context.addInitScript, so it must be self-contained):
// it reports clicks, debounced fills (one per field value), special key presses, selects and
// check/uncheck to the recorder through the `__shiftyRecord` binding, each with a robust target —
// role + accessible name, label, placeholder, test id and text when they identify the element
// uniquely, plus a CSS selector fallback. Navigations are seen by the recorder itself.
import type { StepTarget } from "@shifty/sdk";

/** A step target the recorder found: its tag and CSS selector always, the handles that were unique. */
export type RecordedTarget = StepTarget & { tag: string; selector: string };

export type RecordedEvent =
  | { kind: "step"; action: string; target?: RecordedTarget; value?: string; url: string; at: number }
  | { kind: "screenshot"; url: string; at: number };

export type CaptureOptions = { binding: string; screenshotKey: string; fillIdleMs: number };

export function captureInPage(options: CaptureOptions): void {
  const w = window as unknown as Record<string, unknown>;
  if (w.__shiftyCapture) return;
  w.__shiftyCapture = true;
  const send = (event: unknown) => {
    const fn = w[options.binding];
    if (typeof fn === "function") (fn as (e: unknown) => unknown)(event);
  };
  const norm = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
  const KEYS = new Set([
    "Enter",
    "Escape",
    "Tab",
    "ArrowUp",
    "ArrowDown",
    "ArrowLeft",
    "ArrowRight",
    "PageUp",
    "PageDown",
    "Home",
    "End",
    "Delete",
    "Backspace",
  ]);
  const TEXT_TYPES = new Set(["", "text", "email", "password", "search", "tel", "url", "number"]);

  const isTextField = (el: Element): el is HTMLInputElement | HTMLTextAreaElement =>
    el instanceof HTMLTextAreaElement ||
    (el instanceof HTMLInputElement && TEXT_TYPES.has((el.getAttribute("type") ?? "").toLowerCase()));
  const isToggle = (el: Element) =>
    el instanceof HTMLInputElement && (el.type === "checkbox" || el.type === "radio");

  function roleOf(el: Element): string {
    const explicit = el.getAttribute("role");
    if (explicit) return explicit.split(/\s+/)[0]!;
    const tag = el.tagName.toLowerCase();
    if (tag === "button") return "button";
    if (tag === "a" && el.hasAttribute("href")) return "link";
    if (tag === "select") return "combobox";
    if (tag === "textarea") return "textbox";
    if (/^h[1-6]$/.test(tag)) return "heading";
    if (tag === "li") return "listitem";
    if (el instanceof HTMLInputElement) {
      const type = el.type;
      if (["button", "submit", "reset", "image"].includes(type)) return "button";
      if (type === "checkbox" || type === "radio") return type;
      if (type === "search") return "searchbox";
      if (TEXT_TYPES.has(type)) return "textbox";
    }
    return "";
  }

  function labelOf(el: Element): string {
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) {
      // The label's own text, without the text of a control nested in it.
      const clone = labels[0]!.cloneNode(true) as Element;
      for (const c of Array.from(clone.querySelectorAll("input,select,textarea,option"))) c.remove();
      return norm(clone.textContent);
    }
    return "";
  }

  function nameOf(el: Element): string {
    const by = el.getAttribute("aria-labelledby");
    if (by) {
      const text = by
        .split(/\s+/)
        .map((id) => norm(document.getElementById(id)?.textContent))
        .join(" ");
      if (norm(text)) return norm(text);
    }
    const aria = norm(el.getAttribute("aria-label"));
    if (aria) return aria;
    const role = roleOf(el);
    if (["textbox", "searchbox", "combobox", "checkbox", "radio"].includes(role)) return labelOf(el);
    if (el instanceof HTMLInputElement) return norm(el.value || el.getAttribute("alt"));
    if (["button", "link", "heading", "listitem"].includes(role) || el.getAttribute("role")) {
      return norm(el.textContent) || norm(el.querySelector("img[alt]")?.getAttribute("alt"));
    }
    return "";
  }

  const count = (selector: string) => {
    try {
      return document.querySelectorAll(selector).length;
    } catch {
      return 0;
    }
  };
  const attr = (name: string, value: string) => `[${name}="${value.replace(/["\\]/g, "\\$&")}"]`;

  function cssPath(el: Element): string {
    if (el.id && /^[A-Za-z][\w-]*$/.test(el.id) && count(`#${el.id}`) === 1) return `#${el.id}`;
    const parts: string[] = [];
    let node: Element | null = el;
    while (node && node !== document.body && parts.length < 6) {
      const tag = node.tagName.toLowerCase();
      const parent: Element | null = node.parentElement;
      const same = parent ? Array.from(parent.children).filter((c) => c.tagName === node!.tagName) : [];
      parts.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(node) + 1})` : tag);
      const selector = parts.join(" > ");
      if (count(selector) === 1) return selector;
      node = parent;
    }
    return `body > ${parts.join(" > ")}`;
  }

  const CANDIDATES = "a,button,input,select,textarea,[role],h1,h2,h3,h4,h5,h6,li,label";

  function describe(el: Element) {
    const target: Record<string, string> = { tag: el.tagName.toLowerCase(), selector: cssPath(el) };
    const role = roleOf(el);
    const name = nameOf(el);
    if (role && name) {
      const same = Array.from(document.querySelectorAll(CANDIDATES)).filter(
        (o) => roleOf(o) === role && nameOf(o) === name,
      );
      if (same.length === 1) {
        target.role = role;
        target.accessibleName = name;
      }
    }
    const label = labelOf(el);
    if (label) {
      const same = Array.from(document.querySelectorAll("input,select,textarea")).filter(
        (o) => labelOf(o) === label,
      );
      if (same.length === 1) target.label = label;
    }
    const placeholder = el.getAttribute("placeholder");
    if (placeholder && count(attr("placeholder", placeholder)) === 1) target.placeholder = placeholder;
    const testId = el.getAttribute("data-testid");
    if (testId && count(attr("data-testid", testId)) === 1) target.testId = testId;
    const text = norm(el.textContent);
    if (text && text.length <= 120 && !isTextField(el)) {
      const same = Array.from(document.body.querySelectorAll("*")).filter(
        (o) =>
          norm(o.textContent) === text && !Array.from(o.children).some((c) => norm(c.textContent) === text),
      );
      if (same.length === 1) target.text = text;
    }
    return target;
  }

  // Fills: one step per field value, sent when the user moves on (or after a pause).
  const pending = new Map<Element, ReturnType<typeof setTimeout>>();
  const sent = new WeakMap<Element, string>();
  function flush(el: Element) {
    const timer = pending.get(el);
    if (timer === undefined) return;
    clearTimeout(timer);
    pending.delete(el);
    const value = (el as HTMLInputElement).value;
    if (sent.get(el) === value) return;
    sent.set(el, value);
    send({ kind: "step", action: "fill", target: describe(el), value, url: location.href, at: Date.now() });
  }
  const flushAll = () => {
    for (const el of Array.from(pending.keys())) flush(el);
  };

  const step = (action: string, el: Element | null, value?: string) => {
    flushAll();
    send({
      kind: "step",
      action,
      ...(el ? { target: describe(el) } : {}),
      ...(value !== undefined ? { value } : {}),
      url: location.href,
      at: Date.now(),
    });
  };

  document.addEventListener(
    "input",
    (e) => {
      const el = e.target as Element;
      if (!isTextField(el)) return;
      const old = pending.get(el);
      if (old !== undefined) clearTimeout(old);
      pending.set(
        el,
        setTimeout(() => flush(el), options.fillIdleMs),
      );
    },
    true,
  );
  document.addEventListener("focusout", (e) => flush(e.target as Element), true);
  document.addEventListener(
    "change",
    (e) => {
      const el = e.target as Element;
      if (isTextField(el)) return flush(el);
      const select = e.target;
      if (select instanceof HTMLSelectElement) {
        const option = select.selectedOptions[0];
        return step("select", el, option ? norm(option.textContent) : select.value);
      }
      if (isToggle(el)) step((el as HTMLInputElement).checked ? "check" : "uncheck", el);
    },
    true,
  );
  document.addEventListener(
    "click",
    (e) => {
      if (!e.isTrusted) return;
      const raw = e.target as Element;
      if (!(raw instanceof Element)) return;
      const label = raw.closest("label");
      const control = label ? (label as HTMLLabelElement).control : null;
      if (isToggle(raw) || (control && isToggle(control))) return; // recorded as check/uncheck
      if (isTextField(raw) || raw instanceof HTMLSelectElement || raw instanceof HTMLOptionElement) return;
      const el =
        raw.closest('a[href],button,input,[role="button"],[role="link"],[role="menuitem"],[role="tab"]') ??
        raw;
      step(e.detail === 2 ? "dblclick" : "click", el);
    },
    true,
  );
  document.addEventListener(
    "keydown",
    (e) => {
      if (!e.isTrusted) return;
      if (e.key === options.screenshotKey) {
        e.preventDefault();
        flushAll();
        send({ kind: "screenshot", url: location.href, at: Date.now() });
        return;
      }
      if (!KEYS.has(e.key)) return;
      const el = e.target instanceof Element && e.target !== document.body ? e.target : null;
      if ((e.key === "Backspace" || e.key === "Delete") && el && isTextField(el)) return; // part of a fill
      const mods = [e.ctrlKey && "Control", e.altKey && "Alt", e.metaKey && "Meta", e.shiftKey && "Shift"];
      step("press", el, [...mods.filter(Boolean), e.key].join("+"));
    },
    true,
  );
  window.addEventListener("pagehide", flushAll);
}
