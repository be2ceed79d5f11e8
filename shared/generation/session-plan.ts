// Plans one Playwright test from a manual session's timeline (docs/test-generation.md, "From a
// session"): steps become actions on user-facing locators, expectation notes and findings become
// web-first assertions, navigations become relative `page.goto` calls (or URL assertions when a click
// caused them). Pure and deterministic; the source is rendered by ./session-render.ts.
import type { Target } from "../contract/generation.ts";
import type { RoomEvent } from "../contract/room.ts";

/** A user-facing target, or the recorded CSS/XPath selector when the step carried nothing better. */
export type SessionLocator = Target | { by: "css"; selector: string };

export type ActType = "click" | "dblclick" | "fill" | "press" | "select" | "check" | "uncheck";

export type SessionOp =
  | { op: "goto"; url: string }
  | { op: "reload" }
  | { op: "act"; type: ActType; locator?: SessionLocator; value?: string }
  | { op: "expect-url"; url: string }
  | { op: "expect-visible" | "expect-hidden"; text: string }
  | { op: "expect-text"; locator: SessionLocator; text: string; exact: boolean }
  | { op: "comment"; text: string };

export type SessionPlan = {
  file: string;
  name: string;
  intent: string;
  /** Origin of the recorded pages (else the session's URL): the generated config's default baseURL. */
  appUrl: string;
  ops: SessionOp[];
  figures: { pages: number; interactions: number; tests: number; assertions: number };
};

export type SessionSource = { title: string; charter: string; url: string | null };

const ACTIONS: Record<string, ActType | "goto" | "reload"> = {
  click: "click",
  tap: "click",
  dblclick: "dblclick",
  doubleclick: "dblclick",
  fill: "fill",
  type: "fill",
  input: "fill",
  press: "press",
  key: "press",
  keypress: "press",
  select: "select",
  choose: "select",
  check: "check",
  uncheck: "uncheck",
  navigate: "goto",
  navigation: "goto",
  goto: "goto",
  open: "goto",
  visit: "goto",
  reload: "reload",
};
/** A navigation this soon after a click/press/select/check is taken as its consequence. */
const CAUSED_WITHIN_MS = 5_000;

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim().length > 0 ? v.trim() : undefined;
const oneLine = (s: string, max = 160) => {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
};

/** The best locator a step target allows: role+name, label, placeholder, test id, text, then selectors. */
export function locatorFromTarget(raw: unknown): SessionLocator | null {
  if (typeof raw === "string") return str(raw) ? { by: "css", selector: raw.trim() } : null;
  if (!raw || typeof raw !== "object") return null;
  const t = raw as Record<string, unknown>;
  const attrs = (t.attributes && typeof t.attributes === "object" ? t.attributes : {}) as Record<
    string,
    unknown
  >;
  const role = str(t.role);
  const name = str(t.accessibleName) ?? str(t.name);
  const label = str(t.label);
  const placeholder = str(t.placeholder) ?? str(attrs.placeholder);
  const testId = str(t.testId) ?? str(attrs["data-testid"]);
  const text = str(t.text);
  if (role && name) return { by: "role", role, name };
  if (label) return { by: "label", name: label };
  if (placeholder) return { by: "placeholder", name: placeholder };
  if (testId) return { by: "testid", name: testId };
  if (text && text.length <= 120) return { by: "text", name: text };
  const selector = str(t.selector);
  if (selector) return { by: "css", selector };
  const xpath = str(t.xpath) ?? str(t.idXpath);
  if (xpath) return { by: "css", selector: `xpath=${xpath}` };
  if (role) return { by: "role", role, name: "" };
  return null;
}

function originOf(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return /^https?:$/.test(u.protocol) ? u.origin : null;
  } catch {
    return null;
  }
}

/** Same-origin URLs become relative (path, query, hash), so the spec runs against any BASE_URL. */
export function relativeUrl(url: string, origin: string | null): string {
  if (url.startsWith("/")) return url;
  try {
    const u = origin ? new URL(url, origin) : new URL(url);
    if (origin && u.origin !== origin) return u.href;
    return `${u.pathname}${u.search}${u.hash}` || "/";
  } catch {
    return url.startsWith("/") ? url : `/${url}`;
  }
}

// --- Expectations (the grammar is documented in docs/test-generation.md) ---

const PREFIX = /^\s*(?:expect|assert|check)\s*:\s*(.+?)\s*\.?\s*$/is;
const QUOTED = /"([^"]{1,300})"|“([^”]{1,300})”|'([^']{1,300})'/g;
const PAGE_SUBJECTS = new Set(["page", "the page", "screen", "the screen"]);

export function unquote(s: string): string {
  const t = s.trim();
  const m = /^(?:"(.*)"|“(.*)”|'(.*)')$/s.exec(t);
  return (m ? (m[1] ?? m[2] ?? m[3] ?? "") : t).trim();
}

