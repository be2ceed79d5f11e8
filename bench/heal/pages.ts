/**
 * Realistic page generators: nav bars, forms, tables with row actions, lists and card grids,
 * in one of several class/id/test-id styles (plain, CSS modules, styled-components, utility CSS).
 */
import type { Random } from "./random.ts";
import { el, type PageNode } from "./tree.ts";

export type PageStyle = {
  classes: "plain" | "modules" | "styled" | "utility";
  testIdAttribute: string | null;
  testIdRate: number;
  ids: "stable" | "generated" | "sparse";
  /** Build hash for CSS modules / styled-components; a rebuild changes it everywhere. */
  build: string;
};

const NOUNS = [
  "order",
  "invoice",
  "customer",
  "product",
  "report",
  "project",
  "ticket",
  "payment",
  "account",
  "team",
  "plan",
  "message",
  "review",
  "shipment",
  "file",
];
const ADJECTIVES = [
  "new",
  "recent",
  "archived",
  "pending",
  "shared",
  "starred",
  "overdue",
  "draft",
  "active",
  "closed",
];
const NAV = [
  "Home",
  "Dashboard",
  "Products",
  "Pricing",
  "Docs",
  "Blog",
  "About",
  "Careers",
  "Support",
  "Contact",
  "Settings",
  "Billing",
  "Reports",
  "Team",
];
const FIELDS = [
  ["email", "Email address", "email"],
  ["password", "Password", "password"],
  ["firstName", "First name", "text"],
  ["lastName", "Last name", "text"],
  ["company", "Company", "text"],
  ["phone", "Phone number", "tel"],
  ["city", "City", "text"],
  ["zip", "Postal code", "text"],
  ["website", "Website", "url"],
  ["search", "Search", "search"],
  ["quantity", "Quantity", "number"],
  ["coupon", "Coupon code", "text"],
] as const;
const ACTIONS = [
  "Save",
  "Cancel",
  "Submit",
  "Continue",
  "Sign in",
  "Create account",
  "Apply",
  "Reset",
  "Next",
  "Back",
  "Export",
  "Download",
];
const ROW_ACTIONS = ["Edit", "Delete", "View", "Archive", "Duplicate"];
const CARD_ACTIONS = ["Buy now", "Add to cart", "Learn more", "View details", "Subscribe"];
const NAMES = [
  "Ada Lovelace",
  "Alan Turing",
  "Grace Hopper",
  "Linus Torvalds",
  "Margaret Hamilton",
  "Ken Thompson",
  "Barbara Liskov",
  "Dennis Ritchie",
  "Frances Allen",
  "Edsger Dijkstra",
  "Radia Perlman",
  "John Backus",
  "Donald Knuth",
  "Leslie Lamport",
  "Shafi Goldwasser",
];

export function randomStyle(random: Random): PageStyle {
  return {
    classes: random.pick(["plain", "modules", "styled", "utility"] as const),
    testIdAttribute: random.chance(0.75)
      ? random.pick(["data-testid", "data-testid", "data-test", "data-qa", "data-cy"])
      : null,
    testIdRate: random.pick([0.2, 0.5, 0.8]),
    ids: random.pick(["stable", "generated", "sparse"] as const),
    build: random.hash(5),
  };
}

/** Page-building context: style plus helpers to name things in that style. */
export class PageBuilder {
  readonly random: Random;
  readonly style: PageStyle;
  private counter = 0;

  constructor(random: Random, style: PageStyle) {
    this.random = random;
    this.style = style;
  }

  /** Class attribute for a semantic component name, rendered in the page's class style. */
  classFor(component: string, variant?: string): string {
    const { classes, build } = this.style;
    const base = variant ? `${component}-${variant}` : component;
    switch (classes) {
      case "plain":
        return variant ? `${component} ${component}-${variant}` : component;
      case "modules":
        return `${capitalise(component)}_${variant ?? "root"}__${hashOf(base, build)}`;
      case "styled":
        return `sc-${hashOf(base, build).toLowerCase()} ${component}`;
      case "utility":
        return this.random.pick([
          "px-4 py-2 rounded",
          "flex items-center gap-2",
          "text-sm font-medium",
          "mt-2 mb-4",
        ]);
    }
  }

  idFor(stem: string): string | undefined {
    switch (this.style.ids) {
      case "stable":
        return this.random.chance(0.7) ? stem : undefined;
      case "generated":
        return this.random.chance(0.6) ? `${stem}-${this.random.hash(5).toLowerCase()}` : undefined;
      case "sparse":
        return this.random.chance(0.15) ? stem : undefined;
    }
  }

