// Why: a camera's detection settings in one dialog — sub-stream, labels, score and size limits, and include/exclude zones drawn as polygons over the camera's current picture.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent, PointerEvent as ReactPointerEvent } from 'react';
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import { Field, TextField, describedBy, fieldId } from '../../components/Field';
import {
  addPoint,
  formFromSettings,
  getDetection,
  hitVertex,
  movePoint,
  placeErrors,
  pointerToPoint,
  putDetection,
  removePoint,
  settingsFromForm,
  svgPoints,
  updateZone,
  validateDetection,
} from './detectionSettings';
import type { Anchor, DetectionForm, FieldErrors, ZoneMode } from './detectionSettings';
import { toApiError } from './useCameras';

interface Props {
  camera: Camera;
  api: ApiClient;
  onClose: () => void;
}

const F = 'det';
const id = (k: string) => fieldId(F, k);

/** How often, and how many times, the dialog asks again for a picture the camera could not give yet. */
const SNAPSHOT_RETRY_MS = 2000;
const SNAPSHOT_TRIES = 15;

/**
 * The camera's current picture as an object URL (null while loading or when the camera has none).
 * A camera that is still connecting (just added, or restarted by a settings change) answers
 * STREAM_NOT_READY: the dialog says so and asks again every 2 s for 30 s, so the picture appears
 * when the camera does.
 */
function useSnapshot(api: ApiClient, cameraId: number) {
  const [state, setState] = useState<{ url: string | null; failed: boolean }>({ url: null, failed: false });
  useEffect(() => {
    let live = true;
    let made: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const attempt = (n: number) => {
      api.blob(`/cameras/${cameraId}/stream/snapshot`).then(
        (b) => {
          made = URL.createObjectURL(b);
          if (live) setState({ url: made, failed: false });
          else URL.revokeObjectURL(made);
        },
        () => {
          if (!live) return;
          setState({ url: null, failed: true });
          if (n + 1 < SNAPSHOT_TRIES) timer = setTimeout(() => attempt(n + 1), SNAPSHOT_RETRY_MS);
        },
      );
    };
    attempt(0);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
      if (made) URL.revokeObjectURL(made);
    };
  }, [api, cameraId]);
  return state;
}

function ZoneCanvas({
  form,
  selected,
  onSelect,
  onChange,
  picture,
}: {
  form: DetectionForm;
  selected: number | null;
  onSelect: (i: number) => void;
  onChange: (zones: DetectionForm['zones']) => void;
  picture: { url: string | null; failed: boolean };
}) {
  const stage = useRef<HTMLDivElement>(null);
  const drag = useRef<{ zone: number; index: number; pointerId: number } | null>(null);
  const [ratio, setRatio] = useState(16 / 9);

  const point = (e: { clientX: number; clientY: number }) => {
    const r = stage.current?.getBoundingClientRect();
    return r ? pointerToPoint(e.clientX, e.clientY, r) : null;
  };
  const onDown = (e: ReactPointerEvent<HTMLDivElement>) => {
    if (e.button !== 0) return;
    const p = point(e);
    const r = stage.current?.getBoundingClientRect();
    if (!p || !r) return;
    const hit = hitVertex(form.zones, p, r.width, r.height);
    if (hit) {
      onSelect(hit.zone);
      drag.current = { ...hit, pointerId: e.pointerId };
      e.currentTarget.setPointerCapture?.(e.pointerId);
      return;
    }
    if (selected !== null) onChange(addPoint(form.zones, selected, p));
  };
  const onMove = (e: ReactPointerEvent<HTMLDivElement>) => {
    const d = drag.current;
    if (!d || d.pointerId !== e.pointerId) return;
    const p = point(e);
    if (p) onChange(movePoint(form.zones, d.zone, d.index, p));
  };
  const onUp = () => {
    drag.current = null;
  };

  return (
    <div
      ref={stage}
      className={`zone-stage ${selected !== null ? 'zone-stage-adding' : ''}`}
      style={{ aspectRatio: String(ratio) }}
      onPointerDown={onDown}
      onPointerMove={onMove}
      onPointerUp={onUp}
      onPointerCancel={onUp}
      data-testid="zone-stage"
    >
      {picture.url ? (
        <img
          src={picture.url}
          alt="The camera's current picture"
          draggable={false}
          onLoad={(e) => {
            const img = e.currentTarget;
            if (img.naturalWidth && img.naturalHeight) setRatio(img.naturalWidth / img.naturalHeight);
          }}
        />
      ) : (
        <p className="zone-placeholder muted small">
          {picture.failed ? 'No current picture (is the camera running?). Zones can still be drawn.' : 'Loading the picture…'}
        </p>
      )}
      <svg viewBox="0 0 1 1" preserveAspectRatio="none" aria-hidden="true">
        {form.zones.map((z, i) => (
          <polygon
            key={i}
            points={svgPoints(z.polygon)}
            className={`zone-poly zone-${z.mode} ${i === selected ? 'zone-selected' : ''}`}
            vectorEffect="non-scaling-stroke"
          />
        ))}
      </svg>
      {selected !== null &&
        form.zones[selected]?.polygon.map(([x, y], k) => (
          <span
            key={k}
            className="zone-handle"
            style={{ left: `${x * 100}%`, top: `${y * 100}%` }}
            title="Drag to move; right-click to remove"
            onContextMenu={(e) => {
              e.preventDefault();
              onChange(removePoint(form.zones, selected, k));
            }}
          />
        ))}
    </div>
  );
}