type Resolve = (subject: string) => SessionLocator | null;

/** The sentence forms after `expect:`, tried in order; the first that matches decides. */
const RULES: {
  re: RegExp;
  op: (g: RegExpExecArray, resolve: Resolve, origin: string | null) => SessionOp;
}[] = [
  {
    re: /^(?:the\s+)?(?:url|address)\s+(?:is|ends with|=)\s+(\S+)$/i,
    op: (g, _r, origin) => ({ op: "expect-url", url: relativeUrl(unquote(g[1]!), origin) }),
  },
  { re: /^no\s+(.+)$/i, op: (g) => ({ op: "expect-hidden", text: unquote(g[1]!) }) },
  {
    re: /^(.+?)\s+(?:is\s+)?(?:hidden|gone|not visible|not shown)$/i,
    op: (g) => ({ op: "expect-hidden", text: unquote(g[1]!) }),
  },
  {
    re: /^(.+?)\s+(?:is\s+)?(?:visible|shown)$/i,
    op: (g) => ({ op: "expect-visible", text: unquote(g[1]!) }),
  },
  { re: /^(?:see|shows?|visible)\s+(.+)$/i, op: (g) => ({ op: "expect-visible", text: unquote(g[1]!) }) },
  {
    re: /^(.+?)\s+(has text|shows|contains|displays|reads)\s+(.+)$/i,
    op: (g, resolve) => {
      const subject = unquote(g[1]!);
      const text = unquote(g[3]!);
      const exact = g[2]!.toLowerCase() === "has text";
      const locator = PAGE_SUBJECTS.has(subject.toLowerCase()) ? null : resolve(subject);
      return locator ? { op: "expect-text", locator, text, exact } : { op: "expect-visible", text };
    },
  },
];

/** One `expect: …` sentence as an assertion op, or null when it does not follow the grammar. */
export function parseExpectation(
  sentence: string,
  resolve: Resolve,
  origin: string | null,
): SessionOp | null {
  const m = PREFIX.exec(sentence);
  if (!m) return null;
  const body = m[1]!.trim();
  for (const rule of RULES) {
    const g = rule.re.exec(body);
    if (g) return rule.op(g, resolve, origin);
  }
  const quoted = unquote(body);
  return quoted !== body && quoted ? { op: "expect-visible", text: quoted } : null;
}

/** What a finding expects: an `expect:` line, else the quoted text marked as expected, else all quoted text. */
function findingExpectations(title: string, description: string, resolve: Resolve, origin: string | null) {
  for (const line of [title, ...description.split(/\r?\n/)]) {
    const parsed = parseExpectation(line, resolve, origin);
    if (parsed) return [parsed];
  }
  const all = `${title}\n${description}`;
  const expected = [
    ...all.matchAll(
      /(?:expected(?:\s+to\s+(?:see|show|read))?|should\s+(?:show|say|read|be)|instead\s+of)\s*:?\s*("[^"]{1,300}"|“[^”]{1,300}”)/gi,
    ),
  ].map((x) => unquote(x[1]!));
  const texts = expected.length ? expected : [...title.matchAll(QUOTED)].map((x) => x[1] ?? x[2] ?? x[3]!);
  return [...new Set(texts.filter(Boolean))]
    .slice(0, 3)
    .map((text): SessionOp => ({ op: "expect-visible", text }));
}

// --- Planning ---

/**
 * Names a step target can be referred to by in a note ("expect: cart-count has text 2"): its test id
 * or id only. Accessible names are too loose ("cart" would pick a "Cart" link whose text never changes).
 */
function subjectNames(raw: unknown): string[] {
  if (!raw || typeof raw !== "object") return [];
  const t = raw as Record<string, unknown>;
  const attrs = (t.attributes && typeof t.attributes === "object" ? t.attributes : {}) as Record<
    string,
    unknown
  >;
  const id = /^#([\w-]+)$/.exec(str(t.selector) ?? "")?.[1];
  return [t.testId, attrs["data-testid"], attrs.id, id]
    .map(str)
    .filter((s): s is string => !!s)
    .map((s) => s.toLowerCase());
}

const stepTime = (e: RoomEvent) => (typeof e.data.at === "number" ? e.data.at : e.at);

/** Elements the session touched, by the names a note may use for them. */
function resolverOf(steps: RoomEvent[]): Resolve {
  const known = new Map<string, SessionLocator>();
  for (const e of steps) {
    const locator = locatorFromTarget(e.data.target);
    if (!locator) continue;
    for (const n of subjectNames(e.data.target)) if (!known.has(n)) known.set(n, locator);
  }
  return (subject) => {
    const s = subject.toLowerCase().replace(/^the\s+/, "");
    return known.get(s) ?? known.get(subject.toLowerCase()) ?? null;
  };
}

