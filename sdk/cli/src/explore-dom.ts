// What the explorer reads inside the page (runs in the browser through page.evaluate, so it must be
// self-contained): visible texts, field values and checked states, storage, the URL, and the interactive
// elements with the facts needed to build user-facing locators for them. Elements are tagged with
// data-shifty-probe so a candidate locator can be checked to resolve to exactly that element.

export type ElementFacts = {
  probe: string;
  kind: "textbox" | "button" | "link" | "checkbox" | "radio" | "combobox" | "itemtext";
  role: string;
  name: string;
  label: string;
  placeholder: string;
  testid: string;
  text: string;
  type: string;
  href: string;
  form: string;
  options: string[];
  minLength: number;
  container: { role: string; text: string } | null;
  /** A disabled control cannot be used: no move is tried on it. */
  disabled: boolean;
};

export type DomSnapshot = {
  url: string;
  title: string;
  heading: string;
  texts: Record<string, number>;
  values: Record<string, string>;
  checked: Record<string, boolean>;
  /** Per element: disabled ("disabled": "true"/"false") and the ARIA states it declares (aria-pressed…). */
  states: Record<string, Record<string, string>>;
  storage: string;
  elements: ElementFacts[];
  /** The probe of the listed element that has the keyboard focus ("" when none of them has it). */
  focused: string;
};

