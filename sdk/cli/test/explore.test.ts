// The explorer in real Chromium (CHROMIUM_PATH, else /usr/bin/chromium) against a tiny page served here:
// what it records for moves whose outcome depends on the page's timing.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { explore, launch } from "../src/explore.ts";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Double-clicking the item opens an editor that the page focuses in a timer, as many editors do;
// Escape in the editor closes it.
const PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Edit</title></head><body>
<ul id="list"></ul>
<script>
  let editing = false;
  function render() {
    const list = document.getElementById("list");
    list.textContent = "";
    const li = document.createElement("li");
    if (editing) {
      const edit = document.createElement("input");
      edit.value = "Milk";
      edit.setAttribute("aria-label", "Edit item");
      edit.addEventListener("keydown", (e) => { if (e.key === "Escape") { editing = false; render(); } });
      const note = document.createElement("small");
      note.textContent = "Editing";
      li.append(edit, note);
      setTimeout(() => edit.focus());
    } else {
      const label = document.createElement("span");
      label.textContent = "Milk";
      label.addEventListener("dblclick", () => { editing = true; render(); });
      li.append(label);
    }
    list.append(li);
  }
  render();
</script></body></html>`;

// Skipped without a browser, unless SHIFTY_REQUIRE_BROWSER=1 (CI) makes a missing one a failure, as
// for the other browser suites (scripts/test.mjs).
const noBrowser = !existsSync(chromium) && process.env.SHIFTY_REQUIRE_BROWSER !== "1";

describe.skipIf(noBrowser)("explore", () => {
  let browser: Browser;
  let server: Server;
  let url: string;
  beforeAll(async () => {
    browser = await launch(chromium);
    server = createServer((_req, res) => res.writeHead(200, { "content-type": "text/html" }).end(PAGE));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  });
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("names the element that had the focus when a key was pressed on the page", async () => {
    const exploration = await explore(browser, { appUrl: url, maxPages: 1, budgetPerPage: 10 });
    const pressEscape = exploration.interactions.find(
      (i) => i.action.type === "press" && !i.action.target && i.action.value === "Escape",
    );
    expect(pressEscape?.setup).toEqual([{ type: "dblclick", target: { by: "text", name: "Milk" } }]);
    expect(pressEscape?.action.focused).toEqual({ by: "role", role: "textbox", name: "Edit item" });
    expect(pressEscape?.effects).toContainEqual({ kind: "text-visible", value: "Milk" });
    // A key pressed on a located element is pressed there: no focus to wait for.
    for (const i of exploration.interactions)
      for (const a of [...i.setup, i.action]) if (a.target) expect(a.focused).toBeUndefined();
  }, 60_000);
});
