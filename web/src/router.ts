import { useEffect, useState } from "react";

// A small router: the Worker's assets serve index.html for every unknown path (SPA fallback), so plain
// history URLs work on reload and can be shared. Every screen lives under `/o/{orgId}/p/{projectId}`;
// screens and links speak in inner paths (`/ci/runs/run_…`) and the prefix of the current URL is added
// here, so a copied link always names the organisation and project it was taken in.

const listeners = new Set<() => void>();

export type RouteContext = { orgId: string; projectId: string | null; rest: string };

const CONTEXT = /^\/o\/(org_[0-9a-z]+)(?:\/p\/(prj_[0-9a-z]+))?(\/.*)?$/;
/** Paths that never carry an organisation (accepting an invite happens before one is chosen). */
const UNSCOPED = ["/join"];

/** Splits `/o/{orgId}/p/{projectId}/rest` into its parts; null when the path carries no context. */
export function splitContext(pathname: string): RouteContext | null {
  const found = CONTEXT.exec(pathname);
  if (!found) return null;
  return { orgId: found[1]!, projectId: found[2] ?? null, rest: found[3] ?? "/" };
}

/** The full path for an inner path in the given (or the current URL's) organisation and project. */
export function scoped(inner: string, context: Omit<RouteContext, "rest"> | null = currentContext()): string {
  if (!inner.startsWith("/") || inner.startsWith("/o/") || !context) return inner;
  if (UNSCOPED.some((p) => inner === p || inner.startsWith(`${p}?`))) return inner;
  const project = context.projectId ? `/p/${context.projectId}` : "";
  return `/o/${context.orgId}${project}${inner === "/" ? "" : inner}`;
}

function currentContext(): RouteContext | null {
  return splitContext(location.pathname);
}

export function navigate(path: string, options: { replace?: boolean } = {}) {
  const target = scoped(path);
  if (target === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, "", target);
  else history.pushState(null, "", target);
  for (const listener of listeners) listener();
}

function useLocationValue<T>(read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(read);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, [read]);
  return value;
}

const readPathname = () => location.pathname;
const readSearch = () => location.search;

/** The full pathname, prefix included. */
export function useFullPath(): string {
  return useLocationValue(readPathname);
}

/** The path inside the organisation and project (`/ci/runs/run_…`): what screens match against. */
export function usePath(): string {
  const full = useFullPath();
  return splitContext(full)?.rest ?? full;
}

/** The query string's parameters, kept current on navigation: filters live there so links share them. */
export function useQuery(): URLSearchParams {
  return new URLSearchParams(useLocationValue(readSearch));
}

/** Replaces some query parameters (empty values removed) without adding a history entry. */
export function setQuery(changes: Record<string, string | null | undefined>) {
  const params = new URLSearchParams(location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value) params.set(key, value);
    else params.delete(key);
  }
  const search = params.toString();
  navigate(`${location.pathname}${search ? `?${search}` : ""}`, { replace: true });
}

/** `/sessions/:id` style matching; returns the named segments or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.replace(/\/+$/, "").split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(":")) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}
