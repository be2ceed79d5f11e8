import { InProject, Page } from "../../components/Page.tsx";
import { ProjectGate } from "../../components/ProjectGate.tsx";
import { match } from "../../router.ts";
import { GenerationDetail } from "./GenerationDetail.tsx";
import { Generations } from "./Generations.tsx";

/** Test generation for the current project: the generations, one job's figures and files, how to start. */
export function Generation({ path }: { path: string }) {
  const page = path.replace(/\/+$/, "");
  const detail = match("/generations/:generationId", page);
  return (
    <Page
      id="generation-title"
      title="Test generation"
      lead={
        <>
          Playwright suites planned from explorations of an app and from manual sessions
          <InProject />
        </>
      }
    >
      <ProjectGate>
        {(projectId) =>
          detail ? (
            <GenerationDetail generationId={detail.generationId!} />
          ) : (
            <Generations projectId={projectId} />
          )
        }
      </ProjectGate>
    </Page>
  );
}
