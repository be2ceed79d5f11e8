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
