// Why: one camera in the grid — its live player while on screen (unmounted when scrolled away), name and stream-status badge, a reconnecting overlay, full screen on double-click, a resize corner.
import { memo, useCallback, useMemo, useRef } from 'react';
import type { CSSProperties, PointerEvent as ReactPointerEvent } from 'react';
import type { ApiClient } from '../../api/client';
import type { CameraStatus } from '../../api/types';
import { useInView } from '../../components/useInView';
import { CameraTile } from '../../live/CameraTile';
import type { LiveConnection } from '../../live/protocol';
import { COLS } from './layoutMath';
import type { Tile } from './layoutMath';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  tile: Tile;
  name: string;
  status: CameraStatus | null;
  onMoveStart: (id: number, e: ReactPointerEvent<HTMLElement>) => void;
  onResizeStart: (id: number, e: ReactPointerEvent<HTMLElement>) => void;
  onRemove: (id: number) => void;
}

/** Where a tile sits: columns in percent, rows in units of the grid's --row-h. */
export function tileStyle(t: Pick<Tile, 'x' | 'y' | 'w' | 'h'>): CSSProperties {
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

const INTERACTIVE = 'button, select, input, a, [data-no-drag]';

export function toggleFullscreen(el: HTMLElement): void {
  if (document.fullscreenElement === el) void document.exitFullscreen().catch(() => {});
  else void el.requestFullscreen?.().catch(() => {});
}

function GridTileView({ api, conn, tile, name, status, onMoveStart, onResizeStart, onRemove }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  // Off-screen tiles hold no player: no socket, no decoding.
  const visible = useInView(ref, '50px');
  const id = tile.id;
  const camera = useMemo(() => ({ id, name }), [id, name]);
  const remove = useCallback(() => onRemove(id), [id, onRemove]);
  const down = status === 'reconnecting' || status === 'error';

  return (
    <div
      ref={ref}
      className="grid-cell"
      style={tileStyle(tile)}
      data-testid={`grid-tile-${id}`}
      data-camera={id}
      data-x={tile.x}
      data-y={tile.y}
      data-w={tile.w}
      data-h={tile.h}
      data-visible={visible ? 'true' : 'false'}
      onPointerDown={(e) => {
        if (e.button !== 0 || (e.target as Element).closest(INTERACTIVE)) return;
        onMoveStart(id, e);
      }}
      onDoubleClick={(e) => {
        if ((e.target as Element).closest(INTERACTIVE)) return;
        if (ref.current) toggleFullscreen(ref.current);
      }}
    >
      {visible ? (
        <CameraTile api={api} conn={conn} camera={camera} onClose={remove} />
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
      {down && (
        <div className="grid-reconnecting" role="status" data-testid={`grid-reconnecting-${id}`}>
          reconnecting…
        </div>
      )}
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
    </div>
  );
}

export const GridTile = memo(GridTileView);
