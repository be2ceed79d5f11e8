import { useAppState } from "../../app-state.tsx";
import { SubNav } from "../../components/SubNav.tsx";
import { Attempts } from "./Attempts.tsx";
import { Models } from "./Models.tsx";
import { Overview } from "./Overview.tsx";
import { Review } from "./Review.tsx";

const PAGES = [
  { href: "/healing", label: "Overview" },
  { href: "/healing/review", label: "Review queue" },
  { href: "/healing/attempts", label: "Attempts" },
  { href: "/healing/models", label: "Models" },
];

/** Selector healing: how well it works, what it did, what waits for review, and the models behind it. */
export function Healing({ path }: { path: string }) {
  const { projects, projectId } = useAppState();
  const project = projects?.find((p) => p.id === projectId);
  const page = path.replace(/\/+$/, "");
  return (
    <section className="page" aria-labelledby="healing-title">
      <header className="page-head">
        <div>
          <h1 id="healing-title">Healing</h1>
          <p className="muted">
            Broken locators Shifty repaired
            {project ? (
              <>
                {" "}
                — review queue and settings for <strong>{project.name}</strong>
              </>
            ) : null}
            .
          </p>
        </div>
      </header>
      <SubNav label="Healing pages" items={PAGES} path={page} />
      {page === "/healing/review" ? (
        <Review />
      ) : page === "/healing/attempts" ? (
        <Attempts />
      ) : page === "/healing/models" ? (
        <Models />
      ) : (
        <Overview />
      )}
    </section>
  );
}
