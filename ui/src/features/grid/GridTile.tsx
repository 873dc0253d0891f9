// Why: one camera in the grid — its live player while on screen (unmounted when scrolled away), name and stream-status badge, one "down" state with the reason and how long, a date/time overlay, click to solo, full screen on double-click, a camera dropped on it, a resize corner.
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CSSProperties, DragEvent, PointerEvent as ReactPointerEvent } from 'react';
import type { ApiClient } from '../../api/client';
import type { components } from '../../api/schema';
import type { CameraStatus, SourceKind } from '../../api/types';
import { useInView } from '../../components/useInView';
import { useNow } from '../../components/useNow';
import { CameraTile } from '../../live/CameraTile';
import type { LiveConnection } from '../../live/protocol';
import { formatDuration } from '../alerts/alertState';
import { useCan } from '../access/can';
import { sourceHint } from '../cameras/sourceHints';
import { CAMERA_DRAG_TYPE, draggedCamera } from './dragCamera';
import { COLS } from './layoutMath';
import { PtzPad } from './PtzPad';
import type { Rect, Tile } from './layoutMath';

type StreamStatus = components['schemas']['StreamStatus'];

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  tile: Tile;
  name: string;
  status: CameraStatus | null;
  sourceKind: SourceKind | null;
  selected: boolean;
  /** Shown alone, filling the grid. */
  solo: boolean;
  clock: boolean;
  onMoveStart: (id: number, e: ReactPointerEvent<HTMLElement>) => void;
  onResizeStart: (id: number, e: ReactPointerEvent<HTMLElement>) => void;
  onRemove: (id: number) => void;
  onSelect: (id: number) => void;
  onSolo: (id: number | null) => void;
  onDropCamera: (cameraId: number, onTile: number) => void;
}

/** Where a tile sits: columns in percent, rows in units of the grid's --row-h. */
export function tileStyle(t: Pick<Rect, 'x' | 'y' | 'w' | 'h'>): CSSProperties {
  return {
    left: `${(t.x / COLS) * 100}%`,
    width: `${(t.w / COLS) * 100}%`,
    top: `calc(var(--row-h) * ${t.y})`,
    height: `calc(var(--row-h) * ${t.h})`,
  };
}

const STATUS_LABELS: Record<CameraStatus, string> = {
  stopped: 'Stopped',
  starting: 'Starting',
  running: 'Running',
  error: 'Error',
  reconnecting: 'Reconnecting',
  stopping: 'Stopping',
};

const INTERACTIVE = 'button, select, input, a, [data-no-drag], [role="menu"]';
/** A click waits this long for a second one (a double-click is full screen, not solo twice). */
const CLICK_DELAY_MS = 250;
/** How often a down camera's reason is asked again. */
const DOWN_POLL_MS = 5_000;

export function toggleFullscreen(el: HTMLElement): void {
  if (document.fullscreenElement === el) void document.exitFullscreen().catch(() => {});
  else void el.requestFullscreen?.().catch(() => {});
}

/** "Offline for 2 min 14 s": how long a camera has been down, from its last state change. */
export function downFor(since: string | null | undefined, now: number): string | null {
  const t = since ? Date.parse(since) : NaN;
  return Number.isNaN(t) ? null : formatDuration(now - t);
}

