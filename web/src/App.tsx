import { useEffect, useRef } from "react";
import { useAppState } from "./app-state.tsx";
import { Link } from "./components/Link.tsx";
import { OrgSwitcher } from "./components/OrgSwitcher.tsx";
import { ProjectSwitcher } from "./components/ProjectSwitcher.tsx";
import { match, navigate, usePath } from "./router.ts";
import { ApiKeys } from "./screens/ApiKeys.tsx";
import { Audit } from "./screens/Audit.tsx";
import { Join } from "./screens/Join.tsx";
import { Members } from "./screens/Members.tsx";
import { Room } from "./screens/room/Room.tsx";
import { Sessions } from "./screens/Sessions.tsx";
import { Logo, SignIn } from "./screens/SignIn.tsx";
import { Usage } from "./screens/Usage.tsx";

const NAV = [
  { href: "/sessions", label: "Sessions", icon: "M4 5h16v10H4zM8 19h8M12 15v4" },
  { href: "/keys", label: "API keys", icon: "M14 10a4 4 0 1 0-3.5 4L8 16.5V19h2.5v-2h2l1-1" },
  {
    href: "/members",
    label: "Members",
    icon: "M9 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-6 9c0-3 3-5 6-5s6 2 6 5M17 11a2.5 2.5 0 1 0 0-5M18 15c2 .5 3 2 3 5",
  },
  { href: "/audit", label: "Audit log", icon: "M6 3h9l3 3v15H6zM9 9h6M9 13h6M9 17h4" },
  { href: "/usage", label: "Usage", icon: "M4 20V10M10 20V4M16 20v-7M22 20H2" },
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
  if (!session) return <SignIn />;
  return <Shell path={path} />;
}

function Shell({ path }: { path: string }) {
  const { session, org, orgId, signOut } = useAppState();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    if (path === "/" || path === "") navigate("/sessions", { replace: true });
  }, [path]);

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
  if (room) screen = <Room sessionId={room.sessionId!} />;
  else if (path.startsWith("/sessions")) screen = <Sessions />;
  else if (path === "/keys") screen = <ApiKeys />;
  else if (path === "/members") screen = <Members />;
  else if (path === "/audit") screen = <Audit />;
  else if (path === "/usage") screen = <Usage />;
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
          <ul>
            {NAV.map((item) => {
              const current = path === item.href || path.startsWith(`${item.href}/`);
              return (
                <li key={item.href}>
                  <Link href={item.href} aria-current={current ? "page" : undefined} className="nav-link">
                    <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
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
        </nav>
        <div className="sidebar-foot">
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
        {screen}
      </main>
    </div>
  );
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? "?") + (parts.length > 1 ? (parts.at(-1)?.[0] ?? "") : "")).toUpperCase();
}