export function DetectionEditor({ camera, api, onClose }: Props) {
  const [form, setForm] = useState<DetectionForm | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [selected, setSelected] = useState<number | null>(null);
  const picture = useSnapshot(api, camera.id);

  useEffect(() => {
    let live = true;
    getDetection(api, camera.id).then(
      (s) => live && setForm(formFromSettings(s)),
      (e) => {
        const err = toApiError(e);
        if (live) setLoadError(`${err.code}: ${err.message}`);
      },
    );
    return () => {
      live = false;
    };
  }, [api, camera.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const set = <K extends keyof DetectionForm>(key: K, value: DetectionForm[K], errorKey?: string) => {
    setForm((f) => (f ? { ...f, [key]: value } : f));
    setSaved(false);
    const k = errorKey ?? `filter.${String(key)}`;
    if (errors[k]) setErrors(({ [k]: _gone, ...rest }) => rest);
  };
  const setZones = (zones: DetectionForm['zones']) => {
    setForm((f) => (f ? { ...f, zones } : f));
    setSaved(false);
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    setBanner(null);
    const local = placeErrors(validateDetection(form));
    setErrors(local);
    if (Object.keys(local).length) return;
    setSaving(true);
    try {
      const s = await putDetection(api, camera.id, settingsFromForm(form));
      setForm(formFromSettings(s));
      setSaved(true);
    } catch (err) {
      const apiErr = toApiError(err);
      setErrors(placeErrors(apiErr.fields));
      setBanner(`${apiErr.code}: ${apiErr.message}`);
    } finally {
      setSaving(false);
    }
  }

  const err = (k: string) => errors[k];
  return (
    <div className="overlay">
      <div className="dialog dialog-wide" role="dialog" aria-modal="true" aria-labelledby="det-title">
        <form onSubmit={submit} noValidate data-testid="detection-form">
          <div className="dialog-head">
            <h2 id="det-title">Detection — {camera.name}</h2>
            <button type="button" className="btn btn-ghost btn-small" onClick={onClose}>
              Close
            </button>
          </div>
          {!camera.detection_enabled && (
            <p className="hint">Detection is off for this camera; these settings apply once it is turned on.</p>
          )}
          {loadError && (
            <div className="banner banner-error" role="alert">
              {loadError}
            </div>
          )}
          {banner && (
            <div className="banner banner-error" role="alert" data-testid="detection-error">
              {banner}
            </div>
          )}
          {!form && !loadError && <p className="muted">Loading…</p>}
          {form && (
            <>
              <fieldset>
                <legend>What counts</legend>
                <TextField id={id('substream_url')} label="Sub-stream URL (optional)" errorKey="substream_url"
                  error={err('substream_url')} value={form.substream_url} spellCheck={false}
                  onValue={(v) => set('substream_url', v, 'substream_url')} placeholder="rtsp://192.0.2.10/stream2"
                  hint="A smaller stream of the same camera for detection; no credentials (the camera's are used)." />
                <TextField id={id('labels')} label="Labels" errorKey="filter.labels" error={err('filter.labels')}
                  value={form.labels} onValue={(v) => set('labels', v)} placeholder="person, car"
                  hint="Comma-separated; empty keeps every label." />
                <div className="grid-3">
                  <TextField id={id('min_score')} label="Minimum score" errorKey="filter.min_score"
                    error={err('filter.min_score')} value={form.min_score} onValue={(v) => set('min_score', v)}
                    type="number" min={0} max={1} step={0.05} />
                  <TextField id={id('min_area')} label="Smallest box (of frame)" errorKey="filter.min_area"
                    error={err('filter.min_area')} value={form.min_area} onValue={(v) => set('min_area', v)}
                    type="number" min={0} max={1} step={0.001} />
                  <TextField id={id('max_area')} label="Largest box (of frame)" errorKey="filter.max_area"
                    error={err('filter.max_area')} value={form.max_area} onValue={(v) => set('max_area', v)}
                    type="number" min={0} max={1} step={0.01} />
                </div>
                <Field id={id('anchor')} label="Point tested against zones" errorKey="filter.anchor" error={err('filter.anchor')}>
                  <select id={id('anchor')} value={form.anchor} {...describedBy(id('anchor'), err('filter.anchor'))}
                    onChange={(e) => set('anchor', e.target.value as Anchor)}>
                    <option value="bottom_center">Bottom centre (where people and cars touch the ground)</option>
                    <option value="center">Centre of the box</option>
                  </select>
                </Field>
              </fieldset>

              <fieldset>
                <legend>Zones</legend>
                <p className="hint">
                  Select a zone, then click the picture to place its corners; drag a corner to move it, right-click to
                  remove it. With include zones only detections inside one count; exclude zones are masks.
                </p>
                <ZoneCanvas form={form} selected={selected} onSelect={setSelected} onChange={setZones} picture={picture} />
                <ul className="zone-list">
                  {form.zones.map((z, i) => (
                    <li key={i} className={i === selected ? 'is-selected' : ''} data-testid={`zone-row-${i}`}>
                      <input aria-label={`Zone ${i + 1} name`} value={z.name} placeholder={`zone ${i + 1}`}
                        onChange={(e) => setZones(updateZone(form.zones, i, (q) => ({ ...q, name: e.target.value })))} />
                      <select aria-label={`Zone ${i + 1} mode`} value={z.mode}
                        onChange={(e) => setZones(updateZone(form.zones, i, (q) => ({ ...q, mode: e.target.value as ZoneMode })))}>
                        <option value="include">include</option>
                        <option value="exclude">exclude</option>
                      </select>
                      <span className="muted small">{z.polygon.length} points</span>
                      <button type="button" className={`btn btn-small ${i === selected ? 'is-active' : ''}`}
                        onClick={() => setSelected(i === selected ? null : i)}>
                        {i === selected ? 'Done' : 'Edit'}
                      </button>
                      <button type="button" className="btn btn-small" disabled={!z.polygon.length}
                        onClick={() => setZones(removePoint(form.zones, i, z.polygon.length - 1))}>
                        Undo point
                      </button>
                      <button type="button" className="btn btn-ghost btn-small btn-danger-text"
                        onClick={() => {
                          setZones(form.zones.filter((_, k) => k !== i));
                          setSelected(null);
                        }}>
                        Delete
                      </button>
                      {err(`zone-${i}`) && (
                        <p className="field-error" data-testid={`field-error-zone-${i}`}>
                          {err(`zone-${i}`)}
                        </p>
                      )}
                    </li>
                  ))}
                </ul>
                <button type="button" className="btn btn-small" data-testid="zone-add"
                  onClick={() => {
                    setZones([...form.zones, { name: '', mode: 'include', polygon: [] }]);
                    setSelected(form.zones.length);
                  }}>
                  Add zone
                </button>
              </fieldset>
            </>
          )}
          <div className="dialog-actions">
            {saved && <span className="probe-ok small" data-testid="detection-saved">Saved; the detector restarts with them.</span>}
            <button type="button" className="btn btn-ghost" onClick={onClose}>
              Close
            </button>
            <button type="submit" className="btn btn-primary" disabled={!form || saving} data-testid="detection-save">
              {saving ? 'Saving…' : 'Save settings'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
