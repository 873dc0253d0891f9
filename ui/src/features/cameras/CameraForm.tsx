// Why: the add/edit camera dialog — inputs, client checks, the create/PATCH call and server errors shown by their fields,
// connection test results in plain words, and a question before saving a source that failed (or skipped) its test.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { Camera, RtspTransport, SourceKind } from '../../api/types';
import { CheckboxField, Field, TextField, describedBy, fieldId } from '../../components/Field';
import { CopyField } from '../../components/CopyField';
import {
  emptyForm,
  fieldLabel,
  formFromCamera,
  hasCredentials,
  mapApiFieldErrors,
  toCreateBody,
  toPatchBody,
  validateForm,
} from './formState';
import type { CameraFormValues, FieldErrors } from './formState';
import { ConfirmDialog } from './ConfirmDialog';
import { describeProbe, probePlan, runProbe } from './probe';
import type { ProbeResult } from './probe';
import { saveQuestion } from './saveCheck';
import type { ProbeState, SaveQuestion } from './saveCheck';
import { OnvifSource } from './OnvifSource';
import { SourceError } from './SourceError';
import { sourceHint } from './sourceHints';
import { toApiError } from './useCameras';
import './cameras.css';

interface Props {
  /** The camera to edit, or null to add one. */
  camera: Camera | null;
  api: ApiClient;
  /** For an ONVIF scan's answers. */
  events?: EventsClient;
  onSaved: (cam: Camera, created: boolean) => void;
  onClose: () => void;
}

interface Banner {
  code: string;
  message: string;
  extra: string[];
}

const PROBED_FIELDS = new Set<keyof CameraFormValues>([
  'sourceKind', 'rtspUrl', 'rtspTransport', 'filePath', 'username', 'password', 'removePassword',
  'onvifAddress', 'onvifMain', 'onvifSub',
]);

const F = 'cam';
const id = (key: string) => fieldId(F, key);

/** The field a source's connection test is about. */
function sourceField(kind: SourceKind): string {
  if (kind === 'file') return 'source.path';
  if (kind === 'onvif') return 'source.address';
  return 'source.url';
}

