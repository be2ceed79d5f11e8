import { useId, useState } from "react";
import { type HealAttempt, healingApi } from "../../api-healing.ts";
import { useAppState } from "../../app-state.tsx";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { Announce, LoadMore } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";
import { Confidence } from "./Confidence.tsx";

const DECISIONS = [
  { decision: "approve", label: "Approve", className: "btn-primary" },
  { decision: "reject", label: "Reject", className: "btn-danger" },
] as const;

/** What the suggestion points at: its selector, else (candidates form without one) its index. */
function suggested(attempt: HealAttempt): string {
  const suggestion = attempt.suggestion;
  if (!suggestion) return "";
  return suggestion.selector ?? `candidate #${suggestion.index}`;
}

/**
 * Heals that abstained but had a best guess: a person approves it (the guess was right; recorded as
 * feedback, which retraining and the tenant threshold learn from) or rejects it. Hidden when empty, so
 * the healed-locator queue below stays the first thing a project without abstentions sees.
 */
export function Suggestions({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  const list = usePaged(
    (cursor) => healingApi.attempts({ projectId, outcome: "suggested", cursor, limit: 25 }),
    [projectId],
  );
  const [message, setMessage] = useState("");
  const action = useAction();
  const writable = can("heal:write");
  const id = useId();

  function review(attempt: HealAttempt, decision: "approve" | "reject") {
    return action.run(async () => {
      if (decision === "approve") await healingApi.approveSuggestion(attempt.id);
      else await healingApi.rejectSuggestion(attempt.id);
      setMessage(
        decision === "approve"
          ? `Suggestion approved: ${suggested(attempt)}. Recorded as feedback for retraining.`
          : `Suggestion rejected: ${suggested(attempt)}.`,
      );
      list.reload();
    });
  }

  if (!list.loaded) return <Spinner label="Loading suggestions" />;
  if (list.items.length === 0 && !list.error && !message) return null;
  return (
    <section aria-labelledby={`${id}-h`} className="stack">
      <h2 id={`${id}-h`}>Suggestions from abstained heals</h2>
      <p className="muted small">
        The engine was not confident enough to heal these; its best guess waits for a person.
      </p>
      <Announce message={message} />
      <ErrorNotice error={action.error} />
      <ErrorNotice error={list.error} />
      <ul className="heal-list" aria-label="suggestions awaiting review">
        {list.items.map((attempt) => (
          <li key={attempt.id} className="card heal-card">
            <div className="selector-diff">
              <div>
                <span className="diff-label">Broken</span>
                <code className="diff-old">{attempt.selector ?? "(no selector)"}</code>
              </div>
              <span className="diff-arrow" aria-hidden="true">
                →
              </span>
              <div>
                <span className="diff-label">Suggested</span>
                <code className="diff-new">{suggested(attempt)}</code>
              </div>
            </div>
            <div className="heal-foot">
              <Confidence value={attempt.suggestion?.confidence ?? 0} />
              <span className="muted small">
                {attempt.form} form · {formatRelative(attempt.createdAt)}
              </span>
              {writable && (
                <span className="row-actions">
                  {DECISIONS.map(({ decision, label, className }) => (
                    <button
                      key={decision}
                      type="button"
                      className={`btn ${className} btn-small`}
                      onClick={() => review(attempt, decision)}
                      aria-label={`${label} suggestion ${suggested(attempt)}`}
                    >
                      {label}
                    </button>
                  ))}
                </span>
              )}
            </div>
          </li>
        ))}
      </ul>
      <LoadMore hasMore={list.hasMore} loading={list.loading} onMore={list.more} />
    </section>
  );
}
