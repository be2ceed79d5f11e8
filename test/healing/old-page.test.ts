import { describe, expect, it } from "vitest";
import { parsePage } from "../../shared/healing/dom.ts";
import { healDom } from "../../shared/healing/heal.ts";
import { answerWasAnotherOldElement } from "../../shared/healing/old-page.ts";
import { prepareElement } from "../../shared/healing/prepare.ts";
import { checkoutPage, continueButton, submitButton, submitXpath } from "../healing-api/heal-fixtures.ts";

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

describe("healDom with previousDom", () => {
  const page = (actions: string) => checkoutPage(actions, false);
  const previousDom = page(`${continueButton}${submitButton}`);
  const selector = submitXpath;

  it("halves the confidence of an answer that stood unchanged beside the removed target, healed or not", async () => {
    const dom = page(continueButton);
    const old = parsePage(previousDom);
    const index = old.elements.findIndex((_, i) => old.descriptorOf(i).text === "Submit");
    // The same target given as a descriptor: no old page, so no check.
    const alone = await healDom({ selector, dom, target: old.descriptorOf(index) });
    const withOldPage = await healDom({ selector, dom, previousDom });
    // Below the cut even before the check: the suggestion people judge is halved too.
    expect(alone.healed).toBe(false);
    expect(withOldPage.healed).toBe(false);
    expect(withOldPage.suggestion?.xpath).toBe("/html[1]/body[1]/main[1]/form[1]/div[3]/button[1]");
    expect(withOldPage.confidence).toBeCloseTo(alone.confidence / 2, 3);
    expect(withOldPage.suggestion?.confidence).toBe(withOldPage.confidence);
  });
});
