import { generationApi, SOURCE_LABELS } from "../../api-generation.ts";
import { formatDateTime, formatRelative } from "../../components/format.ts";
import { Link } from "../../components/Link.tsx";
import { PagedTable } from "../../components/PagedView.tsx";
import { usePaged } from "../../components/usePaged.ts";
import { StartPanel } from "./StartPanel.tsx";
import { StatusBadge } from "./shared.tsx";

/** The project's generations, newest first, and how to start one. */
export function Generations({ projectId }: { projectId: string }) {
  const list = usePaged((cursor) => generationApi.list(projectId, { cursor, limit: 25 }), [projectId]);
  return (
    <div className="stack-lg">
      <StartPanel projectId={projectId} />
      <h2>Generations</h2>
      <PagedTable
        paged={list}
        loadingLabel="Loading generations"
        emptyTitle="No generations yet"
        empty="Run the command above against your app, or generate from a manual session."
        moreLabel="Load older generations"
        caption="Generations, newest first"
        columns={[
          {
            header: "Created",
            rowHeader: true,
            className: "nowrap",
            cell: (g) => (
              <Link href={`/generations/${g.id}`} title={formatDateTime(g.createdAt)}>
                {formatRelative(g.createdAt)}
              </Link>
            ),
          },
          {
            header: "Source",
            cell: (g) => (
              <>
                {SOURCE_LABELS[g.source]}
                <span className="muted small block mono">{g.appUrl}</span>
              </>
            ),
          },
          { header: "Status", cell: (g) => <StatusBadge status={g.status} /> },
          { header: "Tests", className: "num", cell: (g) => g.figures.tests },
          { header: "Assertions", className: "num", cell: (g) => g.figures.assertions },
        ]}
      />
    </div>
  );
}
