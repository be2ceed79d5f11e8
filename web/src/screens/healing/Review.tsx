import { type FormEvent, useEffect, useId, useState } from "react";
import { type HealedLocator, type HealStatus, healingApi } from "../../api-healing.ts";
import { useAppState } from "../../app-state.tsx";
import { pct } from "../../components/charts.tsx";
import { Dialog } from "../../components/Dialog.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { ButtonGroup, Field, PercentField, readPercent, SaveButton } from "../../components/forms.tsx";
import { ProjectGate } from "../../components/ProjectGate.tsx";
import { Announce, LoadMore, ReadOnlyNote } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";
import { useChangePoll } from "../../components/useChangePoll.ts";
import { usePaged } from "../../components/usePaged.ts";
import { Confidence } from "./Confidence.tsx";
import { HealContextPanel } from "./HealContext.tsx";
import { Suggestions } from "./Suggestions.tsx";

/** How long the Undo button stays after an approval (the server allows two minutes). */
const UNDO_OFFER_MS = 30_000;

const STATUSES: { value: HealStatus; label: string }[] = [
  { value: "pending", label: "Pending" },
  { value: "accepted", label: "Accepted" },
  { value: "rejected", label: "Rejected" },
];

/**
 * The current project's review queue: suggestions of abstaining heals, then healed locators (review
 * pending ones); the auto-accept threshold beside them.
 */
export function Review() {
  return (
    <ProjectGate>
      {(projectId) => (
        <div className="split">
          <div className="split-main">
            <Suggestions projectId={projectId} />
            <Queue projectId={projectId} />
          </div>
          <div className="split-side">
            <Settings projectId={projectId} />
          </div>
        </div>
      )}
    </ProjectGate>
  );
}

