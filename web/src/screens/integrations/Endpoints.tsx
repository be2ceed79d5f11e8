import { type FormEvent, useId, useState } from "react";
import { type Environment, endpointName, type WebhookEndpoint, webhooksApi } from "../../api-webhooks.ts";
import { CopyField } from "../../components/CopyButton.tsx";
import { RowButton } from "../../components/DataTable.tsx";
import { formatRelative } from "../../components/format.ts";
import { Field } from "../../components/forms.tsx";
import { Link } from "../../components/Link.tsx";
import { SecretNotice } from "../../components/SecretNotice.tsx";
import { useAction } from "../../components/useAction.ts";
import { usePaged } from "../../components/usePaged.ts";
import { EnvironmentField } from "./EnvironmentField.tsx";
import { WebhookRegistry } from "./WebhookRegistry.tsx";

/** Outbound endpoints: subscribe (secret shown once), enable/disable, rotate the secret, delete. */
export function Endpoints() {
  const endpoints = usePaged((cursor) => webhooksApi.endpoints({ cursor, limit: 50 }), []);
  const [secret, setSecret] = useState<{ url: string; secret: string; rotated: boolean } | null>(null);
  const action = useAction();
  const id = useId();

  function create(event: FormEvent<HTMLFormElement>) {
    return action.submitForm(event, async ({ text }) => {
      const created = await webhooksApi.createEndpoint({
        url: text("url") ?? "",
        eventTypes: (text("eventTypes") ?? "*").split(/[\s,]+/).filter(Boolean),
        environment: text("environment") as Environment | undefined,
        description: text("description"),
      });
      setSecret({ url: created.url, secret: created.secret, rotated: false });
      endpoints.reload();
    });
  }

  function act(endpoint: WebhookEndpoint, kind: "enable" | "disable" | "rotate" | "delete") {
    if (
      kind === "delete" &&
      !confirm(`Delete the endpoint ${endpoint.url}? Pending deliveries are cancelled.`)
    )
      return;
    if (kind === "rotate" && !confirm("Rotate the signing secret? The old one keeps signing for 24 hours."))
      return;
    return action.run(async () => {
      if (kind === "delete") await webhooksApi.deleteEndpoint(endpoint.id);
      else if (kind === "rotate") {
        const rotated = await webhooksApi.rotateEndpointSecret(endpoint.id);
        setSecret({ url: rotated.url, secret: rotated.secret, rotated: true });
      } else await webhooksApi.setEndpointEnabled(endpoint.id, kind === "enable");
      endpoints.reload();
    });
  }

  return (
    <WebhookRegistry
      title="Outbound endpoints"
      lead={
        <>
          Shifty sends matching events to these URLs, signed per Standard Webhooks, retrying with backoff; an
          endpoint that keeps failing is disabled.
        </>
      }
      form={
        <form className="card stack" onSubmit={create} aria-label="New outbound endpoint">
          <div className="endpoint-fields">
            <Field id={`${id}-url`} label="Endpoint URL">
              <input
                id={`${id}-url`}
                name="url"
                type="url"
                required
                maxLength={2048}
                placeholder="https://example.com/hooks/shifty"
              />
            </Field>
            <Field id={`${id}-types`} label="Event types">
              <input
                id={`${id}-types`}
                name="eventTypes"
                maxLength={2000}
                defaultValue="*"
                aria-describedby={`${id}-types-hint`}
              />
            </Field>
            <EnvironmentField id={`${id}-env`} name="environment" none="Any" />
            <Field id={`${id}-description`} label="Description" optional>
              <input id={`${id}-description`} name="description" maxLength={500} />
            </Field>
          </div>
          <div className="toolbar">
            <small id={`${id}-types-hint`} className="muted">
              Event types, comma separated: <code>*</code> for all, <code>github.*</code> for a provider,{" "}
              <code>github.push</code> for one type.
            </small>
            <button type="submit" className="btn btn-primary" disabled={action.busy}>
              Add endpoint
            </button>
          </div>
        </form>
      }
      readOnlyWhat="managing endpoints"
      secret={
        secret && (
          <SecretNotice
            title={
              <>
                {secret.rotated ? "New signing secret" : "Signing secret"} for {secret.url}. Copy it now: it
                is shown only once.
              </>
            }
            onDone={() => setSecret(null)}
          >
            <CopyField
              value={secret.secret}
              label="Endpoint signing secret"
              testId="endpoint-secret"
              copyLabel="Copy secret"
            />
          </SecretNotice>
        )
      }
      error={action.error}
      paged={endpoints}
      loadingLabel="Loading endpoints"
      columns={[
        {
          header: "Endpoint",
          rowHeader: true,
          cell: (e) => (
            <>
              <Link href={`/integrations/endpoints/${e.id}`}>{endpointName(e)}</Link>
              {e.description && <code className="muted small block">{e.url}</code>}
            </>
          ),
        },
        { header: "Events", cell: EndpointEvents },
        { header: "Status", cell: EndpointStatus },
        { header: "Updated", className: "nowrap", cell: (e) => formatRelative(e.updatedAt) },
      ]}
      actions={(e) => (
        <>
          <RowButton
            label={`${e.status === "active" ? "Disable" : "Enable"} ${e.url}`}
            onClick={() => act(e, e.status === "active" ? "disable" : "enable")}
          >
            {e.status === "active" ? "Disable" : "Enable"}
          </RowButton>
          <RowButton label={`Rotate secret of ${e.url}`} onClick={() => act(e, "rotate")}>
            Rotate secret
          </RowButton>
          <RowButton danger label={`Delete ${e.url}`} onClick={() => act(e, "delete")}>
            Delete
          </RowButton>
        </>
      )}
    />
  );
}

function EndpointEvents(e: WebhookEndpoint) {
  return (
    <>
      {e.eventTypes.map((t) => (
        <code key={t} className="tag">
          {t}
        </code>
      ))}
      {e.environment && <span className="muted small block">{e.environment} only</span>}
    </>
  );
}

export function EndpointStatus(e: WebhookEndpoint) {
  return (
    <>
      <span className={`badge ${e.status === "active" ? "badge-active" : "badge-revoked"}`}>{e.status}</span>
      {e.disabledReason && <span className="muted small block">{e.disabledReason}</span>}
      {e.consecutiveFailures > 0 && (
        <span className="danger-text small block">{e.consecutiveFailures} failures in a row</span>
      )}
    </>
  );
}
