import { type FormEvent, type ReactNode, useId, useState } from "react";
import { ApiProblem } from "../../api.ts";
import type { ConnectionCheck, ProjectIntegrationApi } from "../../api-integrations.ts";
import { ErrorNotice, Spinner } from "../../components/Feedback.tsx";
import { formatRelative } from "../../components/format.ts";
import { Field, FieldRows, type TextFieldSpec } from "../../components/forms.tsx";
import { Announce } from "../../components/SubNav.tsx";
import { useAction } from "../../components/useAction.ts";
import { useAsync } from "../../components/useAsync.ts";

/** A project integration's settings: null while not configured (the API's 404). */
function useIntegration<T>(load: () => Promise<T>, deps: unknown[]) {
  return useAsync(
    () =>
      load().catch((failure: unknown) => {
        if (failure instanceof ApiProblem && failure.status === 404) return null;
        throw failure;
      }),
    deps,
  );
}

/**
 * The secret an integration calls its service with, typed in full on every save (the API shows it only
 * masked). `noun` names it in the field's label: "API token", then "New API token" once connected.
 */
type TokenInput = { name: string; noun: string; minLength: number; maxLength: number };

/**
 * One text field of an integration's form: the input's attributes, its label, and the value it starts
 * from (`value(null)` before anything is stored). Fields are laid out two to a row, in order.
 */
type SettingField<T> = Omit<TextFieldSpec, "value" | "defaultValue"> & {
  value: (current: T | null) => string | undefined;
};

/**
 * One integration of a project as a card, read and written through its `api`: what is stored (token
 * masked), Test and Remove beside it, and the form that saves new settings: its `fields`, then the `token`
 * field. The submitted form becomes the body by `input`; `savedMessage` says what was saved, and the form
 * is reset after a save.
 */
export function IntegrationCard<T extends { updatedAt: number }, Input>({
  name,
  lead,
  api,
  projectId,
  summary,
  input,
  savedMessage,
  removeQuestion,
  token,
  fields,
}: {
  name: string;
  lead: ReactNode;
  api: ProjectIntegrationApi<T, Input>;
  projectId: string;
  summary: (current: T) => ReactNode;
  input: (form: FormData) => Input;
  savedMessage: (saved: T) => string;
  removeQuestion: string;
  token: TokenInput;
  fields: readonly SettingField<T>[];
}) {
  const state = useIntegration(() => api.get(projectId), [api, projectId]);
  const [message, setMessage] = useState("");
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const action = useAction();
  const id = useId();
  const current = state.data;

  function save(event: FormEvent<HTMLFormElement>) {
    setMessage("");
    setCheck(null);
    return action.submitForm(event, async ({ form }) => {
      setMessage(savedMessage(await api.save(projectId, input(form))));
      state.reload();
    });
  }

  function test() {
    setMessage("");
    setCheck(null);
    return action.submit(async () => setCheck(await api.test(projectId)));
  }

  function remove() {
    if (!confirm(removeQuestion)) return;
    setMessage("");
    setCheck(null);
    return action.run(async () => {
      await api.remove(projectId);
      setMessage(`${name} removed.`);
      state.reload();
    });
  }

  return (
    <form className="card stack" onSubmit={save} aria-labelledby={`${id}-h`}>
      <div>
        <h2 id={`${id}-h`}>{name}</h2>
        <p className="muted small">{lead}</p>
      </div>
      <ErrorNotice error={state.error} />
      {state.loading && current === undefined ? (
        <Spinner label={`Loading the ${name} settings`} />
      ) : current ? (
        <div className="connected" data-testid={`${name.toLowerCase()}-current`}>
          <span>
            {summary(current)}
            <span className="muted small block">updated {formatRelative(current.updatedAt)}</span>
          </span>
          <span className="page-actions">
            <button
              type="button"
              className="btn btn-secondary btn-small"
              onClick={test}
              disabled={action.busy}
            >
              Test connection
            </button>
            <button type="button" className="btn btn-danger btn-small" onClick={remove}>
              Remove
            </button>
          </span>
        </div>
      ) : (
        <p className="muted">Not connected.</p>
      )}
      {check && (
        <p
          className={`notice ${check.ok ? "notice-ok" : "notice-error"}`}
          role="status"
          data-testid={`${name.toLowerCase()}-check`}
        >
          <strong>{check.ok ? "Connected." : "Not working."}</strong> {check.message}
          {!check.ok && check.status !== null && <span className="muted"> (HTTP {check.status})</span>}
        </p>
      )}
      <div key={current?.updatedAt ?? "new"} className="stack">
        <FieldRows
          id={id}
          fields={fields.map(({ value, ...field }) => ({ ...field, defaultValue: value(current ?? null) }))}
        />
        <Field id={`${id}-token`} label={current ? `New ${token.noun}` : capitalised(token.noun)}>
          <input
            id={`${id}-token`}
            name={token.name}
            type="password"
            required
            minLength={token.minLength}
            maxLength={token.maxLength}
            autoComplete="off"
          />
        </Field>
      </div>
      <div className="toolbar">
        <span className="muted small">
          {current
            ? "Saving replaces the stored settings, token included."
            : "The token is stored encrypted."}
        </span>
        <button type="submit" className="btn btn-primary" disabled={action.busy}>
          {current ? `Update ${name}` : `Connect ${name}`}
        </button>
      </div>
      <ErrorNotice error={action.error} />
      <Announce message={message} />
    </form>
  );
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** Reads a trimmed text field of a submitted form. */
export const field = (form: FormData, name: string) => String(form.get(name) ?? "").trim();
