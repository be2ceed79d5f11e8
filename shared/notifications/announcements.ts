import type { NewlyFlakyTest } from "../ci/ingest-plan.ts";
import type { HealedLocator, HealRequest, HealResult } from "../contract/healing.ts";
import type { ShiftyEvent } from "./events.ts";

/**
 * The Shifty events of the heal review queue and of flaky detection (docs/notifications.md), built from
 * what their use cases return. Each has a key per source object, so emitting it again adds nothing.
 */

/** At most this many tests are listed in one `flaky.detected` (the count says how many there were). */
const FLAKY_TESTS_LISTED = 100;

const confidence = (c: number) => c.toFixed(2);

/**
 * `heal.pending_review` for a heal that abstained with a suggestion (the suggestion review queue,
 * docs/heal-review.md); null when the heal healed or had nothing to suggest.
 */
export function suggestionPendingReview(
  orgId: string,
  request: HealRequest,
  result: HealResult,
): ShiftyEvent | null {
  if (result.healed || !result.suggestion) return null;
  const suggestion = result.suggestion;
  const suggested = suggestion.selector ?? ("index" in suggestion ? `candidate #${suggestion.index}` : "?");
  const broken = request.selector ?? "a described element";
  return {
    orgId,
    projectId: request.projectId ?? null,
    type: "heal.pending_review",
    key: `heal.pending_review:${result.attemptId}`,
    summary: `Heal of \`${broken}\` abstained; suggestion \`${suggested}\` (confidence ${confidence(suggestion.confidence)}) waits for review`,
    data: {
      kind: "suggestion",
      attemptId: result.attemptId,
      selector: request.selector ?? null,
      suggestion,
    },
  };
}

/** `heal.pending_review` for a healed locator recorded below the project's auto-accept threshold. */
export function locatorPendingReview(orgId: string, locator: HealedLocator): ShiftyEvent | null {
  if (locator.status !== "pending") return null;
  return {
    orgId,
    projectId: locator.projectId,
    type: "heal.pending_review",
    key: `heal.pending_review:${locator.id}`,
    summary: `Healed locator \`${locator.originalSelector}\` → \`${locator.healedSelector}\` in ${locator.testFile} (confidence ${confidence(locator.confidence)}) waits for review`,
    data: {
      kind: "healed_locator",
      healId: locator.id,
      attemptId: locator.attemptId,
      runId: locator.runId,
      testFile: locator.testFile,
      testTitle: locator.testTitle,
      location: locator.location,
      originalSelector: locator.originalSelector,
      healedSelector: locator.healedSelector,
      confidence: locator.confidence,
    },
  };
}

/** `flaky.detected` once per run, listing the tests it newly marked flaky; null when there are none. */
export function flakyDetected(
  orgId: string,
  run: { id: string; projectId: string; commit: string | null; branch: string | null },
  tests: NewlyFlakyTest[],
): ShiftyEvent | null {
  if (tests.length === 0) return null;
  const names = tests.slice(0, 3).map((t) => t.name);
  const more = tests.length > names.length ? ` and ${tests.length - names.length} more` : "";
  const noun = tests.length === 1 ? "test turned" : "tests turned";
  return {
    orgId,
    projectId: run.projectId,
    type: "flaky.detected",
    key: `flaky.detected:${run.id}`,
    summary: `${tests.length} ${noun} flaky in run ${run.id}: ${names.join(", ")}${more}`,
    data: {
      runId: run.id,
      commit: run.commit,
      branch: run.branch,
      count: tests.length,
      tests: tests.slice(0, FLAKY_TESTS_LISTED).map((t) => ({
        testId: t.id,
        name: t.name,
        file: t.file,
        suite: t.suite,
        failureRate: t.failureRate,
        quarantined: t.quarantined,
      })),
    },
  };
}
