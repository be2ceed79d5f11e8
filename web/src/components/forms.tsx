import type { ChangeEvent, FormEvent, InputHTMLAttributes, ReactNode } from "react";
import type { IdentityCheck } from "../../../shared/contract/auth.ts";
import { setQuery, useQuery } from "../router.ts";

/** A labelled form control; `id` must be the control's id. `optional` says so in the label. */
export function Field({
  id,
  label,
  optional = false,
  grow = false,
  children,
}: {
  id: string;
  label: ReactNode;
  optional?: boolean;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={grow ? "field grow" : "field"}>
      <label htmlFor={id}>
        {label}
        {optional && (
          <>
            {" "}
            <span className="muted">(optional)</span>
          </>
        )}
      </label>
      {children}
    </div>
  );
}

/** A text input described as data: its attributes and its label (laid out by `FieldRows`). */
export type TextFieldSpec = Omit<InputHTMLAttributes<HTMLInputElement>, "id"> & {
  name: string;
  label: string;
};

/** Text inputs two to a row (`.field-row`), in order; each input's id is `${id}-${name}`. */
export function FieldRows({ id, fields }: { id: string; fields: readonly TextFieldSpec[] }) {
  const rows = Array.from({ length: Math.ceil(fields.length / 2) }, (_, row) =>
    fields.slice(row * 2, row * 2 + 2),
  );
  return rows.map((row) => (
    <div key={row[0]!.name} className="field-row">
      {row.map(({ label, ...input }) => (
        <Field key={input.name} id={`${id}-${input.name}`} label={label}>
          <input id={`${id}-${input.name}`} {...input} />
        </Field>
      ))}
    </div>
  ));
}

/** A row of toggle buttons choosing one of `options` (the pressed one is `value`), named by a hidden legend. */
export function ButtonGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
}: {
  legend: string;
  options: readonly { value: T; label: string }[];
  value: T;
  onChange: (value: T) => void;
}) {
  return (
    <fieldset className="button-group">
      <legend className="visually-hidden">{legend}</legend>
      {options.map((option) => (
        <button
          key={option.value}
          type="button"
          className="seg-btn"
          aria-pressed={value === option.value}
          onClick={() => onChange(option.value)}
        >
          {option.label}
        </button>
      ))}
    </fieldset>
  );
}

type Option = string | { value: string; label: string };

/**
 * A labelled `<select>`; `none` adds a first, empty choice ("Any", "None", "All projects"). A form field
 * (`name`, `defaultValue`), or with `value` and `onChange` a choice that takes effect at once.
 */
