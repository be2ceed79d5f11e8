import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from "react";
import {
  type AuthSession,
  allPages,
  api,
  credentials,
  type Membership,
  type Project,
  whenUnauthenticated,
} from "./api.ts";
import { navigate, splitContext } from "./router.ts";

const PROJECT_KEY = "shifty.project";

export type AppState = {
  session: AuthSession | null;
  orgs: Membership[];
  orgId: string | null;
  org: Membership | null;
  projectId: string | null;
  /** The organisation's projects; null until loaded. */
  projects: Project[] | null;
  projectsError: unknown;
  /** The caller's permissions in the current organisation (GET /v1/me); null until loaded. */
  permissions: ReadonlySet<string> | null;
  /** False until the permissions are known, so a control never flashes on and then off. */
  can: (permission: string) => boolean;
  addProject: (project: Project) => void;
  signIn: (session: AuthSession) => void;
  signOut: () => void;
  setOrgs: (orgs: Membership[]) => void;
  /** Switches organisation and moves the URL to the same section there. */
  switchOrg: (orgId: string) => void;
  switchProject: (projectId: string | null) => void;
  /** Follows the URL: sets the organisation or project without touching the URL. */
  adoptOrg: (orgId: string) => void;
  adoptProject: (projectId: string | null) => void;
};

const Context = createContext<AppState | null>(null);

/** Who is signed in, in which organisation and project: the few facts every screen needs. */
export function AppStateProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<AuthSession | null>(() => credentials.load());
  const [orgs, setOrgs] = useState<Membership[]>(() => credentials.load()?.orgs ?? []);
  // A URL naming an organisation and project wins over the tab's last choice (see router.ts).
  const [orgId, setOrgId] = useState<string | null>(() => {
    const linked = splitContext(location.pathname)?.orgId;
    const stored = credentials.load();
    if (stored?.orgs.some((o) => o.orgId === linked)) return linked!;
    return credentials.orgId() ?? stored?.orgs[0]?.orgId ?? null;
  });
  const [projectId, setProjectId] = useState<string | null>(
    () => splitContext(location.pathname)?.projectId ?? sessionStorage.getItem(PROJECT_KEY),
  );

  const forget = useCallback(() => {
    credentials.clear();
    sessionStorage.removeItem(PROJECT_KEY);
    setSession(null);
    setOrgs([]);
    setOrgId(null);
    setProjectId(null);
  }, []);

  // Signing out clears the cookie on the server; other tabs follow through the storage event.
  const signOut = useCallback(() => {
    api.signOut().catch(() => {});
    forget();
  }, [forget]);
  useEffect(() => whenUnauthenticated(forget), [forget]);
  useEffect(() => {
    const follow = (event: StorageEvent) => {
      if (event.key === null || event.key === "shifty.session") {
        const stored = credentials.load();
        if (!stored) forget();
        else if (!session) {
          setSession(stored);
          setOrgs(stored.orgs);
        }
      }
    };
    window.addEventListener("storage", follow);
    return () => window.removeEventListener("storage", follow);
  }, [forget, session]);

  const [projects, setProjects] = useState<Project[] | null>(null);
  const [projectsError, setProjectsError] = useState<unknown>(null);
  useEffect(() => {
    setProjects(null);
    setProjectsError(null);
    if (!session || !orgId) return;
    let current = true;
    // Every project, not a first page: the switcher, the URL's project and every form's Project
    // select are checked against this list, so a project past the first page would be unreachable.
    allPages(api.listProjects).then(
      (items) => {
        if (!current) return;
        setProjects(items);
        setProjectId((chosen) => {
          const next = items.some((p) => p.id === chosen) ? chosen : (items[0]?.id ?? null);
          if (next) sessionStorage.setItem(PROJECT_KEY, next);
          else sessionStorage.removeItem(PROJECT_KEY);
          return next;
        });
      },
      (failure: unknown) => current && setProjectsError(failure),
    );
    return () => {
      current = false;
    };
  }, [session, orgId]);

  const [permissions, setPermissions] = useState<ReadonlySet<string> | null>(null);
  useEffect(() => {
    setPermissions(null);
    if (!session || !orgId) return;
    let current = true;
    api.me().then(
      (me) => current && setPermissions(new Set(me.permissions)),
      // Without the answer every gated control stays hidden; the screens' own calls show the error.
      () => current && setPermissions(new Set()),
    );
    return () => {
      current = false;
    };
  }, [session, orgId]);
  const can = useCallback((permission: string) => permissions?.has(permission) ?? false, [permissions]);

  const adoptOrg = useCallback((next: string) => {
    credentials.setOrgId(next);
    sessionStorage.removeItem(PROJECT_KEY);
    setOrgId(next);
    setProjectId(null);
  }, []);

  const switchOrg = useCallback(
    (next: string) => {
      adoptOrg(next);
      navigate(`/o/${next}${sectionOf(location.pathname)}`);
    },
    [adoptOrg],
  );

  /** New memberships (an accepted invite) are kept with the stored sign-in, so other tabs and reloads know them. */
  const saveOrgs = useCallback((next: Membership[]) => {
    const stored = credentials.load();
    if (stored) credentials.save({ ...stored, orgs: next });
    setOrgs(next);
  }, []);

  const signIn = useCallback(
    (next: AuthSession) => {
      credentials.save(next);
      setSession(next);
      setOrgs(next.orgs);
      // A deep link opened before signing in keeps its organisation when the user belongs to it.
      const linked = splitContext(location.pathname)?.orgId;
      const chosen = next.orgs.find((o) => o.orgId === linked)?.orgId ?? next.orgs[0]?.orgId;
      if (chosen) adoptOrg(chosen);
    },
    [adoptOrg],
  );

  const adoptProject = useCallback((next: string | null) => {
    if (next) sessionStorage.setItem(PROJECT_KEY, next);
    else sessionStorage.removeItem(PROJECT_KEY);
    setProjectId(next);
  }, []);

  const switchProject = useCallback(
    (next: string | null) => {
      adoptProject(next);
      const context = splitContext(location.pathname);
      if (context) navigate(`/o/${context.orgId}${next ? `/p/${next}` : ""}${sectionOf(location.pathname)}`);
    },
    [adoptProject],
  );

  const addProject = useCallback(
    (project: Project) => {
      setProjects((list) => [project, ...(list ?? []).filter((p) => p.id !== project.id)]);
      switchProject(project.id);
    },
    [switchProject],
  );

  // No useMemo: this provider sits at the root and every value below is its own state or a callback over
  // it, so it renders only when one of them changed, and a memo would list them all a second time.
  const value: AppState = {
    session,
    orgs,
    orgId,
    org: orgs.find((o) => o.orgId === orgId) ?? null,
    projectId,
    projects,
    projectsError,
    permissions,
    can,
    addProject,
    signIn,
    signOut,
    setOrgs: saveOrgs,
    switchOrg,
    switchProject,
    adoptOrg,
    adoptProject,
  };
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

/** The first segment of the inner path (`/ci` of `/ci/runs/run_…`): ids of one project mean nothing in another. */
function sectionOf(pathname: string): string {
  const rest = splitContext(pathname)?.rest ?? pathname;
  const section = rest.split("/")[1];
  return section && section !== "join" ? `/${section}` : "";
}

export function useAppState(): AppState {
  const state = useContext(Context);
  if (!state) throw new Error("useAppState outside AppStateProvider");
  return state;
}
