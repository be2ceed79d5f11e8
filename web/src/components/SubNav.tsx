import { Link } from "./Link.tsx";

/** The pages of one section (Healing, CI runs, Integrations) as a row of links; the current one is marked. */
export function SubNav({
  label,
  items,
  path,
}: {
  label: string;
  items: { href: string; label: string; match?: (path: string) => boolean }[];
  path: string;
}) {
  return (
    <nav aria-label={label} className="subnav">
      <ul className="subnav-list">
        {items.map((item) => {
          const current = item.match ? item.match(path) : path === item.href;
          return (
            <li key={item.href}>
              <Link href={item.href} aria-current={current ? "page" : undefined}>
                {item.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** Says why actions are missing instead of showing buttons the API would refuse. */
export function ReadOnlyNote({ permission, what }: { permission: string; what: string }) {
  return (
    <p className="notice notice-info small" data-testid="read-only-note">
      Read only: {what} needs the <code>{permission}</code> permission, which your role does not have.
    </p>
  );
}

/** “Load more” under a cursor-paged list. */
export function LoadMore({
  hasMore,
  loading,
  onMore,
  label = "Load more",
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
  label?: string;
}) {
  if (!hasMore) return null;
  return (
    <div className="center">
      <button type="button" className="btn btn-secondary" onClick={onMore} disabled={loading}>
        {loading ? "Loading…" : label}
      </button>
    </div>
  );
}

/** A live region that is always in the page (so updates are announced) and visible once it says something. */
export function Announce({ message, testId }: { message: string; testId?: string }) {
  return (
    <p
      className={message ? "notice notice-ok" : "announce-empty"}
      role="status"
      aria-live="polite"
      data-testid={testId}
    >
      {message}
    </p>
  );
}
