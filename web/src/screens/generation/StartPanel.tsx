import { useId } from "react";
import { useAppState } from "../../app-state.tsx";
import { CopyButton } from "../../components/CopyButton.tsx";
import { FromSession } from "./FromSession.tsx";

/**
 * How to start a generation: the exact terminal commands with this project's id filled in, and (for
 * roles that may) planning one from a manual session right here.
 */
export function StartPanel({ projectId }: { projectId: string }) {
  const id = useId();
  const { can } = useAppState();
  const commands = [
    `export SHIFTY_URL=${location.origin}`,
    "export SHIFTY_API_KEY=<an API key with runs:write>",
    `export SHIFTY_PROJECT_ID=${projectId}`,
    "npx shifty generate <app-url> --out e2e/generated --verify 3",
    "BASE_URL=<app-url> npx playwright test -c e2e/generated",
  ].join("\n");
  return (
    <section className="card stack" aria-labelledby={`${id}-h`}>
      <div className="toolbar">
        <h2 id={`${id}-h`}>Start a generation</h2>
        <span className="grow" />
        <CopyButton text={commands} label="Copy commands" />
      </div>
      <p className="muted small">
        The CLI explores the app in Chromium, this project plans the tests, and the CLI keeps only the tests
        that pass every verification run. Replace <code>&lt;app-url&gt;</code> with the app's address.
      </p>
      <pre className="code-block" data-testid="start-commands">
        {commands}
      </pre>
      {can("runs:write") && can("sessions:read") && <FromSession projectId={projectId} />}
    </section>
  );
}
