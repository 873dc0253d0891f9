// Why: the one "Keep" action (a footage lock) used by the timeline's markers and selection and by alerts — a button that asks for a reason inline, and a "Kept" badge once locks cover the footage.
import { useId, useState } from 'react';
import type { FormEvent, KeyboardEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import { cleanReason, isKept, locksOver, REASON_MAX } from './locks';
import type { Span } from './locks';
import { useCreateLock, useLocks } from './useStorage';
import './keep.css';
import { useCan } from '../access/can';

export function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 12 14" width="10" height="12" aria-hidden="true" focusable="false">
      <path d="M3 6V4a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <rect x="1" y="6" width="10" height="7.5" rx="1.5" fill="currentColor" />
    </svg>
  );
}

interface Props {
  api: ApiClient;
  cameraId: number;
  /** What a Keep locks. */
  span: Span;
  /** The footage whose state the badge shows (default: `span`). */
  covers?: Span;
  /** Prefilled reason (shown in the Storage page's list of locks). */
  defaultReason: string;
  /** Button text. */
  label?: string;
  /** Test ids: `<testId>`, `<testId>-kept`, `<testId>-reason`, `<testId>-save`, `<testId>-error`. */
  testId: string;
  disabled?: boolean;
}

/** Keeping footage needs `footage:lock`: offered only to those who have it. */
export function KeepControl(props: Props) {
  return useCan('footage:lock') ? <KeepControlView {...props} /> : null;
}

function KeepControlView({ api, cameraId, span, covers, defaultReason, label = 'Keep', testId, disabled }: Props) {
  const locks = useLocks(api).data;
  const create = useCreateLock(api);
  const [editing, setEditing] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();

  const shown = covers ?? span;
  if (locks && isKept(locks, cameraId, shown) && !editing) {
    const why = locksOver(locks, cameraId, shown)
      .map((l) => l.reason)
      .join('; ');
    return (
      <a
        className="kept-badge"
        href="#/storage"
        data-testid={`${testId}-kept`}
        title={`Kept: never deleted by retention or free space${why ? ` (${why})` : ''}. Unlock on the Storage page.`}
      >
        <LockIcon /> Kept
      </a>
    );
  }

  const open = () => {
    setReason(defaultReason.slice(0, REASON_MAX));
    setError(null);
    setEditing(true);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setError(null);
    create.mutate(
      { camera_id: cameraId, start: Math.floor(span.startMs), end: Math.ceil(span.endMs), reason: cleanReason(reason) },
      {
        onSuccess: () => setEditing(false),
        onError: (err) => {
          const e2 = toApiError(err);
          const fields = Object.entries(e2.fields).map(([k, v]) => `${k} ${v}`);
          setError(`${e2.code}: ${fields.length ? fields.join('; ') : e2.message}`);
        },
      },
    );
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setEditing(false);
    }
  };

  if (!editing) {
    return (
      <button
        type="button"
        className="btn btn-ghost btn-small keep-btn"
        onClick={open}
        disabled={disabled}
        data-testid={testId}
        title="Keep this footage: retention and free-space eviction never delete it"
      >
        <LockIcon /> {label}
      </button>
    );
  }
  return (
    <form className="keep-form" onSubmit={submit} onKeyDown={onKey} data-testid={`${testId}-form`}>
      <label className="visually-hidden" htmlFor={inputId}>
        Why keep it
      </label>
      <input
        id={inputId}
        type="text"
        value={reason}
        maxLength={REASON_MAX}
        onChange={(e) => setReason(e.target.value)}
        placeholder="Why keep it"
        autoFocus
        data-testid={`${testId}-reason`}
      />
      <button type="submit" className="btn btn-primary btn-small" disabled={create.isPending} data-testid={`${testId}-save`}>
        {create.isPending ? 'Keeping…' : 'Keep'}
      </button>
      <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </form>
  );
}
