// Why: the camera list on screen — one row per camera with its source, status and Start/Stop/Edit/Delete.
import { useState } from 'react';
import type { Camera } from '../../api/types';
import { runAction, sourceSummary } from './cameraList';

export type ToggleField = 'recording_enabled' | 'detection_enabled';

interface Props {
  cameras: Camera[];
  /** Camera ids with a start/stop/delete request in flight. */
  busy: ReadonlySet<number>;
  /** Cameras whose live tile is open. */
  live: readonly number[];
  onLive: (cam: Camera) => void;
  onRun: (cam: Camera, action: 'start' | 'stop') => void;
  onEdit: (cam: Camera) => void;
  onDelete: (cam: Camera) => void;
  /** Turn recording or detection on or off (PATCH). */
  onToggle: (cam: Camera, field: ToggleField, on: boolean) => void;
  onTimeline?: (cam: Camera) => void;
  onDetection?: (cam: Camera) => void;
}

function Toggle({
  cam,
  field,
  label,
  busy,
  onToggle,
}: {
  cam: Camera;
  field: ToggleField;
  label: string;
  busy: boolean;
  onToggle: Props['onToggle'];
}) {
  const on = cam[field];
  const id = `cam-${cam.id}-${field}`;
  return (
    <label className={`toggle ${on ? 'toggle-on' : ''}`} htmlFor={id} title={`${label} ${on ? 'on' : 'off'} — click to turn ${on ? 'off' : 'on'}`}>
      <input
        id={id}
        type="checkbox"
        role="switch"
        checked={on}
        aria-checked={on}
        disabled={busy}
        onChange={(e) => onToggle(cam, field, e.target.checked)}
        data-testid={`toggle-${field === 'recording_enabled' ? 'recording' : 'detection'}-${cam.id}`}
      />
      <span className="toggle-track" aria-hidden="true" />
      <span className="toggle-label">{label}</span>
    </label>
  );
}

function Flag({ on, label }: { on: boolean; label: string }) {
  return (
    <span className={`flag ${on ? 'flag-on' : 'flag-off'}`} title={`${label} ${on ? 'on' : 'off'}`}>
      <span aria-hidden="true">{on ? '●' : '○'}</span> {label}
      <span className="visually-hidden">{on ? ' on' : ' off'}</span>
    </span>
  );
}

function Row({
  cam,
  busy,
  live,
  onLive,
  onRun,
  onEdit,
  onDelete,
  onToggle,
  onTimeline,
  onDetection,
}: Omit<Props, 'cameras' | 'busy' | 'live'> & { cam: Camera; busy: boolean; live: boolean }) {
  const [confirming, setConfirming] = useState(false);
  const src = sourceSummary(cam);
  const action = runAction(cam);
  const where = [cam.location, cam.place].filter(Boolean).join(' · ');
  return (
    <tr data-testid={`camera-row-${cam.id}`} className={cam.enabled ? '' : 'row-disabled'}>
      <td data-label="Camera">
        <div className="cam-name">{cam.name}</div>
        {(cam.manufacturer || cam.model) && (
          <div className="muted small">{[cam.manufacturer, cam.model].filter(Boolean).join(' ')}</div>
        )}
      </td>
      <td data-label="Location">{where || <span className="muted">—</span>}</td>
      <td data-label="Source" className="source-cell">
        <span className="source-kind">{src.kind}</span>
        <code className="source-detail" title={src.detail}>
          {src.detail}
        </code>
      </td>
      <td data-label="Status">
        <span className={`badge status-${cam.status}`} data-testid={`status-${cam.id}`}>
          {cam.status}
        </span>
      </td>
      <td data-label="Features" className="flags">
        <Flag on={cam.enabled} label="Enabled" />
        <Toggle cam={cam} field="recording_enabled" label="Recording" busy={busy} onToggle={onToggle} />
        <Toggle cam={cam} field="detection_enabled" label="Detection" busy={busy} onToggle={onToggle} />
      </td>
      <td data-label="Actions" className="actions">
        {confirming ? (
          <>
            <button
              type="button"
              className="btn btn-danger btn-small"
              disabled={busy}
              onClick={() => {
                setConfirming(false);
                onDelete(cam);
              }}
              data-testid={`confirm-delete-${cam.id}`}
            >
              Confirm delete
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className={`btn btn-small ${live ? 'is-active' : ''}`}
              aria-pressed={live}
              onClick={() => onLive(cam)}
              data-testid={`live-${cam.id}`}
            >
              Live
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              onClick={() => onRun(cam, action)}
              data-testid={`${action}-${cam.id}`}
            >
              {action === 'start' ? 'Start' : 'Stop'}
            </button>
            {onTimeline && (
              <button type="button" className="btn btn-small" onClick={() => onTimeline(cam)} data-testid={`timeline-${cam.id}`}>
                Recordings
              </button>
            )}
            <button type="button" className="btn btn-small" onClick={() => onEdit(cam)} data-testid={`edit-${cam.id}`}>
              Edit
            </button>
            {onDetection && (
              <button type="button" className="btn btn-small" onClick={() => onDetection(cam)} data-testid={`detection-${cam.id}`}>
                Detection…
              </button>
            )}
            <button
              type="button"
              className="btn btn-ghost btn-small btn-danger-text"
              disabled={busy}
              onClick={() => setConfirming(true)}
              data-testid={`delete-${cam.id}`}
            >
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

export function CameraTable({ cameras, busy, live, onLive, onRun, onEdit, onDelete, onToggle, onTimeline, onDetection }: Props) {
  return (
    <div className="table-wrap">
      <table className="camera-table" data-testid="camera-table">
        <thead>
          <tr>
            <th scope="col">Camera</th>
            <th scope="col">Location</th>
            <th scope="col">Source</th>
            <th scope="col">Status</th>
            <th scope="col">Features</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {cameras.map((cam) => (
            <Row
              key={cam.id}
              cam={cam}
              busy={busy.has(cam.id)}
              live={live.includes(cam.id)}
              onLive={onLive}
              onRun={onRun}
              onEdit={onEdit}
              onDelete={onDelete}
              onToggle={onToggle}
              onTimeline={onTimeline}
              onDetection={onDetection}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
