import { useId, useState } from "react";
import { type AuditFilter, api } from "../api.ts";
import { useAppState } from "../app-state.tsx";
import { ErrorNotice } from "../components/Feedback.tsx";
import { formatDateTime, saveBlob } from "../components/format.ts";
import { Field, FilterForm, type SubmittedForm, TimeRangeFields } from "../components/forms.tsx";
import { Page } from "../components/Page.tsx";
import { PagedTable } from "../components/PagedView.tsx";
import { useAction } from "../components/useAction.ts";
import { useAsync } from "../components/useAsync.ts";
import { usePaged } from "../components/usePaged.ts";

/** The tamper-evident audit log: filters, paging, CSV export and the hash-chain verdict. */
export function Audit() {
  const { orgId } = useAppState();
  const [filter, setFilter] = useState<AuditFilter>({});
  const entries = usePaged((cursor) => api.listAudit({ ...filter, cursor, limit: 50 }), [filter]);
  const exporting = useAction();
  const verdict = useAsync(() => api.verifyAudit(), []);
  const id = useId();

  function apply({ text, time }: SubmittedForm) {
    setFilter({ actor: text("actor"), action: text("action"), from: time("from"), to: time("to") });
  }

  function exportCsv() {
    return exporting.submit(async () => {
      saveBlob(await api.exportAuditCsv(filter), `audit-${orgId ?? "org"}.csv`);
    });
  }

  return (
    <Page
      id={`${id}-title`}
      title="Audit log"
      lead="Every change in this organisation, chained by hash so tampering shows."
      actions={
        <>
          <VerifyBadge verdict={verdict.data} loading={verdict.loading} failed={Boolean(verdict.error)} />
          <button type="button" className="btn btn-secondary" onClick={exportCsv} disabled={exporting.busy}>
            {exporting.busy ? "Exporting…" : "Export CSV"}
          </button>
        </>
      }
    >
      <FilterForm label="Filter the audit log" onApply={apply} onClear={() => setFilter({})}>
        <Field id={`${id}-actor`} label="Actor id">
          <input id={`${id}-actor`} name="actor" placeholder="usr_… or key_…" maxLength={64} />
        </Field>
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
        <TimeRangeFields id={id} />
      </FilterForm>

      <ErrorNotice error={exporting.error} />
      <PagedTable
        paged={entries}
        loadingLabel="Loading the audit log"
        emptyTitle="No entries match these filters"
        moreLabel="Load older entries"
        caption="Audit entries, newest first"
        className="audit-table"
        columns={[
          { header: "When", className: "nowrap", cell: (e) => formatDateTime(e.createdAt) },
          { header: "Action", cell: (e) => <span className="action-chip">{e.action}</span> },
          {
            header: "Actor",
            cell: (e) => (
              <>
                <span className="muted small">{e.actorType}</span> <code>{e.actorId}</code>
              </>
            ),
          },
          {
            header: "Target",
            cell: (e) => (
              <>
                <span className="muted small">{e.targetType}</span> {e.targetId && <code>{e.targetId}</code>}
              </>
            ),
          },
          {
            header: "Details",
            className: "changes",
            cell: (e) => (e.changes ? <code>{JSON.stringify(e.changes)}</code> : null),
          },
        ]}
      />
    </Page>
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
