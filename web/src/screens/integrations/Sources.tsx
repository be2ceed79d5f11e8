import { type FormEvent, useId, useState } from "react";
import {
  type Environment,
  PROVIDERS,
  type Provider,
  type WebhookSource,
  webhooksApi,
} from "../../api-webhooks.ts";
import { CopyButton, CopyField } from "../../components/CopyButton.tsx";
import { RowButton } from "../../components/DataTable.tsx";
import { formatDateTime } from "../../components/format.ts";
import { Field, SelectField } from "../../components/forms.tsx";
import { ProjectField, useProjectName } from "../../components/ProjectGate.tsx";
import { SecretNotice } from "../../components/SecretNotice.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EnvironmentField } from "./EnvironmentField.tsx";
import { WebhookRegistry } from "./WebhookRegistry.tsx";

/** Inbound webhook sources: create one (its URL and secret are shown once), list and delete them. */
export function Sources() {
  const sources = usePaged((cursor) => webhooksApi.sources({ cursor, limit: 50 }), []);
  const [created, setCreated] = useState<(WebhookSource & { secret: string }) | null>(null);
  const action = useAction();
  const projectName = useProjectName();
  const id = useId();

  function create(event: FormEvent<HTMLFormElement>) {
    return action.submitForm(event, async ({ text }) => {
      setCreated(
        await webhooksApi.createSource({
          provider: text("provider") as Provider,
          name: text("name") ?? "",
          environment: text("environment") as Environment | undefined,
          projectId: text("projectId"),
        }),
      );
      sources.reload();
    });
  }

  function remove(source: WebhookSource) {
    if (!confirm(`Delete the source “${source.name}”? Its URL stops accepting webhooks at once.`)) return;
    return action.run(async () => {
      await webhooksApi.deleteSource(source.id);
      if (created?.id === source.id) setCreated(null);
      sources.reload();
    });
  }

  const url = (source: WebhookSource) => `${location.origin}${source.url}`;

  return (
    <WebhookRegistry
      title="Inbound sources"
      lead={
        <>
          Each source has a URL to paste into the provider's webhook settings and a secret Shifty verifies
          every delivery's signature with.
        </>
      }
      form={
        <form className="card filters" onSubmit={create} aria-label="New inbound source">
          <SelectField
            id={`${id}-provider`}
            label="Provider"
            name="provider"
            options={PROVIDERS}
            defaultValue="github"
            required
          />
          <Field id={`${id}-name`} label="Source name">
            <input id={`${id}-name`} name="name" required maxLength={100} placeholder="shop repository" />
          </Field>
          <EnvironmentField id={`${id}-env`} name="environment" none="None" />
          <ProjectField id={`${id}-project`} name="projectId" none="None" />
          <div className="filters-actions">
            <button type="submit" className="btn btn-primary" disabled={action.busy}>
              Create source
            </button>
          </div>
        </form>
      }
      readOnlyWhat="creating and deleting sources"
      secret={
        created && (
          <SecretNotice
            title={`Source “${created.name}” created. Copy its secret now: it is shown only once.`}
            onDone={() => setCreated(null)}
          >
            <div className="stack-sm">
              <CopyField value={url(created)} label="Webhook URL" testId="source-url" copyLabel="Copy URL" />
              <CopyField
                value={created.secret}
                label="Webhook secret"
                testId="source-secret"
                copyLabel="Copy secret"
              />
            </div>
          </SecretNotice>
        )
      }
      error={action.error}
      paged={sources}
      loadingLabel="Loading sources"
      columns={[
        { header: "Name", rowHeader: true, cell: (s) => s.name },
        { header: "Provider", cell: (s) => s.provider },
        {
          header: "URL",
          cell: (s) => (
            <span className="copy-url">
              <code data-testid="source-row-url">{url(s)}</code>
              <CopyButton text={url(s)} label="Copy" ariaLabel={`Copy the URL of ${s.name}`} />
            </span>
          ),
        },
        {
          header: "Env · project",
          cell: (s) => (
            <>
              {s.environment ?? "—"} · {s.projectId ? projectName(s.projectId) : "—"}
            </>
          ),
        },
        { header: "Created", className: "nowrap", cell: (s) => formatDateTime(s.createdAt) },
      ]}
      actions={(s) => (
        <RowButton danger label={`Delete ${s.name}`} onClick={() => remove(s)}>
          Delete
        </RowButton>
      )}
    />
  );
}
