/**
 * A small builder for Atlassian Document Format (ADF v1), the rich-text JSON Jira Cloud REST v3 takes in
 * `description`. Only the nodes we emit: doc, heading, paragraph, text (with link/strong/code marks),
 * bulletList/orderedList/listItem, codeBlock, rule.
 * Spec: https://developer.atlassian.com/cloud/jira/platform/apis/document/structure/
 */
export type AdfMark =
  | { type: "strong" }
  | { type: "code" }
  | { type: "em" }
  | { type: "link"; attrs: { href: string } };
export type AdfText = { type: "text"; text: string; marks?: AdfMark[] };
export type AdfInline = AdfText | { type: "hardBreak" };
export type AdfBlock =
  | { type: "paragraph"; content: AdfInline[] }
  | { type: "heading"; attrs: { level: 1 | 2 | 3 | 4 | 5 | 6 }; content: AdfInline[] }
  | { type: "bulletList" | "orderedList"; content: AdfListItem[] }
  | { type: "codeBlock"; attrs?: { language?: string }; content: AdfText[] }
  | { type: "rule" };
export type AdfListItem = { type: "listItem"; content: AdfBlock[] };
export type AdfDoc = { type: "doc"; version: 1; content: AdfBlock[] };

/** ADF rejects empty text nodes; every builder drops them. */
export function text(value: string, ...marks: AdfMark[]): AdfText {
  return marks.length ? { type: "text", text: value, marks } : { type: "text", text: value };
}
export const strong = (value: string) => text(value, { type: "strong" });
export const code = (value: string) => text(value, { type: "code" });
export const link = (value: string, href: string) => text(value, { type: "link", attrs: { href } });

const nonEmpty = (inline: AdfInline[]) => inline.filter((n) => n.type !== "text" || n.text.length > 0);

export function paragraph(...content: AdfInline[]): AdfBlock {
  return { type: "paragraph", content: nonEmpty(content) };
}
export function heading(level: 1 | 2 | 3 | 4 | 5 | 6, value: string): AdfBlock {
  return { type: "heading", attrs: { level }, content: nonEmpty([text(value)]) };
}
export function bulletList(items: AdfInline[][]): AdfBlock {
  return {
    type: "bulletList",
    content: items.map((inline) => ({ type: "listItem", content: [paragraph(...inline)] })),
  };
}
export function orderedList(items: AdfInline[][]): AdfBlock {
  return {
    type: "orderedList",
    content: items.map((inline) => ({ type: "listItem", content: [paragraph(...inline)] })),
  };
}
export function codeBlock(value: string, language?: string): AdfBlock {
  return {
    type: "codeBlock",
    ...(language ? { attrs: { language } } : {}),
    content: value ? [text(value)] : [],
  };
}
export const rule = (): AdfBlock => ({ type: "rule" });

export function doc(...content: AdfBlock[]): AdfDoc {
  // An empty list is invalid ADF; drop it rather than send a 400-bound document.
  return {
    type: "doc",
    version: 1,
    content: content.filter((b) => !("content" in b) || b.type === "paragraph" || b.content.length > 0),
  };
}
