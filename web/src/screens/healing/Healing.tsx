import { InProject, Page } from "../../components/Page.tsx";
import { SubNav } from "../../components/SubNav.tsx";
import { Attempts } from "./Attempts.tsx";
import { Models } from "./Models.tsx";
import { Overview } from "./Overview.tsx";
import { Review } from "./Review.tsx";

/** The sub-pages, each with the screen it shows; any other path shows the first (the overview). */
const PAGES = [
  { href: "/healing", label: "Overview", Screen: Overview },
  { href: "/healing/review", label: "Review queue", Screen: Review },
  { href: "/healing/attempts", label: "Attempts", Screen: Attempts },
  { href: "/healing/models", label: "Models", Screen: Models },
];

/** Selector healing: how well it works, what it did, what waits for review, and the models behind it. */
export function Healing({ path }: { path: string }) {
  const page = path.replace(/\/+$/, "");
  const { Screen } = PAGES.find((p) => p.href === page) ?? PAGES[0]!;
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
      <Screen />
    </Page>
  );
}
