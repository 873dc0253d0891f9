// Why: kept (locked) footage on the Storage page — every lock with its camera, span and reason, unlock with a confirmation, and a form to keep a span by hand.
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import { toApiError } from '../../api/queries';
import type { Camera } from '../../api/types';
import { Field, describedBy, fieldId } from '../../components/Field';
import { timelineHash } from '../../components/routes';
import { formatDuration } from '../timeline/timeMath';
import { humanSpan, humanWhen } from './format';
import { LockIcon } from './KeepControl';
import { REASON_MAX, checkSpanForm, toLocalInput } from './locks';
import type { SpanFormValues } from './locks';
import { useCreateLock, useLocks, useRemoveLock } from './useStorage';

interface Props {
  api: ApiClient;
  cameras: readonly Camera[];
  cameraName: (id: number) => string;
}

const F = 'st-lock';
const id = (k: string) => fieldId(F, k);

function KeepSpanForm({ api, cameras, onDone }: { api: ApiClient; cameras: readonly Camera[]; onDone: () => void }) {
  const create = useCreateLock(api);
  const [values, setValues] = useState<SpanFormValues>(() => {
    const now = Math.floor(Date.now() / 1000) * 1000;
    return { cameraId: cameras[0] ? String(cameras[0].id) : '', start: toLocalInput(now - 3_600_000), end: toLocalInput(now), reason: '' };
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<string | null>(null);
  const set = (k: keyof SpanFormValues, v: string) => {
    setValues((x) => ({ ...x, [k]: v }));
    const key = k === 'cameraId' ? 'camera_id' : k;
    if (errors[key]) setErrors(({ [key]: _gone, ...rest }) => rest);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setBanner(null);
    const checked = checkSpanForm(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      return;
    }
    setErrors({});
    create.mutate(checked.body, {
      onSuccess: onDone,
      onError: (err) => {
        const e2 = toApiError(err);
        setErrors(e2.fields);
        setBanner(`${e2.code}: ${e2.message}`);
      },
    });
  };
  return (
    <form className="st-keep-form" onSubmit={submit} noValidate data-testid="keep-span-form">
      <Field id={id('camera_id')} label="Camera" errorKey="camera_id" error={errors.camera_id}>
        <select
          id={id('camera_id')}
          value={values.cameraId}
          onChange={(e) => set('cameraId', e.target.value)}
          {...describedBy(id('camera_id'), errors.camera_id)}
          data-testid="keep-span-camera"
        >
          {values.cameraId === '' && <option value="">Choose…</option>}
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </Field>
      <Field id={id('start')} label="From" errorKey="start" error={errors.start}>
        <input
          id={id('start')}
          type="datetime-local"
          step={1}
          value={values.start}
          onChange={(e) => set('start', e.target.value)}
          {...describedBy(id('start'), errors.start)}
          data-testid="keep-span-start"
        />
      </Field>
      <Field id={id('end')} label="To" errorKey="end" error={errors.end}>
        <input
          id={id('end')}
          type="datetime-local"
          step={1}
          value={values.end}
          onChange={(e) => set('end', e.target.value)}
          {...describedBy(id('end'), errors.end)}
          data-testid="keep-span-end"
        />
      </Field>
      <Field id={id('reason')} label="Why" errorKey="reason" error={errors.reason}>
        <input
          id={id('reason')}
          type="text"
          value={values.reason}
          maxLength={REASON_MAX}
          placeholder="e.g. incident 2025-114"
          onChange={(e) => set('reason', e.target.value)}
          {...describedBy(id('reason'), errors.reason)}
          data-testid="keep-span-reason"
        />
      </Field>
      <div className="st-keep-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={create.isPending} data-testid="keep-span-save">
          {create.isPending ? 'Keeping…' : 'Keep footage'}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
      {banner && (
        <p className="field-error st-keep-banner" role="alert" data-testid="keep-span-error">
          {banner}
        </p>
      )}
    </form>
  );
}

export function LocksPanel({ api, cameras, cameraName }: Props) {
  const q = useLocks(api);
  const remove = useRemoveLock(api);
  const [confirm, setConfirm] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const locks = [...(q.data ?? [])].sort((a, b) => b.start_ms - a.start_ms);
  const listErr = q.error ? toApiError(q.error) : null;

  const unlock = (lockId: number) => {
    setConfirm(null);
    setError(null);
    remove.mutate(lockId, {
      onError: (err) => {
        const e = toApiError(err);
        setError(`${e.code}: ${e.message}`);
      },
    });
  };

  return (
    <section className="st-locks card" aria-labelledby="st-locks-h" data-testid="locks-panel">
      <div className="st-section-head">
        <h3 id="st-locks-h">
          <LockIcon /> Kept footage
        </h3>
        <span className="muted small">Never deleted by retention or free space; still moved between tiers.</span>
        {!adding && (
          <button
            type="button"
            className="btn btn-small st-head-end"
            onClick={() => setAdding(true)}
            disabled={cameras.length === 0}
            data-testid="keep-span-open"
          >
            Keep a span…
          </button>
        )}
      </div>
      {adding && <KeepSpanForm api={api} cameras={cameras} onDone={() => setAdding(false)} />}
      {listErr && listErr.status !== 401 && (
        <p className="field-error" role="alert">
          {listErr.code}: {listErr.message}
        </p>
      )}
      {error && (
        <p className="field-error" role="alert" data-testid="unlock-error">
          {error}
        </p>
      )}
      {q.isPending ? (
        <p className="muted small">Loading…</p>
      ) : locks.length === 0 ? (
        <p className="muted small" data-testid="locks-empty">
          Nothing is kept. Use Keep on a timeline event, bookmark or selection, or on an alert.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="camera-table st-table" data-testid="locks-list">
            <thead>
              <tr>
                <th scope="col">Camera</th>
                <th scope="col">Footage</th>
                <th scope="col">Length</th>
                <th scope="col">Why</th>
                <th scope="col">Kept since</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {locks.map((l) => (
                <tr key={l.id} data-testid={`lock-${l.id}`}>
                  <td data-label="Camera">{cameraName(l.camera_id)}</td>
                  <td data-label="Footage">
                    <a href={timelineHash(l.camera_id, l.start_ms)}>{humanSpan(l.start_ms, l.end_ms)}</a>
                  </td>
                  <td data-label="Length">{formatDuration(l.end_ms - l.start_ms)}</td>
                  <td data-label="Why" className="st-reason-text">
                    {l.reason}
                  </td>
                  <td data-label="Kept since">{humanWhen(l.created_at)}</td>
                  <td className="actions">
                    {confirm === l.id ? (
                      <>
                        <button
                          type="button"
                          className="btn btn-danger btn-small"
                          onClick={() => unlock(l.id)}
                          autoFocus
                          data-testid={`lock-confirm-${l.id}`}
                        >
                          Unlock
                        </button>
                        <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirm(null)}>
                          Cancel
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-ghost btn-small btn-danger-text"
                        onClick={() => setConfirm(l.id)}
                        disabled={remove.isPending && remove.variables === l.id}
                        aria-label={`Unlock ${cameraName(l.camera_id)} ${humanSpan(l.start_ms, l.end_ms)}`}
                        data-testid={`lock-unlock-${l.id}`}
                      >
                        Unlock…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
