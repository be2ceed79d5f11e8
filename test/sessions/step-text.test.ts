// How the room's timeline words a recorded step (web/src/screens/room/step-text.ts).
import { describe, expect, it } from "vitest";
import { stepSentence } from "../../web/src/screens/room/step-text.ts";

describe("step sentences", () => {
  it("names recorded targets the way a reader would", () => {
    const button = { role: "button", accessibleName: "Add to cart", selector: "#add" };
    expect(stepSentence({ action: "click", target: button })).toBe("Click button 'Add to cart'");
    expect(
      stepSentence({
        action: "fill",
        target: { role: "textbox", accessibleName: "Email", label: "Email", selector: "#email" },
        value: "ada@example.com",
      }),
    ).toBe("Fill 'Email' with “ada@example.com”");
    expect(stepSentence({ action: "press", target: { placeholder: "Coupon code" }, value: "Enter" })).toBe(
      "Press Enter in 'Coupon code'",
    );
    expect(
      stepSentence({ action: "select", target: { role: "combobox", label: "Size" }, value: "Large" }),
    ).toBe("Select 'Large' in 'Size'");
    expect(stepSentence({ action: "check", target: { role: "checkbox", accessibleName: "Gift wrap" } })).toBe(
      "Check checkbox 'Gift wrap'",
    );
    expect(stepSentence({ action: "navigate", url: "http://shop.test/#/cart" })).toBe(
      "Navigate to http://shop.test/#/cart",
    );
    expect(stepSentence({ action: "press", value: "Escape" })).toBe("Press Escape");
  });

  it("keeps composer steps (a selector, a free action) readable", () => {
    expect(stepSentence({ action: "click", target: "#checkout" })).toBe("Click #checkout");
    expect(stepSentence({ action: "hover", target: { testId: "menu" } })).toBe("hover test id 'menu'");
    expect(stepSentence({ action: "click", target: { tag: "div" }, value: "x" })).toBe("Click div → “x”");
  });
});
