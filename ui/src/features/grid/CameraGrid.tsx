// Why: the 12-column camera grid — sizes rows to 16:9 cells, and turns pointer drags into moves, swaps and corner resizes (the tile follows the pointer through the DOM, React only hears about whole cells).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { PointerEvent as ReactPointerEvent } from 'react';
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import type { LiveConnection } from '../../live/protocol';
import { GridTile, tileStyle } from './GridTile';
import { COLS, MAX_ROWS, cellAt, clampRect, dropTile, resizeTile, rowsUsed, sameTiles, tileAt } from './layoutMath';
import type { Cell, Rect, Tile } from './layoutMath';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  tiles: Tile[];
  cameras: ReadonlyMap<number, Camera>;
  onChange: (tiles: Tile[]) => void;
  onRemove: (id: number) => void;
}

interface Gesture {
  kind: 'move' | 'resize';
  id: number;
  origin: Tile;
  el: HTMLElement;
  startX: number;
  startY: number;
  /** Grid metrics at the start (px). */
  left: number;
  top: number;
  col: number;
  row: number;
  started: boolean;
  target: Rect;
  pointer: Cell;
}

/** A press that moves less than this is a click (or half of a double-click), not a drag. */
const DRAG_THRESHOLD_PX = 5;

export function CameraGrid({ api, conn, tiles, cameras, onChange, onRemove }: Props) {
  const grid = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const [preview, setPreview] = useState<Rect | null>(null);
  const latest = useRef({ tiles, onChange });
  useEffect(() => {
    latest.current = { tiles, onChange };
  });

  // Row height = column width × 9/16, written straight to a CSS variable (no React render on resize).
  useEffect(() => {
    const el = grid.current;
    if (!el) return;
    const apply = () => el.style.setProperty('--row-h', `${((el.clientWidth / COLS) * 9) / 16}px`);
    apply();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(apply);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const showPreview = useCallback((r: Rect | null) => {
    setPreview((p) => (p && r && p.x === r.x && p.y === r.y && p.w === r.w && p.h === r.h ? p : r));
  }, []);

  const onMove = useCallback(
    (e: PointerEvent) => {
      const g = gesture.current;
      if (!g) return;
      const dx = e.clientX - g.startX;
      const dy = e.clientY - g.startY;
      if (!g.started) {
        if (Math.hypot(dx, dy) < DRAG_THRESHOLD_PX) return;
        g.started = true;
        g.el.classList.add(g.kind === 'move' ? 'is-dragging' : 'is-resizing');
      }
      const all = latest.current.tiles;
      if (g.kind === 'move') {
        g.el.style.transform = `translate(${dx}px, ${dy}px)`;
        g.target = clampRect({ ...g.origin, x: g.origin.x + Math.round(dx / g.col), y: g.origin.y + Math.round(dy / g.row) });
        g.pointer = cellAt(e.clientX - g.left, e.clientY - g.top, g.col, g.row);
        const under = tileAt(all, g.pointer, g.id);
        showPreview(under ? { x: under.x, y: under.y, w: under.w, h: under.h } : g.target);
      } else {
        const w = Math.min(COLS - g.origin.x, Math.max(1, g.origin.w + Math.round(dx / g.col)));
        const h = Math.min(MAX_ROWS - g.origin.y, Math.max(1, g.origin.h + Math.round(dy / g.row)));
        g.target = { x: g.origin.x, y: g.origin.y, w, h };
        showPreview(g.target);
      }
    },
    [showPreview],
  );

  const end = useCallback(
    (e: PointerEvent) => {
      const g = gesture.current;
      if (!g) return;
      gesture.current = null;
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
      g.el.style.transform = '';
      g.el.classList.remove('is-dragging', 'is-resizing');
      setPreview(null);
      if (!g.started || e.type === 'pointercancel') return;
      const { tiles: all, onChange: change } = latest.current;
      const next =
        g.kind === 'move'
          ? dropTile(all, g.id, { x: g.target.x, y: g.target.y }, g.pointer)
          : resizeTile(all, g.id, { w: g.target.w, h: g.target.h });
      if (!sameTiles(all, next)) change(next);
    },
    [onMove],
  );

  useEffect(
    () => () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', end);
      window.removeEventListener('pointercancel', end);
    },
    [onMove, end],
  );

  const begin = useCallback(
    (kind: Gesture['kind'], id: number, e: ReactPointerEvent<HTMLElement>) => {
      const el = grid.current;
      const origin = latest.current.tiles.find((t) => t.id === id);
      const tileEl = el?.querySelector<HTMLElement>(`[data-camera="${id}"]`);
      if (!el || !origin || !tileEl || gesture.current) return;
      const box = el.getBoundingClientRect();
      const col = box.width / COLS;
      e.preventDefault(); // No text selection or native image drag while moving.
      gesture.current = {
        kind,
        id,
        origin,
        el: tileEl,
        startX: e.clientX,
        startY: e.clientY,
        left: box.left,
        top: box.top,
        col,
        row: (col * 9) / 16,
        started: false,
        target: origin,
        pointer: { x: origin.x, y: origin.y },
      };
      window.addEventListener('pointermove', onMove);
      window.addEventListener('pointerup', end);
      window.addEventListener('pointercancel', end);
    },
    [onMove, end],
  );

  const onMoveStart = useCallback((id: number, e: ReactPointerEvent<HTMLElement>) => begin('move', id, e), [begin]);
  const onResizeStart = useCallback((id: number, e: ReactPointerEvent<HTMLElement>) => begin('resize', id, e), [begin]);

  const rows = Math.max(rowsUsed(tiles), preview ? preview.y + preview.h : 0, 1);
  return (
    <div
      ref={grid}
      className="camera-grid"
      style={{ height: `calc(var(--row-h) * ${rows})` }}
      data-testid="camera-grid"
      data-rows={rows}
      data-tiles={tiles.length}
    >
      {tiles.map((t) => {
        const cam = cameras.get(t.id);
        return (
          <GridTile
            key={t.id}
            api={api}
            conn={conn}
            tile={t}
            name={cam?.name ?? `Camera ${t.id}`}
            status={cam?.status ?? null}
            onMoveStart={onMoveStart}
            onResizeStart={onResizeStart}
            onRemove={onRemove}
          />
        );
      })}
      {preview && <div className="grid-preview" style={tileStyle(preview)} data-testid="grid-preview" aria-hidden="true" />}
    </div>
  );
}
