import { lazy, type ReactNode, Suspense, useEffect, useRef } from "react";
import { useAppState } from "./app-state.tsx";
import { initials } from "./components/avatar.ts";
import { OfflineBanner, Spinner } from "./components/Feedback.tsx";
import { Link } from "./components/Link.tsx";
import { MfaRequiredNotice } from "./components/MfaRequiredNotice.tsx";
import { OrgSwitcher } from "./components/OrgSwitcher.tsx";
import { ProjectSwitcher } from "./components/ProjectSwitcher.tsx";
import { useRouteSync } from "./components/RouteSync.tsx";
import { match, usePath } from "./router.ts";
import { Logo, SignIn } from "./screens/SignIn.tsx";

// Every screen loads on first visit: the entry chunk holds React, the shell and the sign-in page only
// (its gzip size is checked by test/e2e/dashboard/bundle.spec.ts).
/** A screen loaded on first visit from its module, which exports it as `name`. */
function screen<K extends string, P extends object>(
  load: () => Promise<Record<K, (props: P) => ReactNode>>,
  name: K,
) {
  return lazy(() => load().then((module) => ({ default: module[name] })));
}
const Sessions = screen(() => import("./screens/Sessions.tsx"), "Sessions");
const Room = screen(() => import("./screens/room/Room.tsx"), "Room");
const ApiKeys = screen(() => import("./screens/ApiKeys.tsx"), "ApiKeys");
const Members = screen(() => import("./screens/Members.tsx"), "Members");
const Audit = screen(() => import("./screens/Audit.tsx"), "Audit");
const Usage = screen(() => import("./screens/Usage.tsx"), "Usage");
const AccountLink = screen(() => import("./screens/AccountLinks.tsx"), "AccountLink");
const Join = screen(() => import("./screens/Join.tsx"), "Join");
const Security = screen(() => import("./screens/Security.tsx"), "Security");
const Workflows = screen(() => import("./screens/Workflows.tsx"), "Workflows");
const Healing = screen(() => import("./screens/healing/Healing.tsx"), "Healing");
const Ci = screen(() => import("./screens/ci/Ci.tsx"), "Ci");
const Pipeline = screen(() => import("./screens/pipeline/Pipeline.tsx"), "Pipeline");
const Generation = screen(() => import("./screens/generation/Generation.tsx"), "Generation");
const Insight = screen(() => import("./screens/insight/Insight.tsx"), "Insight");
const Settings = screen(() => import("./screens/settings/Settings.tsx"), "Settings");
const Integrations = screen(() => import("./screens/integrations/Integrations.tsx"), "Integrations");

type NavItem = { href: string; label: string; icon: string; permission: string };

/** Work first, then the organisation's administration. An item whose permission is missing is hidden. */
const NAV: { group: string | null; items: NavItem[] }[] = [
  {
    group: null,
    items: [
      {
        href: "/healing",
        label: "Healing",
        permission: "heal:read",
        icon: "M12 21s-7-4.4-7-10a4 4 0 0 1 7-2.6A4 4 0 0 1 19 11c0 5.6-7 10-7 10zM9.5 12h5M12 9.5v5",
      },
      {
        href: "/ci",
        label: "CI runs",
        permission: "runs:read",
        icon: "M5 12l4 4 10-10M5 19h14",
      },
      {
        href: "/sessions",
        label: "Sessions",
        permission: "sessions:read",
        icon: "M4 5h16v10H4zM8 19h8M12 15v4",
      },
      {
        href: "/generations",
        label: "Test generation",
        permission: "runs:read",
        icon: "M8 6l-5 6 5 6M16 6l5 6-5 6M13.5 4l-3 16",
      },
      {
        href: "/insight",
        label: "Insight",
        permission: "projects:read",
        icon: "M4 20V4M4 20h16M7 15l4-4 3 3 5-6",
      },
      {
        href: "/pipeline",
        label: "Pipeline",
        permission: "leads:read",
        icon: "M4 5h4v14H4zM10 5h4v9h-4zM16 5h4v5h-4z",
      },
      {
        href: "/workflows",
        label: "AI workflows",
        permission: "runs:read",
        icon: "M12 3v4M12 17v4M3 12h4M17 12h4M7 7l2 2M15 15l2 2M7 17l2-2M15 9l2-2",
      },
      {
        href: "/integrations",
        label: "Integrations",
        permission: "webhooks:read",
        icon: "M8 7H6a4 4 0 0 0 0 8h2M16 7h2a4 4 0 0 1 0 8h-2M8 11h8",
      },
      {
        href: "/settings",
        label: "Project settings",
        permission: "projects:read",
        icon: "M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0M14 4v4M8 10v4M16 16v4",
      },
    ],
  },
  {
    group: "Admin",
    items: [
      {
        href: "/keys",
        label: "API keys",
        permission: "keys:manage",
        icon: "M14 10a4 4 0 1 0-3.5 4L8 16.5V19h2.5v-2h2l1-1",
      },
      {
        href: "/members",
        label: "Members",
        permission: "members:read",
        icon: "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-6 9c0-3 3-5 6-5s6 2 6 5M17 11a2.5 2.5 0 1 0 0-5M18 15c2 .5 3 2 3 5",
      },
      {
        href: "/audit",
        label: "Audit log",
        permission: "audit:read",
        icon: "M6 3h9l3 3v15H6zM9 9h6M9 13h6M9 17h4",
      },
      { href: "/usage", label: "Usage", permission: "usage:read", icon: "M4 20V10M10 20V4M16 20v-7M22 20H2" },
      {
        href: "/security",
        label: "Security",
        permission: "org:read",
        icon: "M12 3l7 3v6c0 4.5-3 7.5-7 9-4-1.5-7-4.5-7-9V6z",
      },
    ],
  },
];

