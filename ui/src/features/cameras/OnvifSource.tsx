// Why: adding an ONVIF camera as people expect — "Scan the network" lists the cameras that answer (those already added
// marked), picking one fills its address, "Read profiles" asks the camera (with the credentials typed below) for its
// streams, and the main (recorded) and sub (detection) streams are picked from what it offers, largest and smallest
// recordable ones first. A refusal says which field to fix (wrong password, nothing there, no H.264/H.265 profile).
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import type { EventsClient } from '../../api/events';
import type { components } from '../../api/schema';
import { Field, TextField } from '../../components/Field';
import type { FieldErrors } from './formState';
import { SourceError } from './SourceError';

type Schemas = components['schemas'];
export type OnvifProfile = Schemas['Profile'];
type Found = Schemas['Found'];
type ProbeOutcome = Schemas['OnvifProbeOutcome'];
type DeviceInfo = Schemas['DeviceInfo'];

export interface OnvifValues {
  address: string;
  main: string;
  sub: string;
  username: string;
  password: string;
}

interface Props {
  api: ApiClient;
  /** The events socket, for a scan's answers (no scan without it). */
  events?: EventsClient;
  values: OnvifValues;
  errors: FieldErrors;
  /** The camera being edited (not "already added" in the scan list). */
  cameraId: number | null;
  idOf: (key: string) => string;
  onChange: (change: Partial<Pick<OnvifValues, 'address' | 'main' | 'sub'>>) => void;
  /** What the device says it is, for the camera's empty fields. */
  onDevice: (device: DeviceInfo) => void;
}

/** "1280×720 H264 25 fps 4096 kbit/s" — a profile in a few words. */
export function profileText(p: OnvifProfile): string {
  const parts = [
    p.width && p.height ? `${p.width}×${p.height}` : null,
    p.encoding ?? null,
    p.fps ? `${p.fps} fps` : null,
    p.bitrate_kbps ? `${p.bitrate_kbps} kbit/s` : null,
  ].filter(Boolean);
  return `${p.name} (${parts.join(' ')}${p.recordable ? '' : ' — cannot be recorded'})`;
}

/** The usual choice: the largest recordable profile as main, the smallest other one as sub. */
export function pickProfiles(profiles: readonly OnvifProfile[]): { main: string; sub: string } {
  const area = (p: OnvifProfile) => (p.width ?? 0) * (p.height ?? 0);
  const rec = profiles.filter((p) => p.recordable).sort((a, b) => area(b) - area(a));
  const main = rec[0]?.token ?? '';
  const rest = rec.filter((p) => p.token !== main);
  const sub = rest.at(-1)?.token ?? '';
  return { main, sub };
}

type ScanState =
  | { phase: 'idle' }
  | { phase: 'scanning'; scanId: number | null; found: (Found & { camera_id?: number | null })[] }
  | { phase: 'done'; found: (Found & { camera_id?: number | null })[]; error: string | null };

