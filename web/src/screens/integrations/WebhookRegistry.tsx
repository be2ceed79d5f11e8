import type { ReactNode } from "react";
import { useAppState } from "../../app-state.tsx";
import type { TableOf } from "../../components/DataTable.tsx";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { PagedTable, type PagedViewProps } from "../../components/PagedView.tsx";
import { ReadOnlyNote } from "../../components/SubNav.tsx";

/**
 * The page of one kind of webhook registration (inbound sources, outbound endpoints): heading and lead,
 * the create `form` for those who may manage webhooks (else what they cannot do), the `secret` shown once
 * after a create, the error of the last action, and the paged list, with row `actions` only for managers.
 * The list is captioned with the `title`, and its empty state says there are none of them yet.
 */
export function WebhookRegistry<T extends { id: string }>({
  title,
  lead,
  form,
  readOnlyWhat,
  secret,
  error,
  actions,
  ...table
}: {
  title: string;
  lead: ReactNode;
  form: ReactNode;
  readOnlyWhat: string;
  secret: ReactNode;
  error: unknown;
} & Omit<PagedViewProps<T>, "emptyTitle"> &
  Omit<TableOf<T>, "caption">) {
  const manage = useAppState().can("webhooks:manage");
  return (
    <div>
      <h2>{title}</h2>
      <p className="muted small">{lead}</p>
      {manage ? form : <ReadOnlyNote permission="webhooks:manage" what={readOnlyWhat} />}
      {secret}
      <ErrorNotice error={error} />
      <PagedTable
        {...table}
        caption={title}
        emptyTitle={`No ${title.toLowerCase()} yet`}
        actions={manage ? actions : undefined}
      />
    </div>
  );
}
