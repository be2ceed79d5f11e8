import { type FormEvent, useEffect, useId, useState } from "react";
import { type AuditEntry, type AuditFilter, api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { EmptyState, ErrorNotice, Spinner } from "../components/Feedback.tsx";
import { formatDateTime, saveBlob } from "../components/format.ts";
import { keyboardScrollable } from "../components/scroll.ts";
import { useAsync } from "../components/useAsync.ts";

/** The tamper-evident audit log: filters, paging, CSV export and the hash-chain verdict. */
export function Audit() {
  const { orgId } = useAppState();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [exporting, setExporting] = useState(false);
  const verdict = useAsync(() => api.verifyAudit(), []);
  const id = useId();

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    api.listAudit({ ...filter, limit: 50 }).then(
      (page) => {
        if (!current) return;
        setEntries(page.items);
        setCursor(page.nextCursor);
        setLoading(false);
      },
      (failure: unknown) => {
        if (!current) return;
        setError(failure);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [filter]);

  async function more() {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await api.listAudit({ ...filter, cursor, limit: 50 });
      setEntries((list) => [...list, ...page.items]);
      setCursor(page.nextCursor);
    } catch (failure) {
      setError(failure);
    } finally {
      setLoading(false);
    }
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
    const time = (name: string) => {
      const value = text(name);
      return value ? new Date(value).getTime() : undefined;
    };
    setFilter({ actor: text("actor"), action: text("action"), from: time("from"), to: time("to") });
  }

  async function exportCsv() {
    setExporting(true);
    setError(null);
    try {
      saveBlob(await api.exportAuditCsv(filter), `audit-${orgId ?? "org"}.csv`);
    } catch (failure) {
      setError(failure);
    } finally {
      setExporting(false);
    }
  }

  return (
    <section className="page" aria-labelledby={`${id}-title`}>
      <header className="page-head">
        <div>
          <h1 id={`${id}-title`}>Audit log</h1>
          <p className="muted">Every change in this organisation, chained by hash so tampering shows.</p>
        </div>
        <div className="page-actions">
          <VerifyBadge verdict={verdict.data} loading={verdict.loading} failed={Boolean(verdict.error)} />
          <button type="button" className="btn btn-secondary" onClick={exportCsv} disabled={exporting}>
            {exporting ? "Exporting…" : "Export CSV"}
          </button>
        </div>
      </header>

      <form className="card filters" onSubmit={apply} aria-label="Filter the audit log">
        <div className="field">
          <label htmlFor={`${id}-actor`}>Actor id</label>
          <input id={`${id}-actor`} name="actor" placeholder="usr_… or key_…" maxLength={64} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            name="action"
            placeholder="api_key.*"
            maxLength={100}
            aria-describedby={`${id}-action-hint`}
          />
          <small id={`${id}-action-hint`} className="visually-hidden">
            Exact, or a prefix ending in *
          </small>
        </div>
        <div className="field">
          <label htmlFor={`${id}-from`}>From</label>
          <input id={`${id}-from`} name="from" type="datetime-local" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>To</label>
          <input id={`${id}-to`} name="to" type="datetime-local" />
        </div>
        <div className="filters-actions">
          <button type="submit" className="btn btn-primary">
            Apply
          </button>
          <button type="reset" className="btn btn-ghost" onClick={() => setFilter({})}>
            Clear
          </button>
        </div>
      </form>

      <ErrorNotice error={error} />
      {entries.length === 0 && loading ? (
        <Spinner label="Loading the audit log" />
      ) : entries.length === 0 ? (
        <EmptyState title="No entries match these filters" />
      ) : (
        <div className="table-wrap" {...keyboardScrollable}>
          <table className="audit-table">
            <caption className="visually-hidden">Audit entries, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td className="nowrap">{formatDateTime(e.createdAt)}</td>
                  <td>
                    <span className="action-chip">{e.action}</span>
                  </td>
                  <td>
                    <span className="muted small">{e.actorType}</span> <code>{e.actorId}</code>
                  </td>
                  <td>
                    <span className="muted small">{e.targetType}</span>{" "}
                    {e.targetId && <code>{e.targetId}</code>}
                  </td>
                  <td className="changes">{e.changes ? <code>{JSON.stringify(e.changes)}</code> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <div className="center">
          <button type="button" className="btn btn-secondary" onClick={more} disabled={loading}>
            {loading ? "Loading…" : "Load older entries"}
          </button>
        </div>
      )}
    </section>
  );
}

function VerifyBadge({
  verdict,
  loading,
  failed,
}: {
  verdict: Awaited<ReturnType<typeof api.verifyAudit>> | undefined;
  loading: boolean;
  failed: boolean;
}) {
  if (loading) return <span className="badge">Verifying chain…</span>;
  if (failed || !verdict) return <span className="badge badge-revoked">Chain not checked</span>;
  return verdict.valid ? (
    <span
      className="badge badge-active"
      title={`${verdict.checked} entries checked`}
      data-testid="audit-verdict"
    >
      ✓ Chain intact · {verdict.checked} entries
    </span>
  ) : (
    <span className="badge badge-revoked" title={verdict.reason} data-testid="audit-verdict">
      ✗ Chain broken at #{verdict.firstBrokenSeq}
    </span>
  );
}
