/** Candidates-form requests whose answers the engine's default model is known to give (see the tests). */
const help = { tag: "a", text: "Help" };
const button = (text: string) => ({ tag: "button", text, attributes: { class: "btn" } });
const saveChanges = (className: string) => ({
  tag: "button",
  text: "Save changes",
  attributes: { class: className },
});

/** "Save changes" is gone; "Save" and "Cancel" remain: abstains (≈0.42) and suggests "Save". */
export const abstainingRename = {
  target: saveChanges("btn primary"),
  candidates: [help, button("Save"), button("Cancel")],
};

/** Only "Save" is left: healed at ≈0.96 with the shared threshold. */
export const clearRename = { target: saveChanges("btn primary"), candidates: [help, button("Save")] };

/**
 * "Save" and "Apply changes" each keep one word of "Save changes": abstains at ≈0.63, suggesting
 * "Apply changes" (a mid-level answer a tenant's verdicts can move either way).
 */
export const ambiguousSave = {
  target: saveChanges("btn"),
  candidates: [help, button("Save"), button("Apply changes")],
};

/**
 * `#save` became `#save-v2` (new class, 2px lower) beside a Help link: the heal that the recorded
 * locators of the review tests and the security matrix start from.
 */
export const saveButtonRenamed = {
  target: {
    tag: "button",
    attributes: { id: "save", class: "btn btn-primary", type: "submit" },
    text: "Save changes",
    rect: { x: 100, y: 400, width: 120, height: 40 },
  },
  candidates: [
    { tag: "a", attributes: { href: "/help" }, text: "Help", rect: { x: 10, y: 10, width: 40, height: 20 } },
    {
      tag: "button",
      attributes: { id: "save-v2", class: "Button_primary__x7Gh2", type: "submit" },
      text: "Save changes",
      rect: { x: 100, y: 402, width: 120, height: 40 },
    },
  ],
};

/**
 * A checkout form whose row of actions the caller fills (the DOM form's old-page check): "Continue"
 * stands beside "Submit" on the old page. `footer` adds a help link after the form, which moves the
 * engine's confidence in "Continue" above the shared threshold.
 */
export const checkoutPage = (actions: string, footer: boolean) =>
  `<html><body><header><nav><a href="/">Home</a><a href="/settings">Settings</a></nav></header><main><form id="order"><h2>Shipping</h2><div class="field"><label for="zip">Postal code</label><input id="zip" name="zip"></div><div class="field"><label for="city">City</label><input id="city" name="city"></div><div class="actions">${actions}</div></form></main>${footer ? '<footer><a href="/help">Help</a></footer>' : ""}</body></html>`;
export const continueButton = '<button type="button" class="button button-primary">Continue</button>';
export const submitButton = '<button type="button" class="button button-secondary">Submit</button>';
/** Where "Submit" stood on the old checkout page. */
export const submitXpath = "/html[1]/body[1]/main[1]/form[1]/div[3]/button[2]";
