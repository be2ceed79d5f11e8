import type { ReactNode } from "react";
import { EmptyState, ErrorNotice, Spinner } from "./Feedback.tsx";
import { LoadMore } from "./SubNav.tsx";
import type { PagedState } from "./usePaged.ts";

/**
 * The states of a cursor-paged list in one place: its error, a spinner until the first page, an empty
 * state, the items (drawn by `children`) and "Load more".
 */
export function PagedView<T>({
  paged,
  loadingLabel,
  emptyTitle,
  empty,
  moreLabel,
  children,
}: {
  paged: PagedState<T>;
  loadingLabel: string;
  emptyTitle: string;
  empty?: ReactNode;
  moreLabel?: string;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <>
      <ErrorNotice error={paged.error} />
      {!paged.loaded ? (
        <Spinner label={loadingLabel} />
      ) : paged.items.length === 0 ? (
        <EmptyState title={emptyTitle}>{empty}</EmptyState>
      ) : (
        children(paged.items)
      )}
      <LoadMore hasMore={paged.hasMore} loading={paged.loading} onMore={paged.more} label={moreLabel} />
    </>
  );
}