export function App() {
  const { session } = useAppState();
  const path = usePath();
  if (path === "/join")
    return session ? (
      <Shell path={path} />
    ) : (
      <SignIn intro="Sign in or create an account to accept your invite." />
    );
  if (path === "/signup/verify" || path === "/reset-password")
    return (
      <Suspense fallback={null}>
        <AccountLink path={path} />
      </Suspense>
    );
  if (!session) return <SignIn />;
  return <Shell path={path} />;
}

function Shell({ path }: { path: string }) {
  const { session, org, orgId, signOut, permissions } = useAppState();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);
  const routeProblem = useRouteSync();

  // Move focus to the new screen after in-app navigation, as a full page load would.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every path change by design
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [path]);

  const room = match("/sessions/:sessionId", path);
  let screen: React.ReactNode;
  if (routeProblem) screen = routeProblem;
  else if (room) screen = <Room sessionId={room.sessionId!} />;
  else if (path.startsWith("/sessions")) screen = <Sessions />;
  else if (path === "/healing" || path.startsWith("/healing/")) screen = <Healing path={path} />;
  else if (path === "/ci" || path.startsWith("/ci/")) screen = <Ci path={path} />;
  else if (path === "/integrations" || path.startsWith("/integrations/"))
    screen = <Integrations path={path} />;
  else if (path === "/generations" || path.startsWith("/generations/")) screen = <Generation path={path} />;
  else if (path === "/insight") screen = <Insight />;
  else if (path === "/pipeline") screen = <Pipeline />;
  else if (path === "/workflows") screen = <Workflows />;
  else if (path === "/settings") screen = <Settings />;
  else if (path === "/keys") screen = <ApiKeys />;
  else if (path === "/members") screen = <Members />;
  else if (path === "/audit") screen = <Audit />;
  else if (path === "/usage") screen = <Usage />;
  else if (path === "/security") screen = <Security />;
  else if (path === "/join") screen = <Join />;
  else if (path === "/") screen = null;
  else
    screen = (
      <section className="page">
        <h1>Not found</h1>
        <p>
          There is no page at <code>{path}</code>. <Link href="/sessions">Go to sessions</Link>.
        </p>
      </section>
    );

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <aside className="sidebar">
        <div className="sidebar-brand">
          <Logo />
        </div>
        <OrgSwitcher />
        <ProjectSwitcher />
        <nav aria-label="Main">
          {NAV.map((section) => {
            // Until /v1/me answers every item shows; afterwards only what the role may open.
            const items = section.items.filter((item) => !permissions || permissions.has(item.permission));
            if (items.length === 0) return null;
            return (
              <div key={section.group ?? "main"} className="nav-group">
                {section.group && (
                  <span className="nav-group-label" aria-hidden="true">
                    {section.group}
                  </span>
                )}
                <ul aria-label={section.group ?? undefined}>
                  {items.map((item) => {
                    const current = path === item.href || path.startsWith(`${item.href}/`);
                    return (
                      <li key={item.href}>
                        <Link
                          href={item.href}
                          aria-current={current ? "page" : undefined}
                          className="nav-link"
                        >
                          <svg
                            viewBox="0 0 24 24"
                            width="18"
                            height="18"
                            aria-hidden="true"
                            focusable="false"
                          >
                            <path
                              d={item.icon}
                              fill="none"
                              stroke="currentColor"
                              strokeWidth="1.8"
                              strokeLinecap="round"
                              strokeLinejoin="round"
                            />
                          </svg>
                          {item.label}
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </div>
            );
          })}
        </nav>
        <div className="sidebar-foot">
          {/* Served by the Worker, not the dashboard: a plain link (docs/http-conventions.md). */}
          <a href="/docs" className="nav-link docs-link" target="_blank" rel="noreferrer">
            API docs <span className="visually-hidden">(opens in a new tab)</span>
          </a>
          <div className="me">
            <span className="avatar" aria-hidden="true">
              {initials(session?.user.name ?? "?")}
            </span>
            <span className="me-text">
              <span className="me-name">{session?.user.name}</span>
              <span className="me-role">{org ? `${org.role} · ${org.plan}` : ""}</span>
            </span>
          </div>
          <button type="button" className="btn btn-ghost" onClick={signOut}>
            Sign out
          </button>
        </div>
      </aside>
      <main id="main" ref={main} tabIndex={-1} className="content" key={orgId ?? "none"}>
        <OfflineBanner />
        <MfaRequiredNotice />
        <Suspense fallback={<Spinner label="Loading" />}>{screen}</Suspense>
      </main>
    </div>
  );
}
