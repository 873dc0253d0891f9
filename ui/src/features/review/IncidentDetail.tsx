// Why: an opened incident on the Review page — its clip inline with play/pause and position, the tracked objects (detection events) in it to jump to, mark reviewed and a link to the timeline.
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import type { ApiClient } from '../../api/client';
import { queryString } from '../../api/client';
import type { components } from '../../api/schema';
import type { Alert } from '../../api/types';
import { timelineHash } from '../../components/routes';
import { alertSpan, labelSummary } from '../alerts/alertState';
import { AlertSnapshot } from '../alerts/AlertSnapshot';
import type { MediaConnection } from '../timeline/timelineApi';
import type { VodStatus } from '../timeline/vodPlayer';
import { IncidentClip } from './IncidentClip';
import type { ClipHandle, ClipWindow } from './IncidentClip';
import { incidentZones } from './reviewState';
import { useCan } from '../access/can';

type DetectionEvent = components['schemas']['DetectionEventView'];

interface Props {
  api: ApiClient;
  conn: MediaConnection;
  incident: Alert;
  clip: ClipWindow;
  cameraName: string;
  busy: boolean;
  onReview: () => void;
  onClose: () => void;
  /** Set by the page so space toggles playback of the open clip. */
  clipRef: React.RefObject<ClipHandle | null>;
}

const clock = (ms: number) =>
  new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "0:12 / 0:45": the position in the clip. */
export function clipPosition(wallMs: number | null, clip: ClipWindow): string {
  const fmt = (ms: number) => {
    const s = Math.max(0, Math.round(ms / 1000));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  };
  const at = wallMs === null ? 0 : Math.min(Math.max(wallMs, clip.startMs), clip.endMs) - clip.startMs;
  return `${fmt(at)} / ${fmt(clip.endMs - clip.startMs)}`;
}

export function IncidentDetail({ api, conn, incident, clip, cameraName, busy, onReview, onClose, clipRef }: Props) {
  const canAck = useCan('alert:ack');
  const [wall, setWall] = useState<number | null>(null);
  const [status, setStatus] = useState<VodStatus>({ state: 'loading' });
  const local = useRef<ClipHandle | null>(null);
  const events = useQuery({
    queryKey: ['detection-events', clip.cameraId, clip.startMs, clip.endMs],
    queryFn: () =>
      api.request<DetectionEvent[]>(
        'GET',
        `/detection-events${queryString({ camera_id: clip.cameraId, start: Math.floor(clip.startMs), end: Math.ceil(clip.endMs), limit: 200 })}`,
      ),
  });
  const playing = status.state === 'playing' || status.state === 'buffering';
  const zones = incidentZones(incident);
  const setRefs = (h: ClipHandle | null) => {
    local.current = h;
    clipRef.current = h;
  };
  return (
    <section className="rv-detail card" data-testid="review-detail" aria-label={`Incident at ${cameraName}`}>
      <IncidentClip api={api} conn={conn} clip={clip} ref={setRefs} onTime={setWall} onStatus={setStatus} />
      <div className="rv-detail-side">
        <header className="rv-detail-head">
          <h2>{cameraName}</h2>
          <button type="button" className="btn btn-small btn-ghost" onClick={onClose} aria-label="Close the clip" data-testid="review-close">
            ✕
          </button>
        </header>
        <p className="small">
          {new Date(Date.parse(incident.created_at)).toLocaleString()} · {alertSpan(incident) ?? ''}
        </p>
        <p className="small">
          <strong>{labelSummary(incident.labels ?? {}) || incident.message}</strong>
          {zones.length > 0 && <span className="muted"> · in {zones.join(', ')}</span>}
        </p>
        <div className="rv-controls">
          <button type="button" className="btn btn-small" onClick={() => local.current?.toggle()} data-testid="review-play">
            {playing ? 'Pause' : 'Play'}
          </button>
          <span className="muted small rv-position" data-testid="review-position">
            {clipPosition(wall, clip)}
          </span>
          {wall !== null && <span className="muted small">{clock(wall)}</span>}
        </div>
        <div className="rv-controls">
          {incident.acknowledged ? (
            <span className="badge" data-testid="review-detail-reviewed">
              Reviewed{incident.acknowledged_by ? ` by ${incident.acknowledged_by}` : ''}
            </span>
          ) : (
            canAck && <button type="button" className="btn btn-small btn-primary" onClick={onReview} disabled={busy} data-testid="review-detail-mark">
              Mark reviewed (r)
            </button>
          )}
          <a className="btn btn-small btn-ghost" href={timelineHash(clip.cameraId, clip.startMs)} data-testid="review-timeline">
            Open in timeline
          </a>
        </div>
        <h3 className="small muted">Tracked objects</h3>
        {events.isPending ? (
          <p className="muted small">Loading…</p>
        ) : events.error ? (
          <p className="banner banner-error small">Cannot list the detections: {String((events.error as Error).message)}</p>
        ) : (events.data ?? []).length === 0 ? (
          <p className="muted small">No tracked objects stored for this span.</p>
        ) : (
          <ul className="rv-objects" data-testid="review-objects">
            {/* In the order they appeared in the clip (the API lists newest first). */}
            {[...(events.data ?? [])].sort((x, y) => Date.parse(x.start) - Date.parse(y.start) || x.id - y.id).map((e) => {
              const start = Date.parse(e.start);
              return (
                <li key={e.id}>
                  <button
                    type="button"
                    className="rv-object"
                    onClick={() => local.current?.seek(start - 1000)}
                    data-testid={`review-object-${e.id}`}
                    title="Play from this object's first sighting"
                  >
                    {e.snapshot_url && <AlertSnapshot api={api} path={e.snapshot_url} alt={e.label} />}
                    <span>
                      <strong>{e.label}</strong> {Math.round(e.top_score * 100)}%
                      <br />
                      <span className="muted">
                        {clock(start)}
                        {e.zones.length > 0 ? ` · ${e.zones.join(', ')}` : ''}
                      </span>
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}
