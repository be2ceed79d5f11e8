import { type ReactNode, useId } from "react";
import { useAppState } from "../app-state.tsx";

/** A top-level screen: its heading (named by `id` for the section's label), a lead line and actions. */
export function Page({
  id,
  title,
  lead,
  actions,
  children,
}: {
  id: string;
  title: string;
  lead: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section className="page" aria-labelledby={id}>
      <header className="page-head">
        <div>
          <h1 id={id}>{title}</h1>
          <p className="muted">{lead}</p>
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

/** A card section named by its heading; `danger` marks the heading of an irreversible action. */
export function CardSection({
  title,
  danger = false,
  children,
}: {
  title: string;
  danger?: boolean;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="card stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className={danger ? "danger-text" : undefined}>
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Ends a lead line with the current project's name (" in <b>Shop</b>."), or just the full stop. */
export function InProject({ before = "in" }: { before?: string }) {
  const { projects, projectId } = useAppState();
  const project = projects?.find((p) => p.id === projectId);
  return (
    <>
      {project ? (
        <>
          {" "}
          {before} <strong>{project.name}</strong>
        </>
      ) : null}
      .
    </>
  );
}
