/** Implicit ARIA roles (html-aam) and a practical accessible-name approximation from a descriptor. */
import type { ElementDescriptor } from "./types.ts";

const INPUT_ROLES: Record<string, string> = {
  button: "button",
  submit: "button",
  reset: "button",
  image: "button",
  checkbox: "checkbox",
  radio: "radio",
  range: "slider",
  number: "spinbutton",
  search: "searchbox",
  email: "textbox",
  tel: "textbox",
  text: "textbox",
  url: "textbox",
  password: "textbox",
};

const TAG_ROLES: Record<string, string> = {
  button: "button",
  summary: "button",
  textarea: "textbox",
  option: "option",
  h1: "heading",
  h2: "heading",
  h3: "heading",
  h4: "heading",
  h5: "heading",
  h6: "heading",
  ul: "list",
  ol: "list",
  li: "listitem",
  nav: "navigation",
  main: "main",
  header: "banner",
  footer: "contentinfo",
  aside: "complementary",
  article: "article",
  form: "form",
  table: "table",
  tr: "row",
  td: "cell",
  th: "columnheader",
  dialog: "dialog",
  progress: "progressbar",
  hr: "separator",
};

/** Roles a user can activate; a button restyled as a link (or back) is still the same control. */
export const ACTIVATABLE_ROLES = new Set(["button", "link", "menuitem", "tab", "switch"]);

export function implicitRole(tag: string, attributes: Record<string, string>): string | null {
  switch (tag) {
    case "a":
    case "area":
      return attributes.href !== undefined ? "link" : null;
    case "input": {
      const type = (attributes.type ?? "text").toLowerCase();
      if (type === "hidden") return null;
      if (attributes.list !== undefined && INPUT_ROLES[type] === "textbox") return "combobox";
      return INPUT_ROLES[type] ?? "textbox";
    }
    case "select":
      return attributes.multiple !== undefined ? "listbox" : "combobox";
    case "img":
      return attributes.alt === "" ? "presentation" : "img";
    case "section":
      return attributes["aria-label"] !== undefined ? "region" : null;
    default:
      return TAG_ROLES[tag] ?? null;
  }
}

export function roleOf(descriptor: ElementDescriptor, tag: string, attributes: Record<string, string>) {
  const explicit = descriptor.role ?? attributes.role;
  if (explicit && explicit.trim() !== "") return explicit.trim().split(/\s+/)[0]!.toLowerCase();
  return implicitRole(tag, attributes);
}

/** Roles whose accessible name comes from their content (accname 1.2 "name from content"). */
const NAME_FROM_CONTENT = new Set([
  "button",
  "link",
  "heading",
  "cell",
  "columnheader",
  "option",
  "menuitem",
  "tab",
  "listitem",
  "checkbox",
  "radio",
  "switch",
]);

export function accessibleNameOf(
  descriptor: ElementDescriptor,
  tag: string,
  attributes: Record<string, string>,
  role: string | null,
): string {
  if (descriptor.accessibleName !== undefined) return descriptor.accessibleName;
  const label = attributes["aria-label"];
  if (label && label.trim() !== "") return label;
  if (tag === "img" || (tag === "input" && attributes.type === "image")) return attributes.alt ?? "";
  if (tag === "input" && /^(submit|button|reset)$/i.test(attributes.type ?? ""))
    return attributes.value ?? "";
  if (role && NAME_FROM_CONTENT.has(role) && descriptor.text) return descriptor.text;
  return attributes.title ?? attributes.placeholder ?? "";
}
