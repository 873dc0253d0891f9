// Why: the camera list on screen — one row per camera with its source, status (and, when it fails, why, in plain words),
// the recording/detection switches, Live inline and every other action in one row menu, in a table that fits the window.
import type { Camera } from '../../api/types';
import { runAction, sourceSummary } from './cameraList';
import { RowMenu } from './RowMenu';
import type { MenuItem } from './RowMenu';
import { SourceError } from './SourceError';
import { statusHasError } from './sourceHints';
import type { StreamError } from './streamErrors';
import './cameras.css';

export type ToggleField = 'recording_enabled' | 'detection_enabled';

interface Props {
  cameras: Camera[];
  /** Camera ids with a start/stop/delete request in flight. */
  busy: ReadonlySet<number>;
  /** Cameras whose live tile is open. */
  live: readonly number[];
  /** The last stream error of cameras in error or reconnecting, by id. */
  errors?: ReadonlyMap<number, StreamError>;
  onLive: (cam: Camera) => void;
  onRun: (cam: Camera, action: 'start' | 'stop') => void;
  onEdit: (cam: Camera) => void;
  /** Ask to delete (the page confirms). */
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
  error,
  onLive,
  onRun,
  onEdit,
  onDelete,
  onToggle,
  onTimeline,
  onDetection,
}: Omit<Props, 'cameras' | 'busy' | 'live' | 'errors'> & { cam: Camera; busy: boolean; live: boolean; error: StreamError | undefined }) {
  const src = sourceSummary(cam);
  const action = runAction(cam);
  const where = [cam.location, cam.place].filter(Boolean).join(' · ');
  const maker = [cam.manufacturer, cam.model].filter(Boolean).join(' ');
  const items: MenuItem[] = [
    { label: 'Edit…', onSelect: () => onEdit(cam), testId: `edit-${cam.id}` },
    { label: action === 'start' ? 'Start' : 'Stop', onSelect: () => onRun(cam, action), disabled: busy, testId: `${action}-${cam.id}` },
  ];
  if (onTimeline) items.push({ label: 'Recordings', onSelect: () => onTimeline(cam), testId: `timeline-${cam.id}` });
  if (onDetection) items.push({ label: 'Detection…', onSelect: () => onDetection(cam), testId: `detection-${cam.id}` });
  items.push({ label: 'Delete…', onSelect: () => onDelete(cam), disabled: busy, danger: true, testId: `delete-${cam.id}` });
  return (
    <tr data-testid={`camera-row-${cam.id}`} className={cam.enabled ? '' : 'row-disabled'}>
      <td data-label="Camera" className="clip-cell">
        <div className="cam-name clip" title={cam.name}>
          {cam.name}
        </div>
        {maker && (
          <div className="muted small clip" title={maker}>
            {maker}
          </div>
        )}
      </td>
      <td data-label="Location" className="clip-cell">
        {where ? (
          <div className="clip" title={where}>
            {where}
          </div>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <td data-label="Source" className="source-cell clip-cell">
        <span className="source-kind">{src.kind}</span>
        <code className="source-detail" title={src.detail}>
          {src.detail}
        </code>
      </td>
      <td data-label="Status" className="status-cell">
        <span className={`badge status-${cam.status}`} data-testid={`status-${cam.id}`}>
          {cam.status}
        </span>
        {error && statusHasError(cam.status) && (
          <SourceError code={error.code} message={error.message} kind={cam.source.kind} compact testId={`status-error-${cam.id}`} />
        )}
      </td>
      <td data-label="Features" className="flags">
        <Flag on={cam.enabled} label="Enabled" />
        <Toggle cam={cam} field="recording_enabled" label="Recording" busy={busy} onToggle={onToggle} />
        <Toggle cam={cam} field="detection_enabled" label="Detection" busy={busy} onToggle={onToggle} />
      </td>
      <td data-label="Actions" className="actions">
        <div className="actions-inner">
          <button
            type="button"
            className={`btn btn-small ${live ? 'is-active' : ''}`}
            aria-pressed={live}
            aria-label={`Live view of ${cam.name}`}
            onClick={() => onLive(cam)}
            data-testid={`live-${cam.id}`}
          >
            Live
          </button>
          <RowMenu name={cam.name} items={items} testId={`actions-${cam.id}`} />
        </div>
      </td>
    </tr>
  );
}

export function CameraTable({ cameras, busy, live, errors, onLive, onRun, onEdit, onDelete, onToggle, onTimeline, onDetection }: Props) {
  return (
    <div className="table-wrap camera-table-wrap" data-testid="camera-table-wrap">
      <table className="camera-table" data-testid="camera-table">
        <colgroup>
          <col className="col-camera" />
          <col className="col-location" />
          <col className="col-source" />
          <col className="col-status" />
          <col className="col-features" />
          <col className="col-actions" />
        </colgroup>
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
              error={errors?.get(cam.id)}
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