export function OnvifSource({ api, events, values, errors, cameraId, idOf, onChange, onDevice }: Props) {
  const [scan, setScan] = useState<ScanState>({ phase: 'idle' });
  const [profiles, setProfiles] = useState<OnvifProfile[] | null>(null);
  const [reading, setReading] = useState(false);
  const [failure, setFailure] = useState<{ code: string; message: string } | null>(null);
  const scanRef = useRef<ScanState>(scan);
  scanRef.current = scan;

  useEffect(() => {
    if (!events) return undefined;
    return events.subscribe((ev) => {
      const cur = scanRef.current;
      if (cur.phase !== 'scanning' || (ev.type !== 'discovery:found' && ev.type !== 'discovery:done')) return;
      if (cur.scanId !== null && ev.scan_id !== cur.scanId) return;
      if (ev.type === 'discovery:found') {
        setScan((s) =>
          s.phase === 'scanning' && !s.found.some((f) => f.endpoint === ev.device.endpoint)
            ? { ...s, found: [...s.found, { ...ev.device, camera_id: ev.camera_id }] }
            : s,
        );
      } else {
        setScan((s) => (s.phase === 'scanning' ? { phase: 'done', found: s.found, error: ev.error ?? null } : s));
      }
    });
  }, [events]);

  async function startScan() {
    setScan({ phase: 'scanning', scanId: null, found: [] });
    try {
      const r = await api.request<Schemas['ScanStarted']>('POST', '/discovery/scan', { seconds: 3 });
      setScan((s) => (s.phase === 'scanning' ? { ...s, scanId: r.scan_id } : s));
    } catch (e) {
      setScan({ phase: 'done', found: [], error: e instanceof Error ? e.message : String(e) });
    }
  }

  async function readProfiles() {
    setReading(true);
    setFailure(null);
    try {
      const body: Record<string, string> = { address: values.address.trim() };
      if (values.username.trim()) body.username = values.username.trim();
      if (values.password) body.password = values.password;
      const r = await api.request<ProbeOutcome>('POST', '/discovery/probe', body);
      if (r.outcome === 'ok') {
        setProfiles(r.profiles);
        onDevice(r.device);
        const known = new Set(r.profiles.map((p) => p.token));
        const picked = pickProfiles(r.profiles);
        onChange({
          main: known.has(values.main) ? values.main : picked.main,
          sub: values.sub && known.has(values.sub) ? values.sub : picked.sub,
        });
      } else {
        setProfiles(null);
        setFailure({ code: r.code, message: r.message });
      }
    } catch (e) {
      setFailure({ code: 'REQUEST_FAILED', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setReading(false);
    }
  }

  const found = scan.phase === 'idle' ? [] : scan.found;
  const options = profiles ?? [];
  // Before the profiles are read (an existing camera), its tokens are what can be chosen.
  const tokenOption = (t: string) =>
    t && !options.some((p) => p.token === t) ? (
      <option value={t} key={`saved-${t}`}>
        {t} (saved)
      </option>
    ) : null;

  return (
    <div className="onvif-source" data-testid="onvif-source">
      {events && (
        <div className="probe-row">
          <button type="button" className="btn btn-small" onClick={() => void startScan()}
            disabled={scan.phase === 'scanning'} data-testid="onvif-scan">
            {scan.phase === 'scanning' ? 'Scanning…' : 'Scan the network'}
          </button>
          {scan.phase === 'done' && found.length === 0 && (
            <span className="muted" data-testid="onvif-scan-empty">
              {scan.error ?? 'No ONVIF camera answered. Type its address below (multicast may not cross this network).'}
            </span>
          )}
        </div>
      )}
      {found.length > 0 && (
        <ul className="onvif-found" data-testid="onvif-found">
          {found.map((f) => {
            const added = f.camera_id != null && f.camera_id !== cameraId;
            return (
              <li key={f.endpoint}>
                <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange({ address: f.address })}
                  data-testid={`onvif-pick-${f.address}`}>
                  {f.name ?? f.address}
                </button>{' '}
                <span className="muted">
                  {f.address}
                  {f.hardware ? ` · ${f.hardware}` : ''}
                </span>
                {added && <span className="badge" data-testid="onvif-added"> already added</span>}
              </li>
            );
          })}
        </ul>
      )}
      <div className="grid-url">
        <TextField id={idOf('source.address')} label="ONVIF address" errorKey="source.address" error={errors['source.address']}
          value={values.address} onValue={(v) => onChange({ address: v })} spellCheck={false}
          placeholder="192.0.2.10:80" hint="host:port of the camera's ONVIF service; the credentials below are used." />
        <div className="probe-row">
          <button type="button" className="btn btn-small" onClick={() => void readProfiles()}
            disabled={reading || !values.address.trim()} data-testid="onvif-read">
            {reading ? 'Reading…' : 'Read profiles'}
          </button>
        </div>
      </div>
      {failure && <SourceError code={failure.code} message={failure.message} kind="onvif" role="alert" testId="onvif-error" />}
      <div className="grid-2">
        <Field id={idOf('source.main_profile')} label="Main stream (recorded)" errorKey="source.main_profile"
          error={errors['source.main_profile']}>
          <select id={idOf('source.main_profile')} value={values.main} onChange={(e) => onChange({ main: e.target.value })}
            data-testid="onvif-main">
            <option value="">—</option>
            {tokenOption(values.main)}
            {options.map((p) => (
              <option key={p.token} value={p.token} disabled={!p.recordable}>
                {profileText(p)}
              </option>
            ))}
          </select>
        </Field>
        <Field id={idOf('source.sub_profile')} label="Sub-stream (detection)" errorKey="source.sub_profile"
          error={errors['source.sub_profile']}>
          <select id={idOf('source.sub_profile')} value={values.sub} onChange={(e) => onChange({ sub: e.target.value })}
            data-testid="onvif-sub">
            <option value="">none</option>
            {tokenOption(values.sub)}
            {options.map((p) => (
              <option key={p.token} value={p.token} disabled={!p.recordable}>
                {profileText(p)}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </div>
  );
}