/** Walks the timeline once, writing ops; remembers the page the test is on and the last action. */
class TimelineWriter {
  readonly ops: SessionOp[] = [];
  readonly pages = new Set<string>();
  /** Relative URL the test is on. */
  current: string | null = null;
  last: { type: string; at: number } | null = null;
  interactions = 0;

  private readonly session: SessionSource;
  private readonly origin: string | null;
  private readonly resolve: Resolve;

  constructor(session: SessionSource, origin: string | null, resolve: Resolve) {
    this.session = session;
    this.origin = origin;
    this.resolve = resolve;
  }

  private goto(url: string) {
    this.ops.push({ op: "goto", url });
    this.pages.add(url.replace(/#.*$/, "") || "/");
    this.current = url;
  }

  /** A navigation step: an expected URL when the previous action caused it, else a `goto`. */
  private navigation(e: RoomEvent, url: string | undefined) {
    const to = str(e.data.value) ?? url;
    if (!to) {
      this.ops.push({ op: "comment", text: `Step #${e.seq}: a navigation without a URL (skipped)` });
      return;
    }
    const rel = relativeUrl(to, this.origin);
    const last = this.last;
    const caused =
      last && last.type !== "fill" && last.type !== "goto" && stepTime(e) - last.at <= CAUSED_WITHIN_MS;
    if (rel !== this.current) {
      if (caused && this.current !== null) {
        this.ops.push({ op: "expect-url", url: rel });
        this.pages.add(rel.replace(/#.*$/, "") || "/");
        this.current = rel;
      } else this.goto(rel);
    }
    this.last = { type: "goto", at: stepTime(e) };
    this.interactions++;
  }

  step(e: RoomEvent) {
    const action =
      ACTIONS[
        String(e.data.action ?? "")
          .toLowerCase()
          .replace(/[\s_-]+/g, "")
      ];
    const url = str(e.data.url);
    if (action === "goto") return this.navigation(e, url);
    if (action === undefined) {
      this.ops.push({
        op: "comment",
        text: `Step #${e.seq}: "${oneLine(String(e.data.action ?? ""), 40)}" is not an action Playwright can replay (skipped)`,
      });
      return;
    }
    if (this.current === null)
      this.goto(url ? relativeUrl(url, this.origin) : relativeUrl(this.session.url ?? "/", this.origin));
    if (action === "reload") {
      this.ops.push({ op: "reload" });
    } else {
      const locator = locatorFromTarget(e.data.target) ?? undefined;
      if (!locator && action !== "press") {
        this.ops.push({
          op: "comment",
          text: `Step #${e.seq}: ${action} on an element the session did not describe (skipped)`,
        });
        return;
      }
      const value = typeof e.data.value === "string" ? e.data.value : undefined;
      this.ops.push({
        op: "act",
        type: action,
        ...(locator ? { locator } : {}),
        ...(value !== undefined ? { value } : {}),
      });
    }
    this.last = { type: action, at: stepTime(e) };
    this.interactions++;
  }

  note(e: RoomEvent) {
    const text = String(e.data.text ?? "");
    const parsed = parseExpectation(text, this.resolve, this.origin);
    if (parsed && this.current !== null) {
      this.ops.push({ op: "comment", text: `Note #${e.seq}: ${oneLine(text)}` }, parsed);
    }
  }

  finding(e: RoomEvent) {
    const title = String(e.data.title ?? "");
    const expectations = findingExpectations(
      title,
      String(e.data.description ?? ""),
      this.resolve,
      this.origin,
    );
    if (this.current === null) return;
    this.ops.push({
      op: "comment",
      text: `Finding #${e.seq} (${String(e.data.severity ?? "minor")}): ${oneLine(title)}`,
    });
    this.ops.push(...expectations);
  }
}

/** The whole timeline as one test, in seq order. Throws nothing: unusable events become comments. */
export function planSession(session: SessionSource, events: RoomEvent[]): SessionPlan {
  const ordered = [...events].sort((a, b) => a.seq - b.seq);
  const steps = ordered.filter((e) => e.kind === "step");
  const origin =
    steps.map((e) => originOf(str(e.data.url) ?? str(e.data.value))).find(Boolean) ??
    originOf(session.url ?? undefined);
  const writer = new TimelineWriter(session, origin, resolverOf(steps));
  for (const e of ordered) {
    if (e.kind === "step") writer.step(e);
    else if (e.kind === "note") writer.note(e);
    else if (e.kind === "finding") writer.finding(e);
  }
  const { ops, pages, interactions } = writer;
  const assertions = ops.filter((o) => o.op.startsWith("expect-")).length;
  const slug = session.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50);
  return {
    file: `session-${slug || "recorded"}.spec.ts`,
    name: oneLine(session.title, 140),
    intent: oneLine(session.charter, 200),
    appUrl: origin ? `${origin}/` : (session.url ?? "http://localhost:3000/"),
    ops,
    figures: { pages: pages.size, interactions, tests: 1, assertions },
  };
}
