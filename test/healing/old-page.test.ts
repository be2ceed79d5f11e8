import { describe, expect, it } from "vitest";
import { parsePage } from "../../shared/healing/dom.ts";
import { answerWasAnotherOldElement } from "../../shared/healing/old-page.ts";
import { prepareElement } from "../../shared/healing/prepare.ts";

const old = parsePage(
  `<html><body><form><div class="actions"><button class="button button-primary">Continue</button><button class="button button-secondary">Submit</button></div><a href="/help">Help</a><a href="/help">Help</a></form></body></html>`,
);
const oldElement = (tag: string, text: string, nth = 0) => {
  const indices = old.elements.flatMap((_, i) => {
    const d = old.descriptorOf(i);
    return d.tag === tag && d.text === text ? [i] : [];
  });
  return prepareElement(old.descriptorOf(indices[nth]!));
};
const submit = oldElement("button", "Submit");
const newButton = (text: string, className: string) =>
  prepareElement({
    tag: "button",
    text,
    attributes: { class: className },
    xpath: "/html[1]/body[1]/form[1]/div[1]/button[1]",
  });

describe("answer already on the old page (DOM form with previousDom)", () => {
  it("an answer that matches another old element exactly was that element", () => {
    expect(answerWasAnotherOldElement(old, submit, newButton("Continue", "button button-primary"))).toBe(
      true,
    );
  });
  it("an answer that matches no other old element exactly may be the target, changed", () => {
    expect(answerWasAnotherOldElement(old, submit, newButton("Send order", "btn btn-secondary"))).toBe(false);
    // A reworded text or one class changed: no old element is matched on every identity strategy.
    expect(answerWasAnotherOldElement(old, submit, newButton("Continue now", "button button-primary"))).toBe(
      false,
    );
    expect(answerWasAnotherOldElement(old, submit, newButton("Continue", "button button-cta"))).toBe(false);
  });
  it("twins: an answer that is the target unchanged is left to position", () => {
    const firstHelp = oldElement("a", "Help", 0);
    const help = prepareElement({ tag: "a", text: "Help", attributes: { href: "/help" } });
    expect(answerWasAnotherOldElement(old, firstHelp, help)).toBe(false);
  });
});
