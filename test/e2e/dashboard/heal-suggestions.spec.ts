import { expect, test } from "@playwright/test";
import { go, signUpInProject } from "./helpers.ts";

type Answer = {
  healed: boolean;
  attemptId: string;
  suggestion: { index: number; confidence: number } | null;
};
type Attempt = {
  id: string;
  feedback: { accepted: boolean; correctIndex: number | null } | null;
  suggestion: { index: number | null } | null;
};

// The target's "Save changes" is gone; two buttons remain and neither is convincing: the engine abstains
// and suggests one of them.
const ABSTAINING = {
  selector: "button.primary",
  target: { tag: "button", text: "Save changes", attributes: { class: "btn primary" } },
  candidates: [
    { tag: "a", text: "Help" },
    { tag: "button", text: "Save", attributes: { class: "btn" } },
    { tag: "button", text: "Cancel", attributes: { class: "btn" } },
  ],
};

test("healing: an abstaining heal's suggestion waits in the review queue; approving records feedback", async ({
  page,
  request,
}) => {
  const { errors, projectId, call } = await signUpInProject(page, request, "Sam Suggests");

  const answer = await call<Answer>("POST", "/v1/heal", { json: { ...ABSTAINING, projectId } });
  expect(answer.healed).toBe(false);
  expect(answer.suggestion).not.toBeNull();
  const percent = `${Math.round(answer.suggestion!.confidence * 100)}%`;

  await go(page, "Healing");
  const nav = page.getByRole("navigation", { name: "Healing pages" });
  await nav.getByRole("link", { name: "Review queue" }).click();
  const queue = page.getByRole("list", { name: "suggestions awaiting review" });
  await expect(queue.getByRole("listitem")).toHaveCount(1);
  const card = queue.getByRole("listitem").first();
  await expect(card).toContainText("button.primary");
  await expect(card).toContainText('role=button[name="Save"]');
  await expect(card).toContainText(percent);

  await card.getByRole("button", { name: /^Approve suggestion/ }).click();
  await expect(page.getByRole("status").filter({ hasText: "Suggestion approved" })).toBeVisible();
  await expect(queue.getByRole("listitem")).toHaveCount(0);

  // The API shows the verdict: positive feedback naming the suggested candidate, out of the queue.
  const reviewed = await call<{ items: Attempt[] }>(
    "GET",
    `/v1/heal/attempts?projectId=${projectId}&outcome=accepted`,
  );
  expect(reviewed.items.map((a) => a.id)).toEqual([answer.attemptId]);
  expect(reviewed.items[0]!.feedback).toMatchObject({
    accepted: true,
    correctIndex: answer.suggestion!.index,
  });
  const left = await call<{ items: Attempt[] }>(
    "GET",
    `/v1/heal/attempts?projectId=${projectId}&outcome=suggested`,
  );
  expect(left.items).toEqual([]);
  expect(errors).toEqual([]);
});