/** A down camera's reason (the stream status's typed code in plain words) and since when. */
function useDownReason(api: ApiClient, id: number, down: boolean): StreamStatus | null {
  const [st, setSt] = useState<StreamStatus | null>(null);
  useEffect(() => {
    if (!down) {
      setSt(null);
      return;
    }
    let live = true;
    const load = () =>
      api.request<StreamStatus>('GET', `/cameras/${encodeURIComponent(String(id))}/status`).then(
        (s) => live && setSt(s),
        () => {},
      );
    void load();
    const t = setInterval(load, DOWN_POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, [api, id, down]);
  return st;
}

function TileClock() {
  const now = useNow(1000);
  const d = new Date(now);
  return (
    <time className="grid-clock" dateTime={d.toISOString()} data-testid="grid-clock" aria-hidden="true">
      {d.toLocaleDateString()} {d.toLocaleTimeString()}
    </time>
  );
}

function GridTileView(p: Props) {
  const { api, conn, tile, name, status, sourceKind, selected, solo, clock } = p;
  const { onMoveStart, onResizeStart, onRemove, onSelect, onSolo, onDropCamera } = p;
  const ref = useRef<HTMLDivElement>(null);
  // Off-screen tiles hold no player: no socket, no decoding.
  const visible = useInView(ref, '50px');
  const id = tile.id;
  const camera = useMemo(() => ({ id, name }), [id, name]);
  const remove = useCallback(() => onRemove(id), [id, onRemove]);
  const down = status === 'reconnecting' || status === 'error';
  const reason = useDownReason(api, id, down);
  const now = useNow(1000, down);
  const clickTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const [dropping, setDropping] = useState(false);
  // ONVIF cameras may be steerable: the pad asks, on the tile being looked at.
  const canPtz = useCan('camera:ptz');
  const ptz = canPtz && sourceKind === 'onvif' && (selected || solo) && !down;
  // A tile plays the camera's sub-stream; shown alone or full screen, the main one.
  const [full, setFull] = useState(false);
  useEffect(() => {
    const on = () => setFull(document.fullscreenElement === ref.current);
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);
  const stream = solo || full ? 'main' : 'sub';
  useEffect(() => () => {
    if (clickTimer.current) clearTimeout(clickTimer.current);
  }, []);

  const hint = reason?.last_error_code || reason?.last_error ? sourceHint(reason.last_error_code ?? null, sourceKind) : null;
  // The whole outage (every retry since the first failure), else the last state change.
  const since = downFor(reason?.down_since ?? reason?.since, now);

  const onDragOver = (e: DragEvent) => {
    if (!e.dataTransfer.types.includes(CAMERA_DRAG_TYPE)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    setDropping(true);
  };
  const onDrop = (e: DragEvent) => {
    setDropping(false);
    const cam = draggedCamera(e.dataTransfer);
    if (cam === null) return;
    e.preventDefault();
    onDropCamera(cam, id);
  };

  return (
    <div
      ref={ref}
      className={`grid-cell ${selected ? 'is-selected' : ''} ${dropping ? 'is-drop-target' : ''} ${solo ? 'is-solo' : ''}`}
      style={tileStyle(tile)}
      data-testid={`grid-tile-${id}`}
      data-camera={id}
      data-x={tile.x}
      data-y={tile.y}
      data-w={tile.w}
      data-h={tile.h}
      data-selected={selected}
      data-solo={solo}
      data-visible={visible ? 'true' : 'false'}
      onPointerDown={(e) => {
        if (e.button !== 0 || solo || (e.target as Element).closest(INTERACTIVE)) return;
        onMoveStart(id, e);
      }}
      onClick={(e) => {
        if ((e.target as Element).closest(INTERACTIVE)) return;
        onSelect(id);
        if (e.detail > 1) return;
        if (clickTimer.current) clearTimeout(clickTimer.current);
        clickTimer.current = setTimeout(() => onSolo(solo ? null : id), CLICK_DELAY_MS);
      }}
      onDoubleClick={(e) => {
        if ((e.target as Element).closest(INTERACTIVE)) return;
        if (clickTimer.current) clearTimeout(clickTimer.current);
        if (ref.current) toggleFullscreen(ref.current);
      }}
      onDragOver={onDragOver}
      onDragLeave={() => setDropping(false)}
      onDrop={onDrop}
    >
      {visible ? (
        <CameraTile api={api} conn={conn} camera={camera} onClose={remove} menu quiet={down} stream={stream} />
      ) : (
        <div className="grid-placeholder card">
          <strong>{name}</strong>
          <span className="muted small">Paused while out of view</span>
        </div>
      )}
      {status && (
        <span className={`badge grid-status status-${status}`} data-testid={`grid-status-${id}`} data-status={status}>
          {STATUS_LABELS[status]}
        </span>
      )}
      {/* A ticking clock over a down camera's last, frozen frame would read as live. */}
      {clock && !down && <TileClock />}
      {down && (
        <div
          className="grid-down"
          role="status"
          data-testid={`grid-reconnecting-${id}`}
          data-code={reason?.last_error_code ?? ''}
          title={reason?.last_error ?? undefined}
        >
          <strong>
            {/* The duration ticks every second: not announced each time (the reason is). */}
            Offline{since && <span data-testid={`grid-down-for-${id}`} aria-live="off"> for {since}</span>}
          </strong>
          {hint && <span className="small">{hint.title}</span>}
          <span className="small muted">Reconnecting{reason?.reconnects ? ` (attempt ${reason.reconnects})` : ''}…</span>
        </div>
      )}
      {ptz && <PtzPad api={api} cameraId={id} name={name} />}
      {solo && (
        <button type="button" className="btn btn-small grid-solo-back" onClick={() => onSolo(null)} data-testid="grid-solo-back">
          Back to the grid (Esc)
        </button>
      )}
      {!solo && (
        <div
          className="grid-resize"
          data-no-drag
          role="separator"
          aria-label={`Resize ${name}`}
          data-testid={`grid-resize-${id}`}
          onPointerDown={(e) => {
            if (e.button !== 0) return;
            e.stopPropagation();
            onResizeStart(id, e);
          }}
        />
      )}
    </div>
  );
}

export const GridTile = memo(GridTileView);
