// Why: markers as words and pictures — the hover tooltip (with the detection's snapshot) and the list of the view's events with bookmarks deletable and any row keepable.
import { useState } from 'react';
import type { ReactNode } from 'react';
import { markerTitle } from './markers';
import type { MarkerCluster } from './markers';
import { useSnapshot } from './snapshots';
import type { SnapshotCache } from './snapshots';
import { clockLabel } from './timeMath';
import type { Range } from './timeMath';
import type { TimelineMarker } from './types';

function Snapshot({ cache, path, alt }: { cache: SnapshotCache; path: string; alt: string }) {
  const { url, failed } = useSnapshot(cache, path);
  if (failed) return <p className="muted small">No snapshot.</p>;
  if (!url) return <div className="tl-snap tl-snap-loading" aria-busy="true" />;
  return <img className="tl-snap" src={url} alt={alt} data-testid="marker-snapshot" />;
}

export function MarkerTip({ cluster, snapshots }: { cluster: MarkerCluster; snapshots: SnapshotCache }) {
  const shown = cluster.markers.slice(0, 4);
  const withSnap = cluster.markers.find((m) => m.kind === 'detection' && m.snapshot_url);
  return (
    <div>
      {withSnap?.snapshot_url && <Snapshot cache={snapshots} path={withSnap.snapshot_url} alt={markerTitle(withSnap)} />}
      <ul className="tl-tip-list">
        {shown.map((m) => (
          <li key={`${m.kind}-${m.id ?? m.at_ms}`}>
            <span className={`tl-dot tl-dot-${m.kind}`} /> <strong>{clockLabel(m.at_ms, true)}</strong> {markerTitle(m)}
          </li>
        ))}
      </ul>
      {cluster.markers.length > shown.length && (
        <p className="muted small">and {cluster.markers.length - shown.length} more — zoom in to see them</p>
      )}
    </div>
  );
}

const LIST_LIMIT = 200;

interface ListProps {
  markers: readonly TimelineMarker[];
  view: Range;
  current: number | null;
  onGo: (m: TimelineMarker) => void;
  onDeleteBookmark: (id: number) => void;
  /** More controls for a row (the Keep action). */
  renderActions?: (m: TimelineMarker) => ReactNode;
}

export function MarkerList({ markers, view, current, onGo, onDeleteBookmark, renderActions }: ListProps) {
  const [confirm, setConfirm] = useState<number | null>(null);
  const inView = markers.filter((m) => (m.end_ms ?? m.at_ms) >= view.startMs && m.at_ms <= view.endMs);
  const shown = inView.slice(0, LIST_LIMIT);
  return (
    <div className="tl-events card" data-testid="marker-list">
      <h3>
        Events <span className="muted small">({inView.length} in view)</span>
      </h3>
      {shown.length === 0 ? (
        <p className="muted small">No detections, alerts or bookmarks in view.</p>
      ) : (
        <ul className="tl-event-list">
          {shown.map((m) => {
            const key = `${m.kind}-${m.id ?? m.at_ms}`;
            const isCurrent = current !== null && Math.abs(current - m.at_ms) < 1000;
            return (
              <li key={key} className={isCurrent ? 'is-current' : ''} data-testid={`marker-row-${m.kind}-${m.id ?? m.at_ms}`}>
                <button type="button" className="tl-event-go" onClick={() => onGo(m)}>
                  <span className={`tl-dot tl-dot-${m.kind}`} />
                  <span className="tl-event-time">{clockLabel(m.at_ms, true)}</span>
                  <span className="tl-event-label">{markerTitle(m)}</span>
                </button>
                {renderActions?.(m)}
                {m.kind === 'bookmark' && typeof m.id === 'number' &&
                  (confirm === m.id ? (
                    <button
                      type="button"
                      className="btn btn-danger btn-small"
                      onClick={() => {
                        setConfirm(null);
                        onDeleteBookmark(m.id as number);
                      }}
                      data-testid={`bookmark-confirm-delete-${m.id}`}
                    >
                      Confirm
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-ghost btn-small btn-danger-text"
                      onClick={() => setConfirm(m.id as number)}
                      data-testid={`bookmark-delete-${m.id}`}
                    >
                      Delete
                    </button>
                  ))}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
