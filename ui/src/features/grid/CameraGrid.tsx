// Why: the 12-column camera grid — sizes rows to 16:9 cells (or to fit the window's height), turns pointer drags into moves, swaps and corner resizes (the tile follows the pointer through the DOM, React only hears about whole cells), shows empty numbered slots that take a dragged camera, and one camera alone (solo).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { DragEvent, PointerEvent as ReactPointerEvent } from 'react';
import type { ApiClient } from '../../api/client';
import type { Camera } from '../../api/types';
import { CAMERA_DRAG_TYPE, draggedCamera } from './dragCamera';
import type { LiveConnection } from '../../live/protocol';
import { GridTile, tileStyle } from './GridTile';
import { COLS, MAX_ROWS, cellAt, clampRect, dropTile, emptySlots, resizeTile, rowsUsed, sameTiles, tileAt } from './layoutMath';
import type { Cell, Rect, Slot, Tile } from './layoutMath';

interface Props {
  api: ApiClient;
  conn: LiveConnection;
  tiles: Tile[];
  cameras: ReadonlyMap<number, Camera>;
  onChange: (tiles: Tile[]) => void;
  onRemove: (id: number) => void;
  selected: number | null;
  onSelect: (id: number) => void;
  /** The camera shown alone, filling the grid; null for the whole layout. */
  solo: number | null;
  onSolo: (id: number | null) => void;
  /** Rows shrink so the layout fits the window's height (tiles stay 16:9, the grid narrower). */
  fit: boolean;
  clock: boolean;
  /** A camera dragged from the drawer: into an empty slot, or onto a tile to take its place. */
  onDropCamera: (cameraId: number, target: { slot: Slot } | { tile: number }) => void;
}

/** Space kept under the grid when it fits the window (px). */
const FIT_MARGIN_PX = 16;

/** Row height and grid width (px) for a container `width` wide: 16:9 cells, and with `fit` no taller
 * than `height` for `rows` rows. Exported for tests. */
export function gridMetrics(width: number, rows: number, fit: boolean, height: number): { rowH: number; width: number } {
  const natural = ((width / COLS) * 9) / 16;
  if (!fit || rows <= 0 || height <= 0) return { rowH: natural, width };
  const rowH = Math.min(natural, height / rows);
  return { rowH, width: Math.min(width, (rowH * 16 * COLS) / 9) };
}

function SlotView({ slot, onDrop }: { slot: Slot; onDrop: (cameraId: number) => void }) {
  const [over, setOver] = useState(false);
  return (
    <div
      className={`grid-slot ${over ? 'is-drop-target' : ''}`}
      style={tileStyle(slot)}
      data-testid={`grid-slot-${slot.number}`}
      onDragOver={(e: DragEvent) => {
        if (!e.dataTransfer.types.includes(CAMERA_DRAG_TYPE)) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e: DragEvent) => {
        setOver(false);
        const cam = draggedCamera(e.dataTransfer);
        if (cam === null) return;
        e.preventDefault();
        onDrop(cam);
      }}
    >
      <span className="grid-slot-number">{slot.number}</span>
      <span className="muted small">Drag a camera here</span>
    </div>
  );
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

export function CameraGrid(props: Props) {
  const { api, conn, tiles, cameras, onChange, onRemove, selected, onSelect, solo, onSolo, fit, clock, onDropCamera } = props;
  const grid = useRef<HTMLDivElement>(null);
  const gesture = useRef<Gesture | null>(null);
  const [preview, setPreview] = useState<Rect | null>(null);
  const latest = useRef({ tiles, onChange });
  useEffect(() => {
    latest.current = { tiles, onChange };
  });

  const soloTile = solo !== null ? tiles.find((t) => t.id === solo) : undefined;
  const shown: Tile[] = soloTile ? [{ ...soloTile, x: 0, y: 0, w: COLS, h: COLS }] : tiles;
  const slots = soloTile ? [] : emptySlots(tiles);
  const layoutRows = Math.max(rowsUsed(shown), ...slots.map((s) => s.y + s.h), 1);
  const rowsRef = useRef(layoutRows);
  rowsRef.current = layoutRows;

  // Row height = column width × 9/16 (with `fit`, no taller than the window allows), written straight
  // to CSS (no React render on resize). The container is measured, the grid sized inside it.
  const applySize = useCallback(() => {
    const el = grid.current;
    const box = el?.parentElement;
    if (!el || !box) return;
    // From the grid's top (in the page, as if scrolled to the top) to the window's bottom.
    const height = window.innerHeight - (el.getBoundingClientRect().top + window.scrollY) - FIT_MARGIN_PX;
    const m = gridMetrics(box.clientWidth, rowsRef.current, fit, height);
    el.style.setProperty('--row-h', `${m.rowH}px`);
    el.style.width = fit ? `${m.width}px` : '';
  }, [fit]);
  useEffect(() => {
    applySize();
    const box = grid.current?.parentElement;
    window.addEventListener('resize', applySize);
    if (!box || typeof ResizeObserver === 'undefined') return () => window.removeEventListener('resize', applySize);
    const ro = new ResizeObserver(applySize);
    ro.observe(box);
    return () => {
      ro.disconnect();
      window.removeEventListener('resize', applySize);
    };
  }, [applySize]);
  useEffect(applySize, [applySize, layoutRows]);

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
      if (g.started) {
        // The click a drag ends with is no click on the tile (it would select and solo it).
        const swallow = (ev: MouseEvent) => {
          ev.stopPropagation();
          ev.preventDefault();
        };
        window.addEventListener('click', swallow, { capture: true, once: true });
        setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
      }
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

  const onTileDrop = useCallback((cameraId: number, tile: number) => onDropCamera(cameraId, { tile }), [onDropCamera]);
  const rows = Math.max(layoutRows, preview ? preview.y + preview.h : 0, 1);
  return (
    <div
      ref={grid}
      className={`camera-grid ${fit ? 'is-fit' : ''}`}
      style={{ height: `calc(var(--row-h) * ${rows})` }}
      data-testid="camera-grid"
      data-rows={rows}
      data-tiles={tiles.length}
      data-solo={solo ?? ''}
      data-fit={fit}
    >
      {shown.map((t) => {
        const cam = cameras.get(t.id);
        return (
          <GridTile
            key={t.id}
            api={api}
            conn={conn}
            tile={t}
            name={cam?.name ?? `Camera ${t.id}`}
            status={cam?.status ?? null}
            sourceKind={cam?.source.kind ?? null}
            selected={selected === t.id}
            solo={soloTile !== undefined}
            clock={clock}
            onMoveStart={onMoveStart}
            onResizeStart={onResizeStart}
            onRemove={onRemove}
            onSelect={onSelect}
            onSolo={onSolo}
            onDropCamera={onTileDrop}
          />
        );
      })}
      {slots.map((slot) => (
        <SlotView key={`${slot.x},${slot.y}`} slot={slot} onDrop={(cam) => onDropCamera(cam, { slot })} />
      ))}
      {preview && <div className="grid-preview" style={tileStyle(preview)} data-testid="grid-preview" aria-hidden="true" />}
    </div>
  );
}
