// The deterministic planner: exploration → plan → spec source.
import { describe, expect, it } from "vitest";
import type { Exploration, Interaction } from "../../shared/contract/generation.ts";
import { generateSuite } from "../../shared/generation/index.ts";
import { fileFor, planTests } from "../../shared/generation/planner.ts";
import { actionLines, assertionLine, locatorOf, renderConfig } from "../../shared/generation/render.ts";

const newItem = { by: "role", role: "textbox", name: "New item" } as const;
const add: Interaction = {
  path: "/",
  setup: [{ type: "fill", target: newItem, value: "Buy milk" }],
  action: { type: "press", target: newItem, value: "Enter" },
  effects: [
    { kind: "text-visible", value: "Buy milk" },
    { kind: "count", target: { by: "role", role: "listitem", name: "" }, count: 1 },
  ],
  persisted: [{ kind: "count", target: { by: "role", role: "listitem", name: "" }, count: 1 }],
};
const remove: Interaction = {
  path: "/",
  setup: [add.setup[0]!, add.action],
  action: {
    type: "click",
    target: { by: "role", role: "button", name: "Delete", within: { role: "listitem", hasText: "Buy milk" } },
  },
  effects: [{ kind: "count", target: { by: "role", role: "listitem", name: "" }, count: 0 }],
};
const nothing: Interaction = {
  path: "/",
  setup: [],
  action: { type: "click", target: newItem },
  effects: [],
};
const nav: Interaction = {
  path: "/#/cart",
  setup: [],
  action: { type: "click", target: { by: "role", role: "link", name: "Home" } },
  effects: [{ kind: "url", value: "/#/" }],
};
const exploration: Exploration = {
  appUrl: "http://127.0.0.1:4000/",
  pages: [{ path: "/", title: "Groceries" }],
  interactions: [add, nothing, remove, nav, { ...add }],
};

describe("planTests", () => {
  it("keeps interactions with observable effects, once, in the exploration's order", () => {
    const plan = planTests(exploration, { maxTests: 10 });
    expect(plan.tests.map((t) => t.steps.at(-1)!.type)).toEqual(["press", "click", "click"]);
    expect(plan.tests[0]!.assertions[0]).toEqual(add.effects[1]); // counts before texts
    expect(plan.tests[0]!.afterReload).toHaveLength(1);
    expect(plan.tests[0]!.name).toBe(
      'submitting "Buy milk" in the "New item" textbox shows "Buy milk" and keeps it after a reload',
    );
    expect(plan.tests[2]!.file).toBe("cart.spec.ts");
  });

  it("is deterministic and honours maxTests by keeping the most telling tests", () => {
    const a = planTests(exploration, { maxTests: 1 });
    expect(a).toEqual(planTests(exploration, { maxTests: 1 }));
    expect(a.tests).toHaveLength(1);
    expect(a.tests[0]!.afterReload).toHaveLength(1); // the persisted add outranks the others
  });

  it("names spec files after the start page", () => {
    expect(fileFor("/")).toBe("home.spec.ts");
    expect(fileFor("/index.html")).toBe("home.spec.ts");
    expect(fileFor("/shop/Cart.html?x=1")).toBe("shop-cart.spec.ts");
  });
});