/** Runs in the page. */
export function readDom(): DomSnapshot {
  const norm = (s: string | null | undefined) => (s ?? "").replace(/\s+/g, " ").trim();
  const visible = (el: Element) =>
    typeof (el as HTMLElement).checkVisibility === "function"
      ? (el as HTMLElement).checkVisibility()
      : (el as HTMLElement).offsetParent !== null;
  const w = window as unknown as { __shiftyProbe?: number };
  const probeOf = (el: Element) => {
    let id = el.getAttribute("data-shifty-probe");
    if (!id) {
      w.__shiftyProbe = (w.__shiftyProbe ?? 0) + 1;
      id = `p${w.__shiftyProbe}`;
      el.setAttribute("data-shifty-probe", id);
    }
    return id;
  };
  const ownText = (el: Element) =>
    [...el.childNodes].some((n) => n.nodeType === 3 && norm(n.textContent) !== "");
  const texts: Record<string, number> = {};
  for (const el of document.body.querySelectorAll("*")) {
    if (["SCRIPT", "STYLE", "OPTION", "TEMPLATE"].includes(el.tagName) || !ownText(el) || !visible(el))
      continue;
    const t = norm(el.textContent);
    if (t.length > 0 && t.length <= 80) texts[t] = (texts[t] ?? 0) + 1;
  }
  const labelOf = (el: Element) => {
    const input = el as HTMLInputElement;
    const aria = el.getAttribute("aria-label");
    if (aria) return norm(aria);
    const by = el.getAttribute("aria-labelledby");
    if (by)
      return norm(
        by
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? "")
          .join(" "),
      );
    return input.labels?.length ? norm(input.labels[0]!.textContent) : "";
  };
  const containerOf = (el: Element) => {
    const c = el.closest("li, [role=listitem], tr, [role=row], article");
    if (!c) return null;
    const role = c.matches("tr, [role=row]") ? "row" : c.matches("article") ? "article" : "listitem";
    const first = [...c.querySelectorAll("*")].find(
      (d) => ownText(d) && visible(d) && !d.matches("button, a"),
    );
    return first ? { role, text: norm(first.textContent) } : null;
  };
  const elements: ElementFacts[] = [];
  const values: Record<string, string> = {};
  const checked: Record<string, boolean> = {};
  const states: Record<string, Record<string, string>> = {};
  // Roles a page declares on its own widgets (a tab, a switch…) name them better than the tag does.
  const WIDGET_ROLES = ["button", "link", "tab", "switch", "checkbox", "radio", "menuitem", "option"];
  const ARIA_STATES = ["aria-pressed", "aria-selected", "aria-expanded", "aria-current"];
  const selector =
    "input, textarea, select, button, a[href], li, [role=listitem], " +
    WIDGET_ROLES.map((r) => `[role=${r}]`).join(", ");
  for (const el of document.body.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const tag = el.tagName.toLowerCase();
    const type = el.tagName === "TEXTAREA" ? "textarea" : (el.getAttribute("type") ?? "").toLowerCase();
    let kind: ElementFacts["kind"];
    let target: Element = el;
    if (tag === "li" || el.getAttribute("role") === "listitem") {
      const t = [...el.querySelectorAll("*")].find(
        (d) => ownText(d) && visible(d) && !d.matches("button, a, input, select, textarea"),
      );
      if (!t) continue;
      kind = "itemtext";
      target = t;
    } else if (tag === "select") kind = "combobox";
    else if (tag === "textarea") kind = "textbox";
    else if (tag === "input") {
      if (["hidden", "file", "image", "range", "color"].includes(type)) continue;
      if (type === "checkbox" || type === "radio") kind = type;
      else if (["submit", "button", "reset"].includes(type)) kind = "button";
      else kind = "textbox";
    } else if (tag === "a") kind = "link";
    else kind = "button";
    const probe = probeOf(target);
    const input = el as HTMLInputElement;
    if (kind === "textbox" || kind === "combobox") values[probe] = input.value;
    const declared = el.getAttribute("role") ?? "";
    const ariaChecked = el.getAttribute("aria-checked");
    if (kind === "checkbox" || kind === "radio") checked[probe] = input.checked;
    else if (ariaChecked === "true" || ariaChecked === "false") checked[probe] = ariaChecked === "true";
    const disabled =
      (el as HTMLButtonElement).disabled === true || el.getAttribute("aria-disabled") === "true";
    const state: Record<string, string> = { disabled: String(disabled) };
    for (const a of ARIA_STATES) {
      const v = el.getAttribute(a);
      if (v !== null) state[a] = v;
    }
    if (kind !== "itemtext") states[probe] = state;
    const label = kind === "itemtext" ? "" : labelOf(el);
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what names a button or link.
    const inner = norm((target as HTMLElement).innerText ?? target.textContent);
    const name =
      kind === "textbox" || kind === "combobox" || kind === "checkbox" || kind === "radio"
        ? label || norm(el.getAttribute("placeholder")) || norm(el.getAttribute("title"))
        : label || inner || norm(input.value) || norm(el.getAttribute("title"));
    elements.push({
      probe,
      kind,
      role:
        (kind === "button" || kind === "link") && WIDGET_ROLES.includes(declared)
          ? declared
          : {
              textbox: "textbox",
              button: "button",
              link: "link",
              checkbox: "checkbox",
              radio: "radio",
              combobox: "combobox",
              itemtext: "",
            }[kind],
      name,
      label,
      placeholder: norm(el.getAttribute("placeholder")),
      testid: target.getAttribute("data-testid") ?? "",
      text: inner.length <= 80 ? inner : "",
      type,
      href: tag === "a" ? ((el as HTMLAnchorElement).href ?? "") : "",
      form: el.closest("form") ? probeOf(el.closest("form")!) : "",
      options:
        tag === "select" ? [...(el as unknown as HTMLSelectElement).options].map((o) => norm(o.label)) : [],
      minLength: Math.max(0, input.minLength ?? 0),
      container: containerOf(target),
      disabled,
    });
  }
  let storage = "";
  try {
    storage = JSON.stringify([Object.entries(localStorage).sort(), Object.entries(sessionStorage).sort()]);
  } catch {
    storage = "";
  }
  return {
    url: location.pathname + location.search + location.hash,
    title: document.title,
    heading: norm(document.querySelector("h1")?.textContent),
    texts,
    values,
    checked,
    states,
    storage,
    elements,
    focused: document.activeElement?.getAttribute("data-shifty-probe") ?? "",
  };
}
