import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import {
  type AuthSession,
  api,
  credentials,
  type Membership,
  type Project,
  whenUnauthenticated,
} from "./api.ts";

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
  switchOrg: (orgId: string) => void;
  switchProject: (projectId: string | null) => void;
};

const Context = createContext<AppState | null>(null);

/** Who is signed in, in which organisation and project: the few facts every screen needs. */
export function AppStateProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<AuthSession | null>(() => credentials.load());
  const [orgs, setOrgs] = useState<Membership[]>(() => credentials.load()?.orgs ?? []);
  const [orgId, setOrgId] = useState<string | null>(() => credentials.orgId());
  const [projectId, setProjectId] = useState<string | null>(() => sessionStorage.getItem(PROJECT_KEY));

  const signOut = useCallback(() => {
    credentials.clear();
    sessionStorage.removeItem(PROJECT_KEY);
    setSession(null);
    setOrgs([]);
    setOrgId(null);
    setProjectId(null);
  }, []);

  useEffect(() => whenUnauthenticated(signOut), [signOut]);

  const [projects, setProjects] = useState<Project[] | null>(null);
  const [projectsError, setProjectsError] = useState<unknown>(null);
  useEffect(() => {
    setProjects(null);
    setProjectsError(null);
    if (!session || !orgId) return;
    let current = true;
    api.listProjects({ limit: 100 }).then(
      (page) => {
        if (!current) return;
        setProjects(page.items);
        setProjectId((chosen) => {
          const next = page.items.some((p) => p.id === chosen) ? chosen : (page.items[0]?.id ?? null);
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

  const switchOrg = useCallback((next: string) => {
    credentials.setOrgId(next);
    sessionStorage.removeItem(PROJECT_KEY);
    setOrgId(next);
    setProjectId(null);
  }, []);

  const signIn = useCallback(
    (next: AuthSession) => {
      credentials.save(next);
      setSession(next);
      setOrgs(next.orgs);
      const first = next.orgs[0]?.orgId;
      if (first) switchOrg(first);
    },
    [switchOrg],
  );

  const switchProject = useCallback((next: string | null) => {
    if (next) sessionStorage.setItem(PROJECT_KEY, next);
    else sessionStorage.removeItem(PROJECT_KEY);
    setProjectId(next);
  }, []);

  const addProject = useCallback(
    (project: Project) => {
      setProjects((list) => [project, ...(list ?? []).filter((p) => p.id !== project.id)]);
      switchProject(project.id);
    },
    [switchProject],
  );

  const value = useMemo<AppState>(
    () => ({
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
      setOrgs,
      switchOrg,
      switchProject,
    }),
    [
      session,
      orgs,
      orgId,
      projectId,
      projects,
      projectsError,
      permissions,
      can,
      addProject,
      signIn,
      signOut,
      switchOrg,
      switchProject,
    ],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useAppState(): AppState {
  const state = useContext(Context);
  if (!state) throw new Error("useAppState outside AppStateProvider");
  return state;
}
