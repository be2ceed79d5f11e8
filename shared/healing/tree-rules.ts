/**
 * The parts of a browser's HTML tree construction (the HTML standard's insertion modes) that the
 * page builder (page-builder.ts) follows on top of htmlparser2, so that the elements a page has, and
 * so the xpaths and CSS paths the engine reads and returns, are the ones a browser builds
 * (docs/heal-model.md, "The page as the browser builds it"). Tag sets only; browser-tree.ts applies them.
 */

export const HEADINGS = new Set(["h1", "h2", "h3", "h4", "h5", "h6"]);

/** What stays in the head: any other start tag (or text) ends it and opens the body. */
export const HEAD_CONTENT = new Set([
  "base",
  "basefont",
  "bgsound",
  "link",
  "meta",
  "noframes",
  "noscript",
  "script",
  "style",
  "template",
  "title",
]);

/** Start tags that close an open `<p>` in button scope (with whatever is still open inside it). */
export const CLOSES_P = new Set([
  "address",
  "article",
  "aside",
  "blockquote",
  "center",
  "dd",
  "details",
  "dialog",
  "dir",
  "div",
  "dl",
  "dt",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  ...HEADINGS,
  "header",
  "hgroup",
  "hr",
  "li",
  "listing",
  "main",
  "menu",
  "nav",
  "ol",
  "p",
  "plaintext",
  "pre",
  "search",
  "section",
  "summary",
  "table",
  "ul",
  "xmp",
]);

/** Where a search for an open element stops (the standard's default scope). */
export const DEFAULT_SCOPE = new Set([
  "applet",
  "caption",
  "html",
  "marquee",
  "object",
  "table",
  "td",
  "template",
  "th",
  // MathML and SVG integration points (names as the builder keeps them).
  "annotation-xml",
  "mi",
  "mn",
  "mo",
  "ms",
  "mtext",
  "desc",
  "foreignObject",
  "foreignobject",
  "title",
]);

/** Elements an end tag such as `</form>` ends first when they are the current element. */
export const IMPLIED_END = new Set(["dd", "dt", "li", "optgroup", "option", "p", "rb", "rp", "rt", "rtc"]);

/** Ruby parts: their start tags end the parts left open before them (open-elements.ts). */
export const RUBY_PARTS = new Set(["rb", "rp", "rt", "rtc"]);

/** Where a search for an open `<p>` stops (the standard's button scope). */
export const BUTTON_SCOPE = new Set([...DEFAULT_SCOPE, "button"]);

/**
 * Elements a new `<li>` (or `<dd>`/`<dt>`) does not look past for an open one to close, except
 * address, div and p (the standard's "special" category, the part that can be open around a list
 * item).
 */
export const LIST_ITEM_BARRIERS = new Set([
  "applet",
  "article",
  "aside",
  "blockquote",
  "body",
  "button",
  "caption",
  "center",
  "colgroup",
  "details",
  "dialog",
  "dir",
  "dl",
  "fieldset",
  "figcaption",
  "figure",
  "footer",
  "form",
  "frameset",
  ...HEADINGS,
  "header",
  "hgroup",
  "html",
  "iframe",
  "listing",
  "main",
  "marquee",
  "menu",
  "nav",
  "object",
  "ol",
  "plaintext",
  "pre",
  "search",
  "section",
  "select",
  "summary",
  "table",
  "tbody",
  "td",
  "template",
  "textarea",
  "tfoot",
  "th",
  "thead",
  "tr",
  "ul",
  "xmp",
]);

/** Which open list items a new list item closes. */
export const LIST_ITEM_PEERS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ["li", new Set(["li"])],
  ["dd", new Set(["dd", "dt"])],
  ["dt", new Set(["dd", "dt"])],
]);

/** Table parts: a browser ignores their start tags outside a table (their content stays). */
export const TABLE_PARTS = new Set([
  "caption",
  "col",
  "colgroup",
  "tbody",
  "td",
  "tfoot",
  "th",
  "thead",
  "tr",
]);

/** What ends a tbody the builder implied: another table section, or the table's own end. */
export const TABLE_SECTIONS = new Set(["thead", "tbody", "tfoot", "caption", "colgroup", "col"]);

/** What ends a row the builder implied: another row or a table section. */
export const ROW_ENDERS = new Set(["tr", ...TABLE_SECTIONS]);

/**
 * Formatting elements: a browser keeps them in its list of active formatting elements, and opens
 * again (reconstructs) the ones a block ended before their end tag came, in the next text or inline
 * element (`<div><b>x</div><div>y` → `<div><b>y</b></div>`).
 */
export const FORMATTING = new Set([
  "a",
  "b",
  "big",
  "code",
  "em",
  "font",
  "i",
  "nobr",
  "s",
  "small",
  "strike",
  "strong",
  "tt",
  "u",
]);

/** Elements that put a marker on that list: formatting opened outside them is not reopened inside. */
export const FORMATTING_MARKERS = new Set(["applet", "caption", "marquee", "object", "td", "th"]);

/** Start tags that do not reopen formatting elements (blocks and what a body does not hold). */
export const NO_RECONSTRUCT = new Set([
  ...CLOSES_P,
  ...HEAD_CONTENT,
  ...TABLE_PARTS,
  "body",
  "frame",
  "frameset",
  "head",
  "html",
  "iframe",
  "noembed",
  "rb",
  "rp",
  "rt",
  "rtc",
  "textarea",
]);

/**
 * Table structure as the current element: what a browser reads in its table modes, where a start tag
 * that is no table part does not open inside it (a `<form>` opens there empty).
 */
export const TABLE_CONTEXT = new Set(["table", "tbody", "thead", "tfoot", "tr"]);

/**
 * Start tags that open inside table structure; any other element (and text other than spaces)
 * written there a browser moves before the table (foster parenting). A hidden input stays too.
 */
export const STAYS_IN_TABLE = new Set([...TABLE_PARTS, "table", "form", "script", "style", "template"]);

/** Where fostered elements end at a table part's start tag: the nearest of these holds it. */
export const TABLE_BOUNDARIES = new Set(["table", "td", "th", "caption", "template"]);

/** Open elements whose text and start tags reopen nothing (table structure, select, raw text). */
export const NO_RECONSTRUCT_INSIDE = new Set([
  ...TABLE_CONTEXT,
  "select",
  "textarea",
  "xmp",
  "iframe",
  "noembed",
  "noframes",
  "plaintext",
]);

/**
 * The standard's "special" elements that an `<a>` left open can hold: when the next `<a>` comes,
 * a browser moves the first of them (with what is open in it) out of the old `<a>`.
 */
export const SPECIAL_BLOCKS = new Set([
  ...CLOSES_P,
  ...HEADINGS,
  "applet",
  "button",
  "caption",
  "marquee",
  "object",
  "select",
  "tbody",
  "td",
  "textarea",
  "tfoot",
  "th",
  "thead",
  "tr",
]);

// What an open element's close undoes (browser-tree.ts keeps one kind per open element).
export const PLAIN = 0;
export const PARAGRAPH = 1;
export const FORMATTING_KIND = 2;
export const MARKER_KIND = 3;
export const KINDS = new Map<string, number>([
  ["p", PARAGRAPH],
  ...[...FORMATTING].map((name): [string, number] => [name, FORMATTING_KIND]),
  ...[...FORMATTING_MARKERS].map((name): [string, number] => [name, MARKER_KIND]),
]);
