import type { ReactNode } from "react";
import { DataTable, type TableOf } from "./DataTable.tsx";
import { EmptyState, ErrorNotice, Spinner } from "./Feedback.tsx";
import { LoadMore } from "./SubNav.tsx";
import type { PagedState } from "./usePaged.ts";

/** What a paged list shows besides its items: the state, and the wording of loading, empty and more. */
export type PagedViewProps<T> = {
  paged: PagedState<T>;
  loadingLabel: string;
  emptyTitle: string;
  empty?: ReactNode;
  moreLabel?: string;
};

/**
 * The states of a cursor-paged list in one place, never two that contradict: skeleton lines until the
 * first page; a failed first page shows its error with Retry and no empty state (nothing is known to be
 * empty); then the items (drawn by `children`) or the empty state, and "Load more".
 */
export function PagedView<T>({
  paged,
  loadingLabel,
  emptyTitle,
  empty,
  moreLabel,
  children,
}: PagedViewProps<T> & { children: (items: T[]) => ReactNode }) {
  return (
    <>
      <ErrorNotice error={paged.error} onRetry={paged.reload} />
      {!paged.loaded ? (
        <Spinner label={loadingLabel} />
      ) : paged.error && paged.items.length === 0 ? null : paged.items.length === 0 ? (
        <EmptyState title={emptyTitle}>{empty}</EmptyState>
      ) : (
        children(paged.items)
      )}
      <LoadMore hasMore={paged.hasMore} loading={paged.loading} onMore={paged.more} label={moreLabel} />
    </>
  );
}

/** The usual list screen: a `PagedView` whose items are drawn as a `DataTable`. */
export function PagedTable<T extends { id: string }>({
  paged,
  loadingLabel,
  emptyTitle,
  empty,
  moreLabel,
  ...table
}: PagedViewProps<T> & TableOf<T>) {
  return (
    <PagedView
      paged={paged}
      loadingLabel={loadingLabel}
      emptyTitle={emptyTitle}
      empty={empty}
      moreLabel={moreLabel}
    >
      {(items) => <DataTable rows={items} {...table} />}
    </PagedView>
  );
}
