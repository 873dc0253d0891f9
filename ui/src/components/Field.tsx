// Why: one accessible pattern for form inputs — label tied by htmlFor, error text tied by aria-describedby and a test id.
import type { InputHTMLAttributes, ReactNode, Ref } from 'react';

/** `source.url` → `source-url`, usable in element ids. */
function idPart(key: string): string {
  return key.replace(/[^A-Za-z0-9_-]/g, '-');
}

export function fieldId(formId: string, key: string): string {
  return `${formId}-${idPart(key)}`;
}

interface ErrorProps {
  id: string;
  errorKey: string;
  error?: string | undefined;
}

export function FieldError({ id, errorKey, error }: ErrorProps) {
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="field-error" data-testid={`field-error-${errorKey}`}>
      {error}
    </p>
  );
}

/** aria props an input needs when it may carry an error and a hint. */
export function describedBy(id: string, error?: string, hint?: boolean) {
  const ids = [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ');
  return {
    'aria-invalid': error ? true : undefined,
    'aria-describedby': ids || undefined,
  } as const;
}

interface FieldProps {
  id: string;
  label: string;
  errorKey: string;
  error?: string | undefined;
  hint?: ReactNode;
  /** The input itself; give it `id` and `{...describedBy(id, error, !!hint)}`. */
  children: ReactNode;
  className?: string;
}

export function Field({ id, label, errorKey, error, hint, children, className }: FieldProps) {
  return (
    <div className={`field ${error ? 'has-error' : ''} ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
      <FieldError id={id} errorKey={errorKey} error={error} />
    </div>
  );
}

type TextFieldProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'id'> & {
  id: string;
  label: string;
  errorKey: string;
  error?: string | undefined;
  hint?: ReactNode;
  value: string;
  onValue: (v: string) => void;
  ref?: Ref<HTMLInputElement>;
};

export function TextField({ id, label, errorKey, error, hint, value, onValue, ...rest }: TextFieldProps) {
  return (
    <Field id={id} label={label} errorKey={errorKey} error={error} hint={hint}>
      <input
        id={id}
        type="text"
        value={value}
        onChange={(e) => onValue(e.target.value)}
        {...describedBy(id, error, !!hint)}
        {...rest}
      />
    </Field>
  );
}

interface CheckboxProps {
  id: string;
  label: string;
  checked: boolean;
  onChecked: (v: boolean) => void;
  errorKey: string;
  error?: string | undefined;
  testId?: string;
}

export function CheckboxField({ id, label, checked, onChecked, errorKey, error, testId }: CheckboxProps) {
  return (
    <div className={`field field-check ${error ? 'has-error' : ''}`}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChecked(e.target.checked)}
        data-testid={testId}
        {...describedBy(id, error)}
      />
      <label htmlFor={id}>{label}</label>
      <FieldError id={id} errorKey={errorKey} error={error} />
    </div>
  );
}
