// Why: the camera list on screen — one row per camera with its source, status and Start/Stop/Edit/Delete.
import { useState } from 'react';
import type { Camera } from '../../api/types';
import { runAction, sourceSummary } from './cameraList';

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
        <Flag on={cam.recording_enabled} label="Recording" />
        <Flag on={cam.detection_enabled} label="Detection" />
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
            <button type="button" className="btn btn-small" onClick={() => onEdit(cam)} data-testid={`edit-${cam.id}`}>
              Edit
            </button>
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

export function CameraTable({ cameras, busy, live, onLive, onRun, onEdit, onDelete }: Props) {
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
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
