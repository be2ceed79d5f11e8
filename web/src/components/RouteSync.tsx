import { useEffect } from "react";
import { useAppState } from "../app-state.tsx";
import { navigate, splitContext, useFullPath } from "../router.ts";

const TITLES: Record<string, string> = {
  healing: "Healing",
  ci: "CI runs",
  sessions: "Sessions",
  pipeline: "Pipeline",
  integrations: "Integrations",
  keys: "API keys",
  members: "Members",
  audit: "Audit log",
  usage: "Usage",
  workflows: "AI workflows",
  generations: "Test generation",
  insight: "Insight",
  security: "Security",
  settings: "Project settings",
  join: "Join",
};

/** "Section · Organisation · Shifty": several dashboard tabs stay tellable apart. */
export function pageTitle(rest: string, orgName: string | undefined): string {
  const [, section, id] = rest.split("/");
  const label = (section && TITLES[section]) ?? "Shifty";
  const detail = id && /^[a-z]+_[0-9a-z]+$/.test(id) ? ` ${id}` : "";
  return [`${label}${detail}`, orgName, "Shifty"].filter(Boolean).join(" · ");
}

/**
 * Keeps the URL (`/o/{orgId}/p/{projectId}/…`) and the chosen organisation and project in step: a link
 * of another organisation the user belongs to switches to it, one the user does not belong to says so
 * (returned as the screen to show), and an old path without the prefix is redirected to the new form.
 */
export function useRouteSync(): React.ReactNode {
  const { orgs, orgId, org, projectId, projects, adoptOrg, adoptProject } = useAppState();
  const full = useFullPath();
  const context = splitContext(full);
  const foreignOrg = context !== null && orgs.length > 0 && !orgs.some((o) => o.orgId === context.orgId);
  const foreignProject =
    context?.projectId != null &&
    context.orgId === orgId &&
    projects !== null &&
    !projects.some((p) => p.id === context.projectId);

  useEffect(() => {
    // A click may have moved the URL after this render and before its effect ran: the stale path must
    // not redirect over it (the newer path's render runs this again).
    if (full !== location.pathname) return;
    if (full === "/join") return;
    if (!context) {
      // An old path (`/ci/runs/…`) or the root: move it under the current organisation and project.
      if (orgId && (projectId || projects?.length === 0)) {
        const inner = full === "/" ? "/sessions" : full;
        const project = projectId ? `/p/${projectId}` : "";
        navigate(`/o/${orgId}${project}${inner}${location.search}`, { replace: true });
      }
      return;
    }
    if (foreignOrg) return;
    if (context.orgId !== orgId) {
      if (orgs.some((o) => o.orgId === context.orgId)) adoptOrg(context.orgId);
      return;
    }
    if (context.projectId && context.projectId !== projectId && !foreignProject) {
      if (projects?.some((p) => p.id === context.projectId)) adoptProject(context.projectId);
      return;
    }
    // The organisation's link without a project (after switching organisation): add the chosen one.
    if (!context.projectId && projectId && projects?.some((p) => p.id === projectId)) {
      const rest = context.rest === "/" ? "/sessions" : context.rest;
      navigate(`/o/${context.orgId}/p/${projectId}${rest}${location.search}`, { replace: true });
    }
  }, [full, context, orgId, projectId, projects, orgs, foreignOrg, foreignProject, adoptOrg, adoptProject]);

  useEffect(() => {
    document.title = pageTitle(context?.rest ?? full, org?.name);
  }, [context?.rest, full, org?.name]);

  if (foreignOrg)
    return (
      <section className="page">
        <h1>Not your organisation</h1>
        <p>
          This link belongs to organisation <code>{context.orgId}</code>, which you are not a member of. Ask
          one of its admins for an invite, or{" "}
          <a href={orgId ? `/o/${orgId}/sessions` : "/"}>go back to your own</a>.
        </p>
      </section>
    );
  if (foreignProject)
    return (
      <section className="page">
        <h1>Project not found</h1>
        <p>
          This link names project <code>{context?.projectId}</code>, which does not exist in{" "}
          {org?.name ?? "this organisation"}. Choose a project in the sidebar.
        </p>
      </section>
    );
  return null;
}
