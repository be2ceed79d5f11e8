import { useState } from "react";

/** Copies text to the clipboard; when the browser refuses, says so and leaves the text selectable. */
export function CopyButton({
  text,
  label = "Copy",
  ariaLabel,
}: {
  text: string;
  label?: string;
  /** The button's accessible name when several copy buttons share a screen. */
  ariaLabel?: string;
}) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      setState("failed");
    }
    setTimeout(() => setState("idle"), 2500);
  }
  return (
    <>
      <button type="button" className="btn btn-secondary" onClick={copy} aria-label={ariaLabel}>
        {state === "copied" ? "Copied" : label}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {state === "copied"
          ? "Copied to the clipboard"
          : state === "failed"
            ? "Copy failed; select the text and copy it"
            : ""}
      </span>
    </>
  );
}

/** A value shown once (a key, a secret, a link): read-only, selected on focus, with a copy button. */
export function CopyField({
  value,
  label,
  testId,
  copyLabel,
}: {
  value: string;
  label: string;
  testId: string;
  copyLabel?: string;
}) {
  return (
    <div className="secret-row">
      <input
        className="secret-value"
        data-testid={testId}
        readOnly
        value={value}
        aria-label={label}
        onFocus={(e) => e.currentTarget.select()}
      />
      <CopyButton text={value} label={copyLabel} />
    </div>
  );
}