describe("rendering", () => {
  it("writes user-facing locators and web-first assertions", () => {
    expect(locatorOf(remove.action.target!)).toBe(
      'page.getByRole("listitem").filter({ hasText: "Buy milk" }).getByRole("button", { name: "Delete", exact: true })',
    );
    expect(assertionLine({ kind: "url", value: "/#/cart?a=1" })).toBe(
      "await expect(page).toHaveURL(/\\/#\\/cart\\?a=1$/);",
    );
    expect(assertionLine({ kind: "text-gone", value: 'say "hi"' })).toBe(
      'await expect(page.getByText("say \\"hi\\"", { exact: true })).toBeHidden();',
    );
    expect(assertionLine({ kind: "checked", target: newItem, checked: false })).toContain(
      "not.toBeChecked()",
    );
  });

  it("renders specs that import only @playwright/test, navigate relatively and reload for persistence", () => {
    const { files, figures } = generateSuite(exploration, 10);
    expect(files.map((f) => f.path)).toEqual(["home.spec.ts", "cart.spec.ts", "playwright.config.ts"]);
    const home = files[0]!.content;
    expect(home.match(/^import .*$/gm)).toEqual(['import { expect, test } from "@playwright/test";']);
    expect(home).toContain('await page.goto("/");');
    expect(home).toContain("await page.reload();");
    expect(home).not.toMatch(/waitForTimeout|http:\/\//);
    expect(home.match(/^\/\/ .*\ntest\(/gm)).toHaveLength(2); // one line of intent per test
    expect(figures).toEqual({ pages: 1, interactions: 5, tests: 3, assertions: 5 });
  });

  it("waits for the element that had the focus before pressing a key on the page", () => {
    const edit = { by: "role", role: "textbox", name: "Edit item" } as const;
    const pressEscape: Interaction = {
      path: "/",
      setup: [...remove.setup, { type: "dblclick", target: { by: "text", name: "Buy milk" } }],
      action: { type: "press", value: "Escape", focused: edit },
      effects: [{ kind: "text-visible", value: "Buy milk" }],
    };
    const home = generateSuite({ ...exploration, interactions: [pressEscape] }, 10).files[0]!.content;
    expect(home).toContain(
      '.dblclick();\n  await expect(page.getByRole("textbox", { name: "Edit item", exact: true })).toBeFocused();\n  await page.keyboard.press("Escape");\n',
    );
    // Without a recorded focus (nothing had it) the key is pressed as before.
    expect(actionLines({ type: "press", value: "Escape" })).toEqual(['await page.keyboard.press("Escape");']);
    // A key pressed on a located element focuses that element itself.
    expect(actionLines({ type: "press", target: newItem, value: "Enter", focused: edit })).toEqual([
      'await page.getByRole("textbox", { name: "New item", exact: true }).press("Enter");',
    ]);
  });

  it("writes a config whose baseURL comes from BASE_URL and that can use CHROMIUM_PATH", () => {
    const config = renderConfig("http://127.0.0.1:4000/");
    expect(config).toContain('baseURL: process.env.BASE_URL ?? "http://127.0.0.1:4000/"');
    expect(config).toContain("executablePath: process.env.CHROMIUM_PATH");
  });
});

describe("arrival tests and control states", () => {
  const save = { by: "role", role: "button", name: "Save" } as const;
  const tab = { by: "role", role: "tab", name: "Profile" } as const;
  const landing: Exploration = {
    ...exploration,
    pages: [
      {
        path: "/",
        title: "Groceries",
        arrival: [
          { kind: "enabled", target: save, enabled: false },
          { kind: "text-visible", value: "0 items left" },
          { kind: "attribute", target: tab, attribute: "aria-selected", value: "true" },
        ],
      },
      { path: "/#/cart", title: "Cart" },
    ],
  };

  it("plans one arrival test per page that has arrival facts, first in its file and never trimmed", () => {
    const plan = planTests(landing, { maxTests: 1 });
    expect(plan.tests).toHaveLength(1);
    const arrival = plan.tests[0]!;
    expect(arrival.steps).toEqual([]);
    expect(arrival.path).toBe("/");
    expect(arrival.name).toBe('opening / shows "0 items left"');
    // texts before ARIA states before enabled states
    expect(arrival.assertions.map((a) => a.kind)).toEqual(["text-visible", "attribute", "enabled"]);
    const all = planTests(landing, { maxTests: 10 });
    expect(all.tests[0]).toEqual(arrival);
    expect(all.tests).toHaveLength(4);
  });

  it("renders arrival tests as a goto followed by web-first assertions on control states", () => {
    const home = generateSuite(landing, 10).files[0]!.content;
    const first = home.slice(home.indexOf("test("), home.indexOf("});") + 3);
    expect(first).toContain('await page.goto("/");\n  await expect(');
    expect(first).toContain(
      'await expect(page.getByRole("tab", { name: "Profile", exact: true })).toHaveAttribute("aria-selected", "true");',
    );
    expect(first).toContain(
      'await expect(page.getByRole("button", { name: "Save", exact: true })).toBeDisabled();',
    );
  });

  it("asserts enabled controls and removed ARIA states", () => {
    expect(assertionLine({ kind: "enabled", target: save, enabled: true })).toBe(
      'await expect(page.getByRole("button", { name: "Save", exact: true })).toBeEnabled();',
    );
    expect(assertionLine({ kind: "attribute", target: tab, attribute: "aria-current" })).toBe(
      'await expect(page.getByRole("tab", { name: "Profile", exact: true })).not.toHaveAttribute("aria-current");',
    );
  });
});

describe("choosing assertions", () => {
  it("gives every kind of effect a place before any kind gets a second one", () => {
    const tab = { by: "role", role: "tab", name: "Alerts" } as const;
    const texts = Array.from({ length: 10 }, (_, i) => ({
      kind: "text-visible" as const,
      value: `Text ${i}`,
    }));
    const selected = {
      kind: "attribute" as const,
      target: tab,
      attribute: "aria-selected" as const,
      value: "true",
    };
    const plan = planTests(
      {
        ...exploration,
        interactions: [
          { path: "/", setup: [], action: { type: "click", target: tab }, effects: [...texts, selected] },
        ],
      },
      { maxTests: 5 },
    );
    const assertions = plan.tests[0]!.assertions;
    expect(assertions).toHaveLength(8);
    expect(assertions.at(-1)).toEqual(selected);
    expect(assertions.slice(0, 7)).toEqual(texts.slice(0, 7));
  });
});

describe("spreading tests over moves", () => {
  it("prefers a different move over the same move after another setup when tests must be trimmed", () => {
    const item = (text: string) => ({ kind: "text-visible" as const, value: text });
    const buy = { type: "click" as const, target: { by: "role" as const, role: "button", name: "Buy" } };
    const undo = { type: "click" as const, target: { by: "role" as const, role: "button", name: "Undo" } };
    const fill = (v: string) => ({ type: "fill" as const, target: newItem, value: v });
    const twoKinds = [item("Bought"), { kind: "text-gone" as const, value: "Ready" }];
    const interactions: Interaction[] = [
      { path: "/", setup: [], action: buy, effects: twoKinds },
      { path: "/", setup: [fill("a")], action: buy, effects: [...twoKinds, item("a")] },
      { path: "/", setup: [fill("b")], action: buy, effects: [...twoKinds, item("b")] },
      {
        path: "/",
        setup: [fill("c")],
        action: undo,
        effects: [item("Undone"), { kind: "text-gone" as const, value: "Bought" }],
      },
    ];
    const plan = planTests({ ...exploration, interactions }, { maxTests: 2 });
    // Without spreading, the two "Buy" tests (higher scores) would both be kept.
    expect(plan.tests.map((t) => t.steps.at(-1)!.target!.name)).toEqual(["Buy", "Undo"]);
  });
});

describe("keeping tests that show new text", () => {
  it("keeps a test whose message no kept test asserts over more tests of the same kind of navigation", () => {
    const link = (name: string) => ({
      type: "click" as const,
      target: { by: "role" as const, role: "link", name },
    });
    const name = { by: "role", role: "textbox", name: "Name" } as const;
    const next = { type: "click" as const, target: { by: "role" as const, role: "button", name: "Next" } };
    const goes = (to: string): Interaction["effects"] => [{ kind: "url", value: to }];
    const navigation = (path: string, to: string, label: string): Interaction => ({
      path,
      setup: [],
      action: link(label),
      effects: goes(to),
      persisted: goes(to),
    });
    const error = [{ kind: "text-visible" as const, value: "Name is required" }];
    const interactions: Interaction[] = [
      navigation("/", "/#/plan", "Plan"),
      { path: "/", setup: [{ type: "fill", target: name, value: "" }], action: next, effects: error },
      navigation("/#/plan", "/#/", "Account"),
      navigation("/#/done", "/#/plan", "Back"),
      // The same message after another move: no longer new once the first one is kept.
      { path: "/#/", setup: [{ type: "fill", target: name, value: "" }], action: next, effects: error },
    ];
    const plan = planTests(
      {
        ...exploration,
        pages: [{ path: "/", title: "Sign up", arrival: [{ kind: "text-visible", value: "Account" }] }],
        interactions,
      },
      { maxTests: 4 },
    );
    // Without the bonus the three navigations (persisted URL changes) outrank the validation error.
    expect(plan.tests.map((t) => [t.path, t.steps.at(-1)?.target?.name ?? null])).toEqual([
      ["/", null],
      ["/", "Plan"],
      ["/", "Next"],
      ["/#/plan", "Account"],
    ]);
  });
});

describe("dropping tests that check nothing new", () => {
  it("prefers a weaker test of another state over another route to a state a kept test checks", () => {
    const plan = { by: "role", role: "link", name: "Plan" } as const;
    const terms = { by: "role", role: "checkbox", name: "I accept" } as const;
    const there: Interaction["effects"] = [{ kind: "url", value: "/#/plan" }];
    const interactions: Interaction[] = [
      { path: "/", setup: [], action: { type: "click", target: plan }, effects: there, persisted: there },
      {
        path: "/",
        setup: [{ type: "fill", target: newItem, value: "x" }],
        action: { type: "click", target: { by: "role", role: "button", name: "Next" } },
        effects: there,
        persisted: there,
      },
      {
        path: "/",
        setup: [],
        action: { type: "check", target: terms },
        effects: [{ kind: "checked", target: terms, checked: true }],
      },
    ];
    const kept = planTests({ ...exploration, interactions }, { maxTests: 2 }).tests;
    expect(kept.map((t) => t.steps.at(-1)!.target!.name)).toEqual(["Plan", "I accept"]);
  });
});

describe("naming", () => {
  it("names a test after the first recorded effect it asserts, not after an unchanged count", () => {
    const listitems = { by: "role", role: "listitem", name: "" } as const;
    const add: Interaction = {
      path: "/",
      setup: [],
      action: { type: "click", target: { by: "role", role: "button", name: "Add tea" } },
      effects: [
        { kind: "text-visible", value: "Cart (1)" },
        { kind: "count", target: listitems, count: 3 },
      ],
    };
    const plan = planTests({ ...exploration, interactions: [add] }, { maxTests: 5 });
    expect(plan.tests[0]!.assertions[0]!.kind).toBe("count");
    expect(plan.tests[0]!.name).toBe('clicking the "Add tea" button shows "Cart (1)"');
  });
});

describe("intent comments", () => {
  it("stay on one line when a quoted value holds a line break", () => {
    const bio = { by: "role", role: "textbox", name: "Bio" } as const;
    const typed: Interaction = {
      path: "/",
      setup: [{ type: "fill", target: bio, value: "Hi" }],
      action: { type: "press", target: bio, value: "Enter" },
      effects: [{ kind: "value", target: bio, value: "Hi\n" }],
    };
    const home = generateSuite({ ...exploration, interactions: [typed] }, 5).files[0]!.content;
    expect(home).toContain('// submitting "Hi" in the "Bio" textbox sets the "Bio" textbox to "Hi ".\ntest(');
  });
});
