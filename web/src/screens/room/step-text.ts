// A recorded step as a sentence for the timeline ("Click button 'Add to cart'", "Fill 'Email' with
// “ada@example.com”"). Steps come from the composer or from `shifty record`, whose targets carry
// role, accessible name, label, placeholder, test id, text and a selector (docs/room-protocol.md).

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

const VERBS: Record<string, string> = {
  click: "Click",
  dblclick: "Double-click",
  fill: "Fill",
  press: "Press",
  select: "Select",
  check: "Check",
  uncheck: "Uncheck",
  navigate: "Navigate to",
  goto: "Navigate to",
  reload: "Reload",
};

/** The element as a reader would name it: `button 'Add to cart'`, `'Email'`, else its selector. */
export function stepTargetText(target: unknown): string | undefined {
  if (typeof target === "string") return str(target);
  if (!target || typeof target !== "object") return undefined;
  const t = target as Record<string, unknown>;
  const named = str(t.label) ?? str(t.placeholder) ?? str(t.accessibleName);
  const role = str(t.role);
  if (named)
    return role && ["button", "link", "checkbox", "radio", "tab"].includes(role)
      ? `${role} '${named}'`
      : `'${named}'`;
  if (str(t.testId)) return `test id '${str(t.testId)}'`;
  if (str(t.text)) return `'${str(t.text)}'`;
  return str(t.selector) ?? str(t.xpath) ?? str(t.tag);
}

export function stepSentence(data: Record<string, unknown>): string {
  const action = str(data.action) ?? "step";
  const verb = VERBS[action.toLowerCase()] ?? action;
  const target = stepTargetText(data.target);
  const value = typeof data.value === "string" ? data.value : undefined;
  const short = (s: string) => (s.length > 80 ? `${s.slice(0, 79)}…` : s);
  switch (action.toLowerCase()) {
    case "navigate":
    case "goto":
      return `${verb} ${short(str(data.url) ?? value ?? "a page")}`;
    case "fill":
      return `${verb} ${target ?? "a field"} with “${short(value ?? "")}”`;
    case "press":
      return target ? `${verb} ${value ?? "a key"} in ${target}` : `${verb} ${value ?? "a key"}`;
    case "select":
      return `${verb} '${short(value ?? "")}' in ${target ?? "a list"}`;
    default:
      return [verb, target, value !== undefined ? `→ “${short(value)}”` : undefined]
        .filter(Boolean)
        .join(" ");
  }
}
