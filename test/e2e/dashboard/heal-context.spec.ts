import { expect, test } from "@playwright/test";
import { go, healAndRecord, openSubPage, signUpInProject } from "./helpers.ts";

const before = `<html><body><main><form class="cart"><label>Qty <input name="qty"></label><button id="buy">Buy now</button></form></main></body></html>`;
const after = before.replace('id="buy"', 'data-testid="buy-v2"');

test("heal review: a heal recorded while the queue is open appears without a reload, with the DOM around its old and new element", async ({
  page,
  request,
}) => {
  const { errors, projectId, call } = await signUpInProject(page, request, "Hedy Heals");

  await go(page, "Healing");
  await openSubPage(page, "Healing pages", "Review queue");
  await expect(page.getByText("Nothing waits for review")).toBeVisible();

  await healAndRecord(call, projectId, {
    dom: after,
    previousDom: before,
    testTitle: "buys from the cart",
    location: "tests/cart.spec.ts:3:9",
    confidence: 0.6,
    healedSelector: (answer) => answer.selector ?? '[data-testid="buy-v2"]',
  });
  const card = page.getByRole("list", { name: "pending healed locators" }).getByRole("listitem");
  await expect(card).toHaveCount(1, { timeout: 3_000 });
  await expect(card).toContainText("buys from the cart");

  await card.getByText("DOM around the old and new element").click();
  const context = card.getByTestId("heal-context");
  await expect(context).toContainText('<button id="buy">Buy now</button>');
  await expect(context).toContainText('<button data-testid="buy-v2">Buy now</button>');
  await expect(context).toContainText('<form class="cart">');
  await expect(context).toContainText("No screenshot is stored");
  expect(errors).toEqual([]);
});
