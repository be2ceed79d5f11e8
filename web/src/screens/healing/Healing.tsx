import { InProject, Page } from "../../components/Page.tsx";
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
  const page = path.replace(/\/+$/, "");
  return (
    <Page
      id="healing-title"
      title="Healing"
      lead={
        <>
          Broken locators Shifty repaired
          <InProject before="— review queue and settings for" />
        </>
      }
    >
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
    </Page>
  );
}