  testId(value: string): Record<string, string> {
    const { testIdAttribute, testIdRate } = this.style;
    return testIdAttribute && this.random.chance(testIdRate) ? { [testIdAttribute]: value } : {};
  }

  unique(stem: string): string {
    this.counter++;
    return `${stem}-${this.counter}`;
  }

  attrs(entries: Record<string, string | undefined>): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(entries)) if (value !== undefined) result[key] = value;
    return result;
  }
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Deterministic per-build hash, as CSS modules derive it from the file and build. */
export function hashOf(value: string, build: string): string {
  let h = 2166136261;
  for (const char of value + build) h = Math.imul(h ^ char.charCodeAt(0), 16777619);
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  let out = "";
  for (let i = 0; i < 4; i++) out += alphabet[((h >>> (i * 6)) & 63) % alphabet.length] ?? "x";
  return `${out}${(h >>> 28) % 10}`;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function button(b: PageBuilder, label: string, variant = "primary"): PageNode {
  return el(
    "button",
    b.attrs({
      type: "button",
      class: b.classFor("button", variant),
      id: b.idFor(`${slug(label)}-button`),
      ...b.testId(slug(label)),
    }),
    [label],
  );
}

export function navBar(b: PageBuilder): PageNode {
  const links = b.random.shuffle([...NAV]).slice(0, b.random.int(4, 9));
  const items = links.map((label) =>
    el("li", { class: b.classFor("nav", "item") }, [
      el(
        "a",
        b.attrs({
          href: `/${slug(label)}`,
          class: b.classFor("nav", "link"),
          ...b.testId(`nav-${slug(label)}`),
        }),
        [label],
      ),
    ]),
  );
  return el("header", { class: b.classFor("header") }, [
    el("a", { href: "/", class: b.classFor("logo") }, [el("img", { src: "/logo.svg", alt: "Acme logo" })]),
    el("nav", b.attrs({ id: b.idFor("main-nav"), "aria-label": "Main" }), [
      el("ul", { class: b.classFor("nav") }, items),
    ]),
    button(b, "Sign in", "secondary"),
  ]);
}

export function form(b: PageBuilder): PageNode {
  const fields = b.random.shuffle([...FIELDS]).slice(0, b.random.int(3, 8));
  const rows = fields.map(([name, label, type]) => {
    const id = b.idFor(name) ?? b.unique(name);
    const input = el(
      "input",
      b.attrs({
        id,
        name,
        type,
        class: b.classFor("input"),
        placeholder: b.random.chance(0.6) ? label : undefined,
        ...b.testId(`${slug(name)}-input`),
      }),
    );
    return el("div", { class: b.classFor("field") }, [
      el("label", { for: id, class: b.classFor("label") }, [label]),
      input,
    ]);
  });
  const actions = b.random.shuffle([...ACTIONS]).slice(0, b.random.int(1, 3));
  return el("form", b.attrs({ id: b.idFor(`${b.random.pick(NOUNS)}-form`), class: b.classFor("form") }), [
    el("h2", { class: b.classFor("title") }, [
      `${capitalise(b.random.pick(ADJECTIVES))} ${b.random.pick(NOUNS)}`,
    ]),
    ...rows,
    el("input", { type: "hidden", name: "csrf", value: b.random.hash(12) }),
    el(
      "div",
      { class: b.classFor("actions") },
      actions.map((label, i) => button(b, label, i === 0 ? "primary" : "secondary")),
    ),
  ]);
}

export function table(b: PageBuilder): PageNode {
  const noun = b.random.pick(NOUNS);
  const rowCount = b.random.int(8, 40);
  const rows: PageNode[] = [];
  const actions = b.random.shuffle([...ROW_ACTIONS]).slice(0, b.random.int(1, 3));
  for (let r = 0; r < rowCount; r++) {
    const name = `${b.random.pick(NAMES)}`;
    const id = `${noun.slice(0, 3).toUpperCase()}-${1000 + b.random.int(0, 8999)}`;
    rows.push(
      el(
        "tr",
        b.attrs({ class: b.classFor("row"), ...(b.random.chance(0.3) ? { "data-row-id": id } : {}) }),
        [
          el("td", {}, [el("a", { href: `/${noun}s/${id}` }, [id])]),
          el("td", {}, [name]),
          el("td", { class: b.classFor("cell", "status") }, [b.random.pick(ADJECTIVES)]),
          el("td", { class: b.classFor("cell", "amount") }, [`$${b.random.int(5, 5000)}.00`]),
          el(
            "td",
            { class: b.classFor("cell", "actions") },
            actions.map((action) =>
              el(
                "button",
                b.attrs({
                  type: "button",
                  class: b.classFor("icon-button"),
                  "aria-label": `${action} ${id}`,
                  title: action,
                  ...b.testId(`${slug(action)}-${id.toLowerCase()}`),
                }),
                [action],
              ),
            ),
          ),
        ],
      ),
    );
  }
  return el("section", { class: b.classFor("panel") }, [
    el("h2", {}, [`${capitalise(noun)}s`]),
    el("table", { class: b.classFor("table") }, [
      el("thead", {}, [
        el(
          "tr",
          {},
          ["ID", "Name", "Status", "Amount", "Actions"].map((h) => el("th", {}, [h])),
        ),
      ]),
      el("tbody", {}, rows),
    ]),
    el("div", { class: b.classFor("pager") }, [
      button(b, "Previous", "ghost"),
      el("span", {}, ["Page 1"]),
      button(b, "Next", "ghost"),
    ]),
  ]);
}

export function list(b: PageBuilder): PageNode {
  const noun = b.random.pick(NOUNS);
  const items: PageNode[] = [];
  for (let i = 0; i < b.random.int(8, 30); i++) {
    const title = `${capitalise(b.random.pick(ADJECTIVES))} ${noun} ${b.random.int(1, 999)}`;
    items.push(
      el("li", { class: b.classFor("list", "item") }, [
        el("a", b.attrs({ href: `/${noun}s/${slug(title)}`, class: b.classFor("list", "link") }), [title]),
        el("span", { class: b.classFor("badge") }, [b.random.pick(ADJECTIVES)]),
        ...(b.random.chance(0.3)
          ? [el("span", { class: b.classFor("spinner"), "aria-hidden": "true" }, ["…"])]
          : []),
      ]),
    );
  }
  return el("section", {}, [
    el("h3", {}, [`${capitalise(noun)} list`]),
    el("ul", { class: b.classFor("list") }, items),
  ]);
}

export function cards(b: PageBuilder): PageNode {
  const cardsOut: PageNode[] = [];
  for (let i = 0; i < b.random.int(4, 16); i++) {
    const product = `${capitalise(b.random.pick(ADJECTIVES))} ${b.random.pick(NOUNS)} ${b.random.pick(["Pro", "Lite", "Max", "Mini", "Plus"])}`;
    const action = b.random.pick(CARD_ACTIONS);
    cardsOut.push(
      el("article", b.attrs({ class: b.classFor("card"), ...b.testId(`card-${slug(product)}-${i}`) }), [
        el("img", { src: `/img/${slug(product)}.png`, alt: product, class: b.classFor("card", "image") }),
        el("h3", { class: b.classFor("card", "title") }, [product]),
        el("p", { class: b.classFor("card", "body") }, [
          `The ${product.toLowerCase()} for every ${b.random.pick(NOUNS)}.`,
        ]),
        el("div", { class: b.classFor("card", "footer") }, [
          el("span", { class: b.classFor("price") }, [`$${b.random.int(9, 999)}`]),
          el(
            "a",
            b.attrs({
              href: `/buy/${slug(product)}-${i}`,
              class: b.classFor("button", "primary"),
              ...b.testId(`${slug(action)}-${i}`),
            }),
            [action],
          ),
        ]),
      ]),
    );
  }
  return el("section", { class: b.classFor("grid") }, cardsOut);
}

export function page(b: PageBuilder): PageNode {
  const sections = [form, table, list, cards];
  const chosen = b.random.shuffle([...sections]).slice(0, b.random.int(2, 4));
  const main = el(
    "main",
    b.attrs({ id: b.idFor("content"), class: b.classFor("layout") }),
    chosen.map((section) => section(b)),
  );
  const footer = el("footer", { class: b.classFor("footer") }, [
    el("p", {}, ["© 2026 Acme Inc."]),
    el("a", { href: "/privacy" }, ["Privacy"]),
    el("a", { href: "/terms" }, ["Terms"]),
  ]);
  return el("html", { lang: "en" }, [
    el("head", {}, [el("title", {}, ["Acme"]), el("style", {}, [".x{display:block}"])]),
    el("body", {}, [
      navBar(b),
      main,
      el("div", { class: b.classFor("toast"), style: "display:none" }, [button(b, "Dismiss", "ghost")]),
      footer,
    ]),
  ]);
}
