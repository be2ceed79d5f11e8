import { type FormEvent, type KeyboardEvent, useId, useRef, useState } from "react";
import { api } from "../../api.ts";
import { ErrorNotice } from "../../components/Feedback.tsx";
import { Field } from "../../components/forms.tsx";
import type { ClientFrame, RoomRole, Severity } from "../../live.ts";

const TABS = [
  { id: "step", label: "Step", focus: "recording a step" },
  { id: "note", label: "Note", focus: "writing a note" },
  { id: "finding", label: "Finding", focus: "filing a finding" },
  { id: "chat", label: "Chat", focus: "chatting" },
  { id: "prompt", label: "Ask", focus: "asking a question" },
  { id: "screenshot", label: "Screenshot", focus: "uploading a screenshot" },
] as const;
type Tab = (typeof TABS)[number]["id"];

const SEVERITIES: Severity[] = ["critical", "major", "minor", "trivial"];

/** What a participant adds to the room: one form per message type, as accessible tabs. */
export function Composer({ sessionId, send }: { sessionId: string; send: (frame: ClientFrame) => void }) {
  const [tab, setTab] = useState<Tab>("step");
  const [uploadState, setUploadState] = useState<string>("");
  const [error, setError] = useState<unknown>(null);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const id = useId();

  function choose(next: Tab) {
    setTab(next);
    setError(null);
    const focus = TABS.find((t) => t.id === next)?.focus;
    send({ type: "presence", focus });
  }

  // Arrow keys move between tabs (WAI-ARIA tabs pattern).
  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = TABS.findIndex((t) => t.id === tab);
    const delta = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!delta) return;
    event.preventDefault();
    const next = (index + delta + TABS.length) % TABS.length;
    choose(TABS[next]!.id);
    tabRefs.current[next]?.focus();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const text = (name: string) => String(data.get(name) ?? "").trim();
    const optional = (name: string) => text(name) || undefined;
    let frame: ClientFrame;
    switch (tab) {
      case "step":
        frame = {
          type: "step",
          action: text("action"),
          target: optional("target"),
          value: optional("value"),
          url: optional("url"),
        };
        break;
      case "note":
      case "chat":
        frame = { type: tab, text: text("text") };
        break;
      case "finding":
        frame = {
          type: "finding",
          severity: text("severity") as Severity,
          title: text("title"),
          description: optional("description"),
        };
        break;
      case "prompt":
        frame = {
          type: "prompt",
          question: text("question"),
          toRole: optional("toRole") as RoomRole | undefined,
        };
        break;
      default:
        return;
    }
    // Undefined optionals are dropped by JSON.stringify, so the room only sees fields that were given.
    send(frame);
    form.reset();
    (form.elements[0] as HTMLElement | undefined)?.focus();
  }

  async function upload(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const file = (form.elements.namedItem("file") as HTMLInputElement).files?.[0];
    if (!file) return;
    setError(null);
    setUploadState("Uploading…");
    try {
      await api.uploadScreenshot(sessionId, file);
      setUploadState(`Uploaded ${file.name}`);
      form.reset();
    } catch (failure) {
      setUploadState("");
      setError(failure);
    }
  }

  return (
    <section className="card composer" aria-label="Add to the session">
      <div className="tabs" role="tablist" aria-label="What to add" onKeyDown={onKeyDown}>
        {TABS.map((t, i) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`${id}-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`${id}-panel`}
            tabIndex={tab === t.id ? 0 : -1}
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`} className="composer-panel">
        {tab === "screenshot" ? (
          <form onSubmit={upload} className="stack">
            <div className="field">
              <label htmlFor={`${id}-file`}>Image (PNG or JPEG, up to 10 MiB)</label>
              <input id={`${id}-file`} name="file" type="file" accept="image/png,image/jpeg" required />
            </div>
            <div className="actions">
              <span className="muted small" role="status">
                {uploadState}
              </span>
              <button type="submit" className="btn btn-primary">
                Upload
              </button>
            </div>
          </form>
        ) : (
          <form onSubmit={submit} className="stack" key={tab}>
            {tab === "step" && (
              <>
                <div className="field-row">
                  <FrameField id={`${id}-action`} name="action" label="Action" required placeholder="click" />
                  <FrameField
                    id={`${id}-target`}
                    name="target"
                    label="Target (selector or description)"
                    placeholder="#checkout"
                    optional
                  />
                </div>
                <div className="field-row">
                  <FrameField
                    id={`${id}-value`}
                    name="value"
                    label="Value"
                    placeholder="4111 1111 1111 1111"
                    optional
                  />
                  <FrameField
                    id={`${id}-url`}
                    name="url"
                    label="URL"
                    type="url"
                    placeholder="https://…"
                    optional
                  />
                </div>
              </>
            )}
            {(tab === "note" || tab === "chat") && (
              <div className="field">
                <label htmlFor={`${id}-text`}>{tab === "note" ? "Note" : "Message"}</label>
                <textarea
                  id={`${id}-text`}
                  name="text"
                  required
                  rows={tab === "note" ? 3 : 2}
                  maxLength={4000}
                />
              </div>
            )}
            {tab === "finding" && (
              <>
                <div className="field-row">
                  <div className="field">
                    <label htmlFor={`${id}-severity`}>Severity</label>
                    <select id={`${id}-severity`} name="severity" defaultValue="major">
                      {SEVERITIES.map((s) => (
                        <option key={s} value={s}>
                          {s}
                        </option>
                      ))}
                    </select>
                  </div>
                  <FrameField
                    id={`${id}-title`}
                    name="title"
                    label="Title"
                    required
                    placeholder="Pay button hidden behind footer"
                  />
                </div>
                <Field id={`${id}-description`} label="Description" optional>
                  <textarea id={`${id}-description`} name="description" rows={3} maxLength={8000} />
                </Field>
              </>
            )}
            {tab === "prompt" && (
              <div className="field-row">
                <FrameField
                  id={`${id}-question`}
                  name="question"
                  label="Question"
                  required
                  placeholder="Is this the expected copy?"
                />
                <div className="field">
                  <label htmlFor={`${id}-to-role`}>For</label>
                  <select id={`${id}-to-role`} name="toRole" defaultValue="">
                    <option value="">everyone</option>
                    <option value="host">the host</option>
                    <option value="tester">testers</option>
                    <option value="observer">observers</option>
                  </select>
                </div>
              </div>
            )}
            <div className="actions">
              <button type="submit" className="btn btn-primary">
                {tab === "step"
                  ? "Add step"
                  : tab === "note"
                    ? "Add note"
                    : tab === "finding"
                      ? "Add finding"
                      : tab === "chat"
                        ? "Send"
                        : "Ask"}
              </button>
            </div>
          </form>
        )}
        <ErrorNotice error={error} />
      </div>
    </section>
  );
}

/** A one-line text input of a frame, at most 2,000 characters. */
function FrameField(props: {
  id: string;
  name: string;
  label: string;
  required?: boolean;
  optional?: boolean;
  placeholder?: string;
  type?: string;
}) {
  return (
    <Field id={props.id} label={props.label} optional={props.optional}>
      <input
        id={props.id}
        name={props.name}
        type={props.type ?? "text"}
        required={props.required}
        placeholder={props.placeholder}
        maxLength={2000}
      />
    </Field>
  );
}
