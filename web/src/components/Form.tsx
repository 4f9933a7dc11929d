// Form controls that always carry a visible label, a hint when useful, and
// the API's error for their field (matched by the error's `param`), wired with
// aria-describedby / aria-invalid so screen readers announce it too.

import { useId, useState, type ChangeEvent, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { api, type ApiError } from '../lib/api.ts';
import { currencySymbol, formatBytes, humanize } from '../lib/format.ts';
import type { Currency, FileObject } from '../lib/types.ts';

/** The API error's message when its `param` is this field (or inside it: `milestones[0].amount`). */
export function errorFor(error: ApiError | undefined, ...names: string[]): string | undefined {
  if (!error?.param) return undefined;
  const param = error.param;
  return names.some((n) => param === n || param.startsWith(`${n}.`) || param.startsWith(`${n}[`)) ? error.message : undefined;
}

/** The form-level alert: shown unless one of `fields` already shows the error. */
export function FormError({ error, fields = [] }: { error: ApiError | undefined; fields?: string[] }) {
  if (!error || errorFor(error, ...fields)) return null;
  return (
    <p className="alert alert-error" role="alert">
      {error.message}
    </p>
  );
}

interface FieldShellProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}

function FieldShell({ id, label, hint, error, children }: FieldShellProps) {
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

const describedBy = (id: string, hint: unknown, error: unknown) => [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  onValue(value: string): void;
};

export function TextField({ label, hint, error, onValue, ...input }: TextFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(e) => onValue(e.target.value)} {...input} />
    </FieldShell>
  );
}

type TextAreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'onChange'> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  onValue(value: string): void;
};

export function TextArea({ label, hint, error, onValue, ...input }: TextAreaProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <textarea id={id} rows={4} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(e) => onValue(e.target.value)} {...input} />
    </FieldShell>
  );
}

type SelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> & {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  options: readonly string[] | ReadonlyArray<{ value: string; label: string }>;
  placeholder?: string;
  onValue(value: string): void;
};

export function SelectField({ label, hint, error, options, placeholder, onValue, ...select }: SelectProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <select id={id} aria-invalid={error ? true : undefined} aria-describedby={describedBy(id, hint, error)} onChange={(e) => onValue(e.target.value)} {...select}>
        {placeholder !== undefined && <option value="">{placeholder}</option>}
        {options.map((o) => {
          const option = typeof o === 'string' ? { value: o, label: humanize(o) } : o;
          return (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          );
        })}
      </select>
    </FieldShell>
  );
}

type MoneyFieldProps = Omit<TextFieldProps, 'type' | 'inputMode'> & { currency: Currency };

/** An amount typed in major units ("1,250.00"); the caller turns it into minor units with parseMoney. */
export function MoneyField({ currency, label, hint, error, onValue, ...input }: MoneyFieldProps) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <div className="money-input">
        <span aria-hidden="true">{currencySymbol(currency)}</span>
        <input
          id={id}
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy(id, hint, error)}
          onChange={(e) => onValue(e.target.value)}
          {...input}
        />
        <span className="currency-code">{currency.toUpperCase()}</span>
      </div>
    </FieldShell>
  );
}

interface FilesFieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  files: FileObject[];
  onFiles(files: FileObject[]): void;
}

/**
 * Uploads each chosen file at once (POST /v1/files) and keeps the uploaded
 * file objects; the form cites their ids. Upload errors show under the field.
 */
export function FilesField({ label, hint, error, files, onFiles }: FilesFieldProps) {
  const id = useId();
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string>();
  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const chosen = Array.from(event.target.files ?? []);
    event.target.value = '';
    if (chosen.length === 0) return;
    setUploading(true);
    setUploadError(undefined);
    const uploaded: FileObject[] = [];
    try {
      for (const file of chosen) uploaded.push(await api.upload<FileObject>(file));
    } catch (e) {
      setUploadError(e instanceof Error ? e.message : String(e));
    } finally {
      setUploading(false);
      if (uploaded.length) onFiles([...files, ...uploaded]);
    }
  };
  const shownError = uploadError ?? error;
  return (
    <FieldShell id={id} label={label} hint={hint} error={shownError}>
      <input id={id} type="file" multiple onChange={onChange} aria-describedby={describedBy(id, hint, shownError)} disabled={uploading} />
      {uploading && <p className="hint" role="status">Uploading…</p>}
      {files.length > 0 && (
        <ul className="file-list" aria-label="Attached files">
          {files.map((f) => (
            <li key={f.id}>
              <span>{f.filename}</span> <span className="muted">{formatBytes(f.size)}</span>{' '}
              <button type="button" className="link-button" onClick={() => onFiles(files.filter((x) => x.id !== f.id))} aria-label={`Remove ${f.filename}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </FieldShell>
  );
}

interface FormActionsProps {
  /** The submit button's text, and its text while the request runs. */
  label: string;
  pendingLabel?: string;
  pending?: boolean;
  tone?: 'primary' | 'danger';
  onCancel(): void;
}

/** A form's submit and Cancel buttons; the submit button is disabled while the action runs. */
export function FormActions({ label, pendingLabel, pending = false, tone = 'primary', onCancel }: FormActionsProps) {
  return (
    <div className="button-row">
      <button type="submit" className={`button button-${tone}`} disabled={pending}>
        {pending && pendingLabel ? pendingLabel : label}
      </button>
      <button type="button" className="button button-quiet" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
