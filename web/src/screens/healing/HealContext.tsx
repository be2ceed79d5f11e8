import { useState } from "react";
import { healingApi } from "../../api-healing.ts";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { useAsync } from "../../components/useAsync.ts";

/**
 * The DOM around a heal's old and new element, loaded when opened (GET /v1/heals/{id}/context): what the
 * reviewer compares before approving. Heals carry no screenshot, and the panel says so.
 */
export function HealContextPanel({ healId }: { healId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="heal-context" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>DOM around the old and new element</summary>
      {open && <Loaded healId={healId} />}
    </details>
  );
}

function Loaded({ healId }: { healId: string }) {
  const context = useAsync(() => healingApi.context(healId), [healId]);
  if (context.error) return <ErrorNotice error={context.error} onRetry={context.reload} />;
  if (!context.data) return <Spinner label="Loading the DOM" lines={2} />;
  const c = context.data;
  if (c.form === null) return <p className="muted small">The page this heal saw is no longer kept.</p>;
  return (
    <div className="heal-context-grid" data-testid="heal-context">
      <Side title="Old element (page before)" side={c.old} />
      <Side title="New element (page now)" side={c.new} />
      <p className="muted small">No screenshot is stored for heals.</p>
    </div>
  );
}

function Side({ title, side }: { title: string; side: { element: string; around: string } | null }) {
  return (
    <figure>
      <figcaption className="small">
        <strong>{title}</strong>
      </figcaption>
      {side ? (
        <>
          <code className="response-snippet">{side.element}</code>
          {side.around !== side.element && <pre className="code-block heal-around">{side.around}</pre>}
        </>
      ) : (
        <p className="muted small">Not found in the page this heal was given.</p>
      )}
    </figure>
  );
}
