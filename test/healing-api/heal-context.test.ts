import { describe, expect, it } from "vitest";
import type { HealContext } from "../../shared/contract/healing.ts";
import { api, newTenant, type Tenant } from "../helpers.ts";
import { waitFor } from "../wait-for.ts";
import { postHeal, recordHeal } from "./heal-requests.ts";

const before = `<html><body><main><form class="cart"><label>Qty <input name="qty"></label><button id="buy">Buy now</button></form></main></body></html>`;
const after = before.replace('id="buy"', 'data-testid="buy-v2"');

async function healedDom(t: Tenant) {
  const res = await postHeal(t.apiKey, {
    selector: "#buy",
    dom: after,
    previousDom: before,
    projectId: t.projectId,
  });
  expect(res.status).toBe(200);
  const heal = (await res.json()) as { attemptId: string; selector: string | null };
  const recorded = await recordHeal(t, {
    testFile: "tests/cart.spec.ts",
    testTitle: "buys",
    location: "tests/cart.spec.ts:3:9",
    originalSelector: "#buy",
    healedSelector: heal.selector ?? '[data-testid="buy-v2"]',
    confidence: 0.5,
    attemptId: heal.attemptId,
  });
  expect(recorded.status).toBe(201);
  return ((await recorded.json()) as { id: string }).id;
}

describe("GET /v1/heals/{healId}/context (docs/heal-review.md)", () => {
  it("shows the old element in the previous page and the new one in the live page, each with its parent", async () => {
    const t = await newTenant();
    const healId = await healedDom(t);
    const context = await waitFor(
      async () =>
        (await (await api(`/v1/heals/${healId}/context`, { token: t.apiKey })).json()) as HealContext,
      { until: (c) => c.form !== null },
    );
    expect(context.form).toBe("dom");
    expect(context.old?.element).toBe('<button id="buy">Buy now</button>');
    expect(context.old?.around).toContain('<form class="cart">');
    expect(context.new?.element).toBe('<button data-testid="buy-v2">Buy now</button>');
    expect(context.new?.around).toContain('<input name="qty">');
    expect(context.screenshot).toBeNull();

    const other = await newTenant();
    expect((await api(`/v1/heals/${healId}/context`, { token: other.apiKey })).status).toBe(404);
  });
});
