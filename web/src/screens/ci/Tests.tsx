import { useId } from "react";
import { ciApi } from "../../api-ci.ts";
import { pct } from "../../components/charts.tsx";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Field, QueryFilterForm, SelectField } from "../../components/forms.tsx";
import { PagedTable } from "../../components/PagedView.tsx";
import { usePaged } from "../../components/usePaged.ts";
import { useQuery } from "../../router.ts";
import { TestName } from "./shared.tsx";

const STATUSES = ["healthy", "flaky", "broken", "quarantined"] as const;
const FIELDS = ["q", "file", "tag", "status"] as const;

/** Every test of the project, searchable by name, file, tag and health; the search lives in the URL. */
export function Tests({ projectId }: { projectId: string }) {
  const query = useQuery();
  const q = query.get("q") || undefined;
  const file = query.get("file") || undefined;
  const tag = query.get("tag") || undefined;
  const status = STATUSES.find((s) => s === query.get("status"));
  const tests = usePaged(
    (cursor) => ciApi.tests(projectId, { q, file, tag, status, cursor, limit: 50 }),
    [projectId, q, file, tag, status],
  );
  const id = useId();
  const searching = Boolean(q || file || tag || status);

  return (
    <div>
      <h2 className="visually-hidden">Tests</h2>
      <QueryFilterForm label="Search tests" fields={FIELDS}>
        <Field id={`${id}-q`} label="Name" grow>
          <input id={`${id}-q`} name="q" type="search" maxLength={200} defaultValue={q ?? ""} />
        </Field>
        <Field id={`${id}-file`} label="File">
          <input
            id={`${id}-file`}
            name="file"
            maxLength={200}
            placeholder="checkout.spec.ts"
            defaultValue={file ?? ""}
          />
        </Field>
        <Field id={`${id}-tag`} label="Tag">
          <input id={`${id}-tag`} name="tag" maxLength={100} placeholder="@smoke" defaultValue={tag ?? ""} />
        </Field>
        <SelectField
          id={`${id}-status`}
          label="Status"
          name="status"
          options={STATUSES}
          none="Any"
          defaultValue={status ?? ""}
        />
      </QueryFilterForm>
      <PagedTable
        paged={tests}
        loadingLabel="Loading tests"
        emptyTitle={searching ? "No tests match" : "No tests yet"}
        empty={searching ? "Try a shorter name or another tag." : "Tests appear with the first uploaded run."}
        moreLabel="Load more tests"
        caption="Tests"
        columns={[
          { header: "Test", rowHeader: true, className: "test-cell", cell: TestName },
          {
            header: "Tags",
            cell: (t) =>
              t.tags.length === 0 ? (
                <span className="muted">—</span>
              ) : (
                <span className="tag-list">
                  {t.tags.map((name) => (
                    <span key={name} className="badge">
                      {name}
                    </span>
                  ))}
                </span>
              ),
          },
          {
            header: "Status",
            cell: (t) => (
              <>
                <span className={`badge badge-test-${t.status}`}>{t.status}</span>
                {t.quarantined && <span className="badge badge-pending">quarantined</span>}
              </>
            ),
          },
          { header: "Failure rate", cell: (t) => pct(t.stats.failureRate, 1) },
          {
            header: "Last run",
            cell: (t) => (
              <span title={formatDateTime(t.lastSeenAt)}>
                {t.lastOutcome ?? "—"} · {formatRelative(t.lastSeenAt)}
              </span>
            ),
          },
        ]}
      />
    </div>
  );
}