export function SelectField({
  id,
  label,
  name,
  options,
  none,
  required,
  ...choice
}: {
  id: string;
  label: string;
  name?: string;
  options: readonly Option[];
  none?: string;
  required?: boolean;
} & ({ defaultValue?: string } | { value: string; onChange: (value: string) => void })) {
  const control =
    "onChange" in choice
      ? {
          value: choice.value,
          onChange: (event: ChangeEvent<HTMLSelectElement>) => choice.onChange(event.target.value),
        }
      : { defaultValue: choice.defaultValue ?? "" };
  return (
    <Field id={id} label={label}>
      <select id={id} name={name} required={required} {...control}>
        {none !== undefined && <option value="">{none}</option>}
        {options.map((option) => {
          const { value, label: text } =
            typeof option === "string" ? { value: option, label: option } : option;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </select>
    </Field>
  );
}

/**
 * A filter form: a card of fields, then Apply and Clear. Apply hands the submitted form, read as `readForm`
 * reads it, to `onApply`; Clear resets the form and calls `onClear`.
 */
export function FilterForm({
  label,
  onApply,
  onClear,
  children,
}: {
  label: string;
  onApply: (form: SubmittedForm) => void;
  onClear: () => void;
  children: ReactNode;
}) {
  return (
    <form className="card filters" onSubmit={(event) => onApply(readForm(event))} aria-label={label}>
      {children}
      <div className="filters-actions">
        <button type="submit" className="btn btn-primary">
          Apply
        </button>
        <button type="reset" className="btn btn-ghost" onClick={onClear}>
          Clear
        </button>
      </div>
    </form>
  );
}

/**
 * A `FilterForm` over filters kept in the URL query, one parameter per field named in `fields`: Apply
 * writes them (a blank field, or one left at its `defaults` value, leaves the URL), Clear removes them, and
 * the form is drawn afresh when they change (by a link, or Back).
 */
export function QueryFilterForm({
  label,
  fields,
  defaults = {},
  children,
}: {
  label: string;
  fields: readonly string[];
  defaults?: Record<string, string>;
  children: ReactNode;
}) {
  const query = useQuery();
  const write = (value: (field: string) => string | undefined) =>
    setQuery(Object.fromEntries(fields.map((field) => [field, value(field)])));
  return (
    <FilterForm
      key={fields.map((field) => query.get(field)).join("|")}
      label={label}
      onApply={({ text }) => write((field) => (text(field) === defaults[field] ? undefined : text(field)))}
      onClear={() => write(() => undefined)}
    >
      {children}
    </FilterForm>
  );
}

/**
 * Reads a submitted form: its `form` data, `text` a trimmed field or undefined when blank, `time` a
 * datetime-local field as epoch milliseconds. Prevents the browser's own submit.
 */
export function readForm(event: FormEvent<HTMLFormElement>) {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  const text = (name: string) => String(form.get(name) ?? "").trim() || undefined;
  const time = (name: string) => {
    const value = text(name);
    return value ? new Date(value).getTime() : undefined;
  };
  return { form, text, time };
}
export type SubmittedForm = ReturnType<typeof readForm>;

/**
 * The re-check sent before an irreversible action (docs/data-lifecycle.md): the `password` field taken
 * as typed, spaces included (so not readForm), and the `code` field when filled.
 */
export function readIdentityCheck(event: FormEvent<HTMLFormElement>): IdentityCheck {
  event.preventDefault();
  const form = new FormData(event.currentTarget);
  const password = String(form.get("password") ?? "");
  const code = String(form.get("code") ?? "").trim();
  return { password, ...(code ? { code } : {}) };
}

/** The From and To fields of a filter over a time range (read back with `readForm(…).time`). */
export function TimeRangeFields({ id }: { id: string }) {
  return (
    <>
      <Field id={`${id}-from`} label="From">
        <input id={`${id}-from`} name="from" type="datetime-local" />
      </Field>
      <Field id={`${id}-to`} label="To">
        <input id={`${id}-to`} name="to" type="datetime-local" />
      </Field>
    </>
  );
}

/**
 * A share (0..1) edited as a percentage with one decimal, with a hint under it; `share` null leaves it
 * empty, other input attributes (name, required, …) pass through. Read it back with `readPercent`.
 */
export function PercentField({
  label,
  share,
  hint,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "value" | "defaultValue"> & {
  id: string;
  label: string;
  share: number | null;
  hint: ReactNode;
}) {
  return (
    <Field id={input.id} label={label}>
      <input
        {...input}
        type="number"
        min={0}
        max={100}
        step={0.1}
        defaultValue={share === null ? "" : Math.round(share * 1000) / 10}
        aria-describedby={`${input.id}-hint`}
      />
      <small id={`${input.id}-hint`} className="muted">
        {hint}
      </small>
    </Field>
  );
}

/** A number field of a submitted form; null when it was left empty. */
export function readNumber(form: FormData, name: string): number | null {
  const raw = String(form.get(name) ?? "").trim();
  return raw === "" ? null : Number(raw);
}

/** The share (0..1) a `PercentField` holds, to a tenth of a percent; null when it was left empty. */
export function readPercent(form: FormData, name: string): number | null {
  const percent = readNumber(form, name);
  return percent === null ? null : Math.round(percent * 10) / 1000;
}

/** The submit button of a settings form: "Saving…" and disabled while `busy`. */
export function SaveButton({ busy, children }: { busy: boolean; children: ReactNode }) {
  return (
    <button type="submit" className="btn btn-primary" disabled={busy}>
      {busy ? "Saving…" : children}
    </button>
  );
}

/** A checkbox with its label and a one-line hint under it. */
export function CheckField({
  name,
  defaultChecked,
  label,
  hint,
}: {
  name: string;
  defaultChecked: boolean;
  label: string;
  hint: string;
}) {
  return (
    <label className="check">
      <input type="checkbox" name={name} defaultChecked={defaultChecked} />
      <span>
        {label} <span className="muted small block">{hint}</span>
      </span>
    </label>
  );
}

/** The signed-in user's password, typed again to confirm something (taken as typed: read it with FormData). */
export function CurrentPasswordField({ id, label = "Password" }: { id: string; label?: string }) {
  return (
    <Field id={id} label={label}>
      <input id={id} name="password" type="password" autoComplete="current-password" required />
    </Field>
  );
}

/** Text typed exactly (a name, an email) before a destructive button is enabled; the caller compares it. */
export function TypedConfirmField({
  id,
  label,
  name,
  value,
  onChange,
}: {
  id: string;
  label: string;
  name: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field id={id} label={label}>
      <input
        id={id}
        name={name}
        autoComplete="off"
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        required
      />
    </Field>
  );
}

/** A current authenticator (TOTP) code, sent with the password to re-check the user (read it as `code`). */
export function AuthenticatorCodeField({
  id,
  label,
  required = false,
}: {
  id: string;
  label: string;
  required?: boolean;
}) {
  return (
    <Field id={id} label={label}>
      <input
        id={id}
        name="code"
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        required={required}
      />
    </Field>
  );
}