export function CameraForm({ camera, api, events, onSaved, onClose }: Props) {
  const [values, setValues] = useState<CameraFormValues>(() => (camera ? formFromCamera(camera) : emptyForm()));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<Banner | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [probe, setProbe] = useState<ProbeState>({ phase: 'idle' });
  /** The question before saving (a failed or missing connection test), while it is asked. */
  const [asking, setAsking] = useState<SaveQuestion | null>(null);
  const firstInput = useRef<HTMLInputElement>(null);
  const editing = camera !== null;

  useEffect(() => {
    firstInput.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  function set<K extends keyof CameraFormValues>(key: K, value: CameraFormValues[K], errorKey?: string) {
    setValues((v) => ({ ...v, [key]: value }));
    const k = errorKey ?? String(key);
    if (errors[k]) {
      const { [k]: _gone, ...rest } = errors;
      setErrors(rest);
      // The banner was about the fields; once the last one is edited it has said its piece.
      if (Object.keys(rest).length === 0) setBanner(null);
    }
    // A result is about the source and credentials it was run with.
    if (PROBED_FIELDS.has(key) && probe.phase !== 'idle' && probe.phase !== 'running') setProbe({ phase: 'idle' });
  }

  /** Probe the source as the form has it, showing a failure at the field it is about. */
  async function testConnection() {
    const plan = probePlan(values, camera);
    if (plan.kind === 'none') {
      setProbe({ phase: 'unavailable', reason: plan.reason });
      return;
    }
    // The same checks as on save, for the source fields only.
    const local = validateForm(values);
    const sourceKey = sourceField(values.sourceKind);
    if (local[sourceKey]) {
      setErrors((e) => ({ ...e, [sourceKey]: local[sourceKey] as string }));
      setProbe({ phase: 'idle' });
      return;
    }
    setErrors(({ [sourceKey]: _gone, ...rest }) => rest);
    setProbe({ phase: 'running' });
    try {
      const outcome = await runProbe(api, plan);
      if (outcome.outcome === 'ok') {
        const { outcome: _ok, ...result } = outcome;
        setProbe({ phase: 'ok', result: result as ProbeResult, note: plan.kind === 'adhoc' ? plan.note : null });
        return;
      }
      // The probe ran and could not read the source: say why in plain words, at the field it is about too
      // (the hint comes from the typed code; the server's own message stays behind Details).
      const placed = outcome.field === sourceKey;
      if (placed) setErrors((cur) => ({ ...cur, [sourceKey]: sourceHint(outcome.code, values.sourceKind).title }));
      setProbe({ phase: 'failed', code: outcome.code, message: outcome.message, placedAtField: false });
    } catch (e) {
      // The request itself failed (a field the server refused, Vigil not answering).
      const apiErr = toApiError(e);
      const mapped = mapApiFieldErrors(apiErr, values);
      const placed = Object.keys(mapped.fields).length > 0;
      if (placed) setErrors((cur) => ({ ...cur, ...mapped.fields }));
      setProbe({
        phase: 'failed',
        code: apiErr.code,
        message: [apiErr.message, ...mapped.unplaced].join('; '),
        placedAtField: placed,
      });
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setBanner(null);
    const local = validateForm(values);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    // A source that failed its test, or changed and was never tested, is saved only when the user says so.
    const question = saveQuestion(values, camera, probe);
    if (question) {
      setAsking(question);
      return;
    }
    void save();
  }

  async function save() {
    setAsking(null);
    setSubmitting(true);
    try {
      if (camera) {
        const body = toPatchBody(values, camera);
        const saved = Object.keys(body).length === 0 ? camera : await api.cameras.update(camera.id, body);
        onSaved(saved, false);
      } else {
        onSaved(await api.cameras.create(toCreateBody(values)), true);
      }
    } catch (err) {
      const apiErr = toApiError(err);
      const mapped = mapApiFieldErrors(apiErr, values);
      setErrors(mapped.fields);
      const placed = Object.keys(mapped.fields).length > 0;
      setBanner({
        code: apiErr.code,
        message: placed ? `${apiErr.message} — see the highlighted fields.` : apiErr.message,
        extra: mapped.unplaced,
      });
    } finally {
      setSubmitting(false);
    }
  }

  const err = (key: string) => errors[key];
  const title = editing ? `Edit ${camera.name}` : 'Add camera';
  const rtmp = camera?.source.kind === 'rtmp_push' ? camera.source : null;

  return (
    <div className="overlay">
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="camera-form-title">
        <form onSubmit={submit} noValidate data-testid="camera-form">
          <div className="dialog-head">
            <h2 id="camera-form-title">{title}</h2>
            <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
              Close
            </button>
          </div>

          {banner && (
            <div className="banner banner-error" role="alert" data-testid="form-error">
              <strong>{banner.code}</strong> {banner.message}
              {banner.extra.length > 0 && (
                <ul>
                  {banner.extra.map((m) => (
                    <li key={m}>{m}</li>
                  ))}
                </ul>
              )}
            </div>
          )}

          <fieldset>
            <legend>Camera</legend>
            <div className="grid-2">
              <TextField id={id('name')} label="Name" errorKey="name" error={err('name')} value={values.name}
                onValue={(v) => set('name', v)} ref={firstInput} required maxLength={200} />
              <TextField id={id('serial_number')} label="Serial number" errorKey="serial_number"
                error={err('serial_number')} value={values.serial_number} onValue={(v) => set('serial_number', v)} />
              <TextField id={id('manufacturer')} label="Manufacturer" errorKey="manufacturer"
                error={err('manufacturer')} value={values.manufacturer} onValue={(v) => set('manufacturer', v)} />
              <TextField id={id('model')} label="Model" errorKey="model" error={err('model')} value={values.model}
                onValue={(v) => set('model', v)} />
              <TextField id={id('location')} label="Location" errorKey="location" error={err('location')}
                value={values.location} onValue={(v) => set('location', v)} placeholder="e.g. Warehouse north" />
              <TextField id={id('place')} label="Place" errorKey="place" error={err('place')} value={values.place}
                onValue={(v) => set('place', v)} placeholder="e.g. Loading dock" />
            </div>
          </fieldset>

          <fieldset>
            <legend>Video source</legend>
            <Field id={id('source')} label="Source kind" errorKey="source" error={err('source')}>
              <select id={id('source')} value={values.sourceKind} {...describedBy(id('source'), err('source'))}
                onChange={(e) => set('sourceKind', e.target.value as SourceKind, 'source')}>
                <option value="rtsp">RTSP (camera pulls)</option>
                <option value="rtmp_push">RTMP push (camera sends)</option>
                <option value="onvif">ONVIF camera (scan or address)</option>
                <option value="file">File</option>
              </select>
            </Field>

            {values.sourceKind === 'onvif' && (
              <OnvifSource
                api={api}
                events={events}
                cameraId={camera?.id ?? null}
                idOf={id}
                errors={errors}
                values={{
                  address: values.onvifAddress,
                  main: values.onvifMain,
                  sub: values.onvifSub,
                  username: values.username,
                  password: values.password,
                }}
                onChange={(c) => {
                  if (c.address !== undefined) set('onvifAddress', c.address, 'source.address');
                  if (c.main !== undefined) set('onvifMain', c.main, 'source.main_profile');
                  if (c.sub !== undefined) set('onvifSub', c.sub, 'source.sub_profile');
                }}
                onDevice={(d) =>
                  setValues((v) => ({
                    ...v,
                    manufacturer: v.manufacturer || (d.manufacturer ?? ''),
                    model: v.model || (d.model ?? ''),
                    serial_number: v.serial_number || (d.serial_number ?? ''),
                  }))
                }
              />
            )}

            {values.sourceKind === 'rtsp' && (
              <div className="grid-url">
                <TextField id={id('source.url')} label="RTSP URL" errorKey="source.url" error={err('source.url')}
                  value={values.rtspUrl} onValue={(v) => set('rtspUrl', v, 'source.url')} spellCheck={false}
                  placeholder="rtsp://192.0.2.10:554/stream1" inputMode="url" />
                <Field id={id('source.transport')} label="Transport" errorKey="source.transport"
                  error={err('source.transport')}>
                  <select id={id('source.transport')} value={values.rtspTransport}
                    onChange={(e) => set('rtspTransport', e.target.value as RtspTransport, 'source.transport')}>
                    <option value="tcp">TCP</option>
                    <option value="udp">UDP</option>
                  </select>
                </Field>
              </div>
            )}

            {values.sourceKind === 'file' && (
              <TextField id={id('source.path')} label="File path" errorKey="source.path" error={err('source.path')}
                value={values.filePath} onValue={(v) => set('filePath', v, 'source.path')} spellCheck={false}
                placeholder="/srv/footage/lobby.mp4" hint="An absolute path on the machine running Vigil." />
            )}

            {values.sourceKind === 'rtmp_push' &&
              (rtmp ? (
                <div className="rtmp-info">
                  <CopyField label="Publish URL" value={rtmp.publish_url} testId="rtmp-publish-url" />
                  <CopyField label="Stream key" value={rtmp.stream_key} testId="rtmp-stream-key" />
                </div>
              ) : (
                <p className="hint">A publish URL and stream key are created when you save; set them in the camera.</p>
              ))}

            {(values.sourceKind !== 'rtmp_push' || rtmp) && (
              <div className="probe-row">
                <button type="button" className="btn btn-small" onClick={() => void testConnection()}
                  disabled={probe.phase === 'running'} data-testid="probe-button">
                  {probe.phase === 'running' ? 'Testing…' : 'Test connection'}
                </button>
                <span className="probe-status" role="status" aria-live="polite">
                  {probe.phase === 'ok' && (
                    <span className="probe-ok" data-testid="probe-result">
                      ✓ {describeProbe(probe.result)}
                    </span>
                  )}
                  {probe.phase === 'unavailable' && (
                    <span className="muted" data-testid="probe-unavailable">
                      {probe.reason}
                    </span>
                  )}
                  {probe.phase === 'failed' && probe.placedAtField && (
                    <span className="probe-failed" data-testid="probe-error">
                      The connection test could not run — see the highlighted field.
                    </span>
                  )}
                </span>
                {probe.phase === 'failed' && !probe.placedAtField && (
                  <SourceError code={probe.code} message={probe.message} kind={values.sourceKind} role="alert" testId="probe-error" />
                )}
                {probe.phase === 'ok' && probe.note && <p className="hint">{probe.note}</p>}
              </div>
            )}
          </fieldset>

          {hasCredentials(values.sourceKind) && (
            <fieldset>
              <legend>Credentials</legend>
              <div className="grid-2">
                <TextField id={id('username')} label="Username" errorKey="username" error={err('username')}
                  value={values.username} onValue={(v) => set('username', v)} autoComplete="off" />
                <TextField id={id('password')} label="Password" errorKey="password" error={err('password')}
                  type="password" autoComplete="new-password" value={values.password}
                  onValue={(v) => set('password', v)} disabled={values.removePassword}
                  placeholder={editing && camera.has_password ? '•••••• (unchanged)' : ''}
                  hint={editing && camera.has_password ? 'Write-only: leave empty to keep the stored password.' : 'Write-only: never shown again once saved.'} />
              </div>
              {editing && camera.has_password && (
                <CheckboxField id={id('remove-password')} label="Remove the stored password" errorKey="remove_password"
                  checked={values.removePassword} testId="remove-password"
                  onChecked={(v) => setValues((s) => ({ ...s, removePassword: v, password: v ? '' : s.password }))} />
              )}
            </fieldset>
          )}

          <fieldset>
            <legend>Options</legend>
            <div className="checks">
              <CheckboxField id={id('enabled')} label="Enabled" errorKey="enabled" error={err('enabled')}
                checked={values.enabled} onChecked={(v) => set('enabled', v)} />
              <CheckboxField id={id('recording_enabled')} label="Recording" errorKey="recording_enabled"
                error={err('recording_enabled')} checked={values.recording_enabled}
                onChecked={(v) => set('recording_enabled', v)} />
              <CheckboxField id={id('detection_enabled')} label="Detection" errorKey="detection_enabled"
                error={err('detection_enabled')} checked={values.detection_enabled}
                onChecked={(v) => set('detection_enabled', v)} />
            </div>
            <TextField id={id('detect_fps')} label={fieldLabel('detect_fps')} errorKey="detect_fps"
              error={err('detect_fps')} type="number" min={1} max={30} step={1} className="narrow"
              value={values.detect_fps} onValue={(v) => set('detect_fps', v)}
              hint="Frames per second analysed for detection (1–30)." />
          </fieldset>

          <div className="dialog-actions">
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={submitting} data-testid="camera-form-submit">
              {submitting ? 'Saving…' : editing ? 'Save changes' : 'Add camera'}
            </button>
          </div>
        </form>
      </div>
      {asking && (
        <ConfirmDialog
          title={asking.title}
          confirmLabel="Save anyway"
          onConfirm={() => void save()}
          onCancel={() => setAsking(null)}
          testId="save-anyway"
        >
          <p data-testid="save-anyway-message">{asking.message}</p>
          {asking.hint && <p className="hint">{asking.hint}</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
