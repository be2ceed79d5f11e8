import { useAppState } from "../../app-state.tsx";
import { InProject, Page } from "../../components/Page.tsx";
import { ProjectGate } from "../../components/ProjectGate.tsx";
import { ReadOnlyNote } from "../../components/SubNav.tsx";
import { GithubSettings } from "./GithubSettings.tsx";
import { JiraSettings } from "./JiraSettings.tsx";
import { SlackSettings } from "./SlackSettings.tsx";

/** A project's connections to Jira, GitHub and Slack: view (tokens masked), configure, test, remove. */
export function Settings() {
  const { can } = useAppState();
  const manage = can("integrations:manage");
  return (
    <Page
      id="settings-title"
      title="Project settings"
      lead={
        <>
          Connections to Jira, GitHub and Slack
          <InProject />
        </>
      }
    >
      <ProjectGate>
        {(projectId) => (
          <div className="settings-grid">
            {manage ? (
              <>
                <JiraSettings projectId={projectId} />
                <GithubSettings projectId={projectId} />
              </>
            ) : (
              <ReadOnlyNote permission="integrations:manage" what="seeing and changing Jira and GitHub" />
            )}
            <SlackSettings projectId={projectId} />
          </div>
        )}
      </ProjectGate>
    </Page>
  );
}
