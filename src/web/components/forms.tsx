import { useEffect, useId, useRef, type ChangeEvent, type ReactNode, type RefObject } from 'react';
import { ApiError } from '../api/client';
import { FIELD_LABELS, humanMessage } from '../lib/fields';

export type FieldErrors = Record<string, string>;

export interface FormErrors {
  fields: FieldErrors;
  /** An error that belongs to no one field (network, permission, conflict without field). */
  form?: string;
}

export const NO_ERRORS: FormErrors = { fields: {} };

export function hasErrors(e: FormErrors): boolean {
  return Boolean(e.form) || Object.keys(e.fields).length > 0;
}

/** Turn a thrown error into messages placed at the fields they name. */
export function formErrorsFrom(error: unknown, knownFields: readonly string[]): FormErrors {
  if (!(error instanceof ApiError)) return { fields: {}, form: 'Something went wrong. Please try again.' };
  const fields: FieldErrors = {};
  const issues = error.details.length > 0 ? error.details : error.field ? [{ field: error.field, message: error.message }] : [];
  for (const issue of issues) {
    const field = issue.field.split('.')[0] ?? issue.field;
    if (knownFields.includes(field) && !fields[field]) fields[field] = humanMessage(field, issue.message);
  }
  if (Object.keys(fields).length > 0) return { fields };
  return { fields: {}, form: humanMessage(error.field, error.message) };
}

export const fieldId = (form: string, field: string) => `${form}-${field}`;

/**
 * Errors announced as they appear, with links to each field. The live region is always in
 * the page so screen readers hear the summary when it fills. Each new set of errors also
 * takes focus (and so scrolls into view): on a phone the summary is often far above the
 * button that was pressed, and the button may be disabled while the request runs, which
 * would otherwise leave focus nowhere.
 */
export function ErrorSummary({ errors, form }: { errors: FormErrors; form: string }) {
  const entries = Object.entries(errors.fields);
  const any = hasErrors(errors);
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (any) summary.current?.focus();
  }, [any, errors]);
  return (
    <div aria-live="assertive" aria-atomic="true" className="error-summary-region">
      {any ? (
        <div className="error-summary" role="group" aria-labelledby={`${form}-error-title`} tabIndex={-1} ref={summary}>
          <h2 id={`${form}-error-title`} className="error-summary__title">
            {entries.length > 0 ? 'Please check the form' : 'That did not work'}
          </h2>
          <ul>
            {errors.form ? <li>{errors.form}</li> : null}
            {entries.map(([field, message]) => (
              <li key={field}>
                <a href={`#${fieldId(form, field)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(fieldId(form, field))?.focus();
                  }}
                >
                  {message}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}

interface BaseFieldProps {
  form: string;
  name: string;
  label?: string;
  hint?: ReactNode;
  error?: string | undefined;
  required?: boolean;
}

function FieldShell({
  form,
  name,
  label,
  hint,
  error,
  required,
  children,
}: BaseFieldProps & { children: (props: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode }) {
  const id = fieldId(form, name);
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--error' : ''}`}>
      <label htmlFor={id} className="field__label">
        {label ?? FIELD_LABELS[name] ?? name}
        {required ? <span className="field__required"> (required)</span> : null}
      </label>
      {hint ? (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      {children({ id, describedBy, invalid: Boolean(error) })}
    </div>
  );
}

export function TextField(
  props: BaseFieldProps & {
    value: string;
    onChange: (value: string) => void;
    type?: 'text' | 'email' | 'tel' | 'date' | 'password' | 'search';
    autoComplete?: string;
    inputMode?: 'text' | 'tel' | 'email' | 'numeric';
    maxLength?: number;
    width?: 'short' | 'medium' | 'full';
  },
) {
  const { value, onChange, type = 'text', autoComplete, inputMode, maxLength, width = 'full', ...shell } = props;
  return (
    <FieldShell {...shell}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={shell.name}
          className={`input input--${width}`}
          type={type}
          value={value}
          onChange={(e: ChangeEvent<HTMLInputElement>) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={shell.required || undefined}
          autoComplete={autoComplete}
          inputMode={inputMode}
          maxLength={maxLength}
        />
      )}
    </FieldShell>
  );
}

export function TextArea(
  props: BaseFieldProps & { value: string; onChange: (value: string) => void; rows?: number; maxLength?: number; autoComplete?: string },
) {
  const { value, onChange, rows = 3, maxLength, autoComplete, ...shell } = props;
  return (
    <FieldShell {...shell}>
      {({ id, describedBy, invalid }) => (
        <textarea
          id={id}
          name={shell.name}
          className="input input--full"
          rows={rows}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
          aria-required={shell.required || undefined}
          maxLength={maxLength}
          autoComplete={autoComplete}
        />
      )}
    </FieldShell>
  );
}

export function SelectField(
  props: BaseFieldProps & {
    value: string;
    onChange: (value: string) => void;
    options: readonly { value: string; label: string }[];
    /** 'full' for options that are long by nature (people's names with their birth dates). */
    width?: 'medium' | 'full';
  },
) {
  const { value, onChange, options, width = 'medium', ...shell } = props;
  return (
    <FieldShell {...shell}>
      {({ id, describedBy, invalid }) => (
        <select
          id={id}
          name={shell.name}
          className={`input input--${width}`}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-describedby={describedBy}
          aria-invalid={invalid || undefined}
        >
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

export function Checkbox({
  id,
  label,
  checked,
  onChange,
  hint,
  error,
}: {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
  error?: string | undefined;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`checkbox${error ? ' field--error' : ''}`}>
      {error ? (
        <p id={errorId} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error}
        </p>
      ) : null}
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="field__hint checkbox__hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A polite status line for "Saved" and similar outcomes. */
export function StatusMessage({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="status-region">
      {children ? <p className="notice notice--success">{children}</p> : null}
    </div>
  );
}

export function useFormId(prefix: string): string {
  return `${prefix}${useId().replace(/[^a-zA-Z0-9]/g, '')}`;
}

/**
 * For a form that opens in place of the button that opens it (and closes in place of the
 * buttons that close it): the element pressed disappears each time, so focus moves to
 * `whenOpened` as the form opens (null: the form places focus itself) and back to
 * `whenClosed` as it closes. Nothing moves on the first render.
 */
export function useFocusOnToggle(open: boolean, whenOpened: RefObject<HTMLElement | null> | null, whenClosed: RefObject<HTMLElement | null>): void {
  const wasOpen = useRef(open);
  useEffect(() => {
    if (open === wasOpen.current) return;
    wasOpen.current = open;
    (open ? whenOpened : whenClosed)?.current?.focus();
  }, [open, whenOpened, whenClosed]);
}