function Queue({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  const [status, setStatus] = useState<HealStatus>("pending");
  const heals = usePaged(
    (cursor) => healingApi.heals(projectId, { status, cursor, limit: 25 }),
    [projectId, status],
  );
  // Live: heals recorded by a running suite join the queue without a reload (docs/live-updates.md).
  useChangePoll(healingApi.healsPath(projectId), { status, limit: 25 }, heals.reload);
  const [rejecting, setRejecting] = useState<HealedLocator | null>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [undoable, setUndoable] = useState<HealedLocator | null>(null);
  const writable = can("heal:write");
  const id = useId();

  useEffect(() => {
    if (!undoable) return;
    const expire = setTimeout(() => setUndoable(null), UNDO_OFFER_MS);
    return () => clearTimeout(expire);
  }, [undoable]);

  async function approve(heal: HealedLocator) {
    setError(null);
    try {
      await healingApi.approve(heal.id);
      setMessage(`Approved: ${heal.originalSelector} → ${heal.healedSelector}. Later runs reuse it.`);
      setUndoable(heal);
      heals.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  async function undo() {
    if (!undoable) return;
    setError(null);
    try {
      await healingApi.undoReview(undoable.id);
      setMessage(`Approval undone: ${undoable.healedSelector} waits for review again.`);
      setUndoable(null);
      heals.reload();
    } catch (failure) {
      setUndoable(null);
      setError(failure);
    }
  }

  async function reject(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!rejecting) return;
    const form = new FormData(event.currentTarget);
    const correctSelector = String(form.get("correctSelector") ?? "").trim() || undefined;
    const note = String(form.get("note") ?? "").trim() || undefined;
    setError(null);
    try {
      await healingApi.reject(rejecting.id, { correctSelector, note });
      setMessage(`Rejected: ${rejecting.healedSelector}. Later runs will not reuse it.`);
      setRejecting(null);
      heals.reload();
    } catch (failure) {
      setError(failure);
    }
  }

  return (
    <div>
      <div className="toolbar">
        <h2 id={`${id}-h`}>Healed locators</h2>
        <ButtonGroup legend="Show heals that are" options={STATUSES} value={status} onChange={setStatus} />
      </div>
      {!writable && <ReadOnlyNote permission="heal:write" what="approving or rejecting heals" />}
      <Announce message={message} />
      {undoable && (
        <p className="undo-bar">
          <button type="button" className="btn btn-secondary btn-small" onClick={undo}>
            Undo approval
          </button>
        </p>
      )}
      <ErrorNotice error={error} />
      <ErrorNotice error={heals.error} />
      {!heals.loaded ? (
        <Spinner label="Loading healed locators" />
      ) : heals.items.length === 0 ? (
        <EmptyState title={status === "pending" ? "Nothing waits for review" : `No ${status} heals`}>
          {status === "pending"
            ? "Heals under the auto-accept threshold land here for a person to approve or reject."
            : null}
        </EmptyState>
      ) : (
        <ul className="heal-list" aria-label={`${status} healed locators`}>
          {heals.items.map((heal) => (
            <li key={heal.id} className="card heal-card">
              <div className="heal-head">
                <div className="heal-test">
                  <strong>{heal.testTitle}</strong>
                  <span className="muted small block">
                    <code>{heal.location}</code>
                  </span>
                </div>
                <span className={`badge badge-${heal.status}`}>
                  {heal.autoAccepted ? "auto-accepted" : heal.status}
                </span>
              </div>
              <div className="selector-diff">
                <div>
                  <span className="diff-label">Old</span>
                  <code className="diff-old">{heal.originalSelector}</code>
                </div>
                <span className="diff-arrow" aria-hidden="true">
                  →
                </span>
                <div>
                  <span className="diff-label">New</span>
                  <code className="diff-new">{heal.healedLocator ?? heal.healedSelector}</code>
                </div>
              </div>
              <HealContextPanel healId={heal.id} />
              <div className="heal-foot">
                <Confidence value={heal.confidence} />
                <span className="muted small">
                  {heal.occurrences} {heal.occurrences === 1 ? "occurrence" : "occurrences"} · seen{" "}
                  {formatRelative(heal.updatedAt)}
                  {heal.reviewNote ? ` · “${heal.reviewNote}”` : ""}
                </span>
                {writable && heal.status === "pending" && (
                  <span className="row-actions">
                    <button
                      type="button"
                      className="btn btn-primary btn-small"
                      onClick={() => approve(heal)}
                      aria-label={`Approve heal in ${heal.testTitle}`}
                    >
                      Approve
                    </button>
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      onClick={() => {
                        setError(null);
                        setRejecting(heal);
                      }}
                      aria-label={`Reject heal in ${heal.testTitle}`}
                    >
                      Reject…
                    </button>
                  </span>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <LoadMore hasMore={heals.hasMore} loading={heals.loading} onMore={heals.more} />
      <Dialog open={rejecting !== null} title="Reject this heal" onClose={() => setRejecting(null)}>
        {rejecting && (
          <form className="stack" onSubmit={reject}>
            <p className="small">
              <code>{rejecting.healedSelector}</code> will never be reused. If you know the right selector,
              give it: retraining learns from it.
            </p>
            <Field id={`${id}-correct`} label="Correct selector" optional>
              <input
                id={`${id}-correct`}
                name="correctSelector"
                maxLength={4096}
                placeholder="[data-testid=pay]"
              />
            </Field>
            <Field id={`${id}-note`} label="Note" optional>
              <input id={`${id}-note`} name="note" maxLength={2000} />
            </Field>
            <ErrorNotice error={error} />
            <div className="actions">
              <button type="button" className="btn btn-ghost" onClick={() => setRejecting(null)}>
                Cancel
              </button>
              <button type="submit" className="btn btn-danger">
                Reject heal
              </button>
            </div>
          </form>
        )}
      </Dialog>
    </div>
  );
}

function Settings({ projectId }: { projectId: string }) {
  const { can } = useAppState();
  const settings = useAsync(() => healingApi.settings(projectId), [projectId]);
  const [saved, setSaved] = useState("");
  const action = useAction();
  const writable = can("projects:write") && can("heal:write");
  const id = useId();

  function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const threshold = readPercent(new FormData(event.currentTarget), "threshold");
    if (threshold === null) return;
    setSaved("");
    return action.submit(async () => {
      const next = await healingApi.saveSettings(projectId, threshold);
      setSaved(`Saved: heals at or above ${pct(next.autoAcceptThreshold, 1)} are accepted without review.`);
      settings.reload();
    });
  }

  return (
    <form className="card stack" onSubmit={save} aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>Heal settings</h2>
      <ErrorNotice error={settings.error} />
      {settings.data ? (
        <>
          <PercentField
            id={`${id}-threshold`}
            label="Auto-accept threshold (%)"
            name="threshold"
            share={settings.data.autoAcceptThreshold}
            required
            disabled={!writable}
            hint={
              <>
                Heals recorded at or above this confidence are accepted at once; the rest wait for review.
                {settings.data.updatedAt
                  ? ` Last changed ${formatRelative(settings.data.updatedAt)}.`
                  : " (default)"}
              </>
            }
          />
          {writable ? (
            <SaveButton busy={action.busy}>Save threshold</SaveButton>
          ) : (
            <ReadOnlyNote permission="projects:write" what="changing the threshold" />
          )}
        </>
      ) : (
        settings.loading && <Spinner label="Loading settings" />
      )}
      <ErrorNotice error={action.error} />
      <Announce message={saved} />
    </form>
  );
}
