// Why: the camera grid's geometry as pure functions (placement, collisions, compaction, presets, swaps, clamping) so every drag and resize is testable without a browser.
import type { LayoutTile } from '../../api/types';

/** The grid is 12 columns wide; a row unit is 9/16 of a column, so a w×w tile is 16:9. */
export const COLS = 12;
/** The server's limits (`PUT /layouts/{id}` refuses more). */
export const MAX_ROWS = 48;
export const MAX_TILES = 64;

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}
/** A tile: a camera (its id is the tile's id — a camera is shown once per layout) and its cells. */
export interface Tile extends Rect {
  id: number;
}
export type Cell = { x: number; y: number };

export const PRESETS = [1, 4, 9, 16] as const;
export type Preset = (typeof PRESETS)[number];

const clampInt = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Math.round(v)));

/** Keep a rectangle inside the grid: 1..12 wide, 1..48 tall, never past the right or bottom edge. */
export function clampRect<T extends Rect>(r: T): T {
  const w = clampInt(r.w, 1, COLS);
  const h = clampInt(r.h, 1, MAX_ROWS);
  return { ...r, w, h, x: clampInt(r.x, 0, COLS - w), y: clampInt(r.y, 0, MAX_ROWS - h) };
}

export function overlaps(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** The tiles a rectangle would overlap, leaving out tile `ignore`. */
export function collisions(tiles: readonly Tile[], r: Rect, ignore?: number): Tile[] {
  return tiles.filter((t) => t.id !== ignore && overlaps(t, r));
}

/** The tile covering a cell, if any (leaving out `ignore`). */
export function tileAt(tiles: readonly Tile[], cell: Cell, ignore?: number): Tile | null {
  return tiles.find((t) => t.id !== ignore && overlaps(t, { ...cell, w: 1, h: 1 })) ?? null;
}

/** Rows in use (the grid's height). */
export function rowsUsed(tiles: readonly Tile[]): number {
  return tiles.reduce((m, t) => Math.max(m, t.y + t.h), 0);
}

/** Why a layout cannot be saved (the server's own rules), or null when it can. */
export function layoutProblem(tiles: readonly Tile[]): string | null {
  if (tiles.length > MAX_TILES) return `at most ${MAX_TILES} tiles`;
  const ids = new Set<number>();
  for (const [i, t] of tiles.entries()) {
    if (ids.has(t.id)) return `camera ${t.id} is shown twice`;
    ids.add(t.id);
    if (t.w < 1 || t.h < 1 || t.x < 0 || t.y < 0) return `tile ${i} has no size or is off the grid`;
    if (t.x + t.w > COLS) return `tile ${i} is past column ${COLS}`;
    if (t.y + t.h > MAX_ROWS) return `tile ${i} is past row ${MAX_ROWS}`;
    for (const u of tiles.slice(i + 1)) if (overlaps(t, u)) return `tiles of cameras ${t.id} and ${u.id} overlap`;
  }
  return null;
}

const byPosition = (a: Tile, b: Tile) => a.y - b.y || a.x - b.x || a.id - b.id;

/** Reading order: top to bottom, left to right. */
export function sortTiles(tiles: readonly Tile[]): Tile[] {
  return [...tiles].sort(byPosition);
}

/** Float every tile up as far as it goes (top to bottom, left to right), so no row is left with a hole above a tile. */
export function compact(tiles: readonly Tile[]): Tile[] {
  const placed: Tile[] = [];
  for (const t of sortTiles(tiles)) {
    let y = t.y;
    // A tile overlapping one already placed (only after a bad input) goes down until it fits.
    while (collisions(placed, { ...t, y }).length > 0) y += 1;
    while (y > 0 && collisions(placed, { ...t, y: y - 1 }).length === 0) y -= 1;
    placed.push({ ...t, y });
  }
  // Keep the caller's order (it is the order the API stores).
  const out = new Map(placed.map((t) => [t.id, t]));
  return tiles.map((t) => out.get(t.id) ?? t);
}

/** Put `fixed` where it is and push every tile it overlaps down below it, and so on down the grid. */
function pushDown(tiles: readonly Tile[], fixed: Tile): Tile[] {
  let work = tiles.map((t) => (t.id === fixed.id ? fixed : t));
  const queue: Tile[] = [fixed];
  let guard = 0;
  while (queue.length > 0 && guard++ < 10_000) {
    const mover = queue.shift()!;
    const current = work.find((t) => t.id === mover.id) ?? mover;
    for (const hit of sortTiles(collisions(work, current, current.id))) {
      if (hit.id === fixed.id) continue; // The tile being placed never moves.
      const moved = { ...hit, y: current.y + current.h };
      work = work.map((t) => (t.id === hit.id ? moved : t));
      queue.push(moved);
    }
  }
  return work;
}

/** A result that breaks the server's rules (e.g. pushed past row 48) leaves the layout as it was. */
function orUnchanged(before: readonly Tile[], after: Tile[]): Tile[] {
  return layoutProblem(after) ? [...before] : after;
}

/** Move a tile to a cell (clamped to the grid), pushing what it lands on down, then compact. */
export function moveTile(tiles: readonly Tile[], id: number, to: Cell): Tile[] {
  const t = tiles.find((x) => x.id === id);
  if (!t) return [...tiles];
  const placed = clampRect({ ...t, x: to.x, y: to.y });
  return orUnchanged(tiles, compact(pushDown(tiles, placed)));
}

/** Exchange two tiles' places: each takes the other's cells (position and size), so nothing can overlap. */
export function swapTiles(tiles: readonly Tile[], a: number, b: number): Tile[] {
  const ta = tiles.find((t) => t.id === a);
  const tb = tiles.find((t) => t.id === b);
  if (!ta || !tb || a === b) return [...tiles];
  return tiles.map((t) => (t.id === a ? { ...tb, id: a } : t.id === b ? { ...ta, id: b } : t));
}

/**
 * Where a dragged tile ends up: dropped with the pointer over another tile, the two swap places;
 * over empty cells, it moves to `to` (its top-left cell).
 */
export function dropTile(tiles: readonly Tile[], id: number, to: Cell, pointer: Cell): Tile[] {
  const under = tileAt(tiles, pointer, id);
  return under ? swapTiles(tiles, id, under.id) : moveTile(tiles, id, to);
}

/**
 * Keep `fixed` where it is and pack every other tile, in reading order, into the first place it
 * fits. Pushing neighbours straight down (what a move does) left holes beside a grown tile and sent
 * tiles below the fold; packing fills the room a shrunk tile frees and puts the rest beside it
 * where they fit.
 */
export function reflow(tiles: readonly Tile[], fixed: Tile): Tile[] {
  const placed: Tile[] = [fixed];
  for (const t of sortTiles(tiles.filter((x) => x.id !== fixed.id))) {
    const spot = findFreeSpot(placed, t.w, t.h);
    if (!spot) return [...tiles];
    placed.push({ ...t, ...spot });
  }
  const out = new Map(placed.map((t) => [t.id, t]));
  return tiles.map((t) => out.get(t.id) ?? t);
}

/** Resize a tile from its bottom-right corner (clamped to the grid); the others reflow around it. */
export function resizeTile(tiles: readonly Tile[], id: number, size: { w: number; h: number }): Tile[] {
  const t = tiles.find((x) => x.id === id);
  if (!t) return [...tiles];
  const w = clampInt(size.w, 1, COLS - t.x);
  const h = clampInt(size.h, 1, MAX_ROWS - t.y);
  return orUnchanged(tiles, reflow(tiles, { ...t, w, h }));
}

/** The first free place for a w×h tile, in reading order, or null when the grid is full. */
export function findFreeSpot(tiles: readonly Tile[], w: number, h: number): Cell | null {
  const size = clampRect({ x: 0, y: 0, w, h });
  for (let y = 0; y + size.h <= MAX_ROWS; y++) {
    for (let x = 0; x + size.w <= COLS; x++) {
      if (collisions(tiles, { x, y, w: size.w, h: size.h }).length === 0) return { x, y };
    }
  }
  return null;
}

/** The size a new tile gets: full width in an empty grid, else as wide as the narrowest tile (16:9). */
export function newTileSize(tiles: readonly Tile[]): { w: number; h: number } {
  if (tiles.length === 0) return { w: COLS, h: COLS };
  const w = Math.min(...tiles.map((t) => t.w));
  return { w, h: w };
}

/** Add a camera's tile at the first free place (smaller if it does not fit); null when it cannot. */
export function addTile(tiles: readonly Tile[], id: number): Tile[] | null {
  if (tiles.some((t) => t.id === id) || tiles.length >= MAX_TILES) return null;
  for (let { w, h } = newTileSize(tiles); w >= 1; w -= 1, h = w) {
    const spot = findFreeSpot(tiles, w, h);
    if (spot) return [...tiles, { id, ...spot, w, h }];
  }
  return null;
}

export function removeTile(tiles: readonly Tile[], id: number): Tile[] {
  return compact(tiles.filter((t) => t.id !== id));
}

/** A preset's tiles: 1 (full width), 4 (2×2 of 6 wide), 9 (3×3 of 4 wide), 16 (4×4 of 3 wide), filled in order. */
export function presetTiles(n: Preset, ids: readonly number[]): Tile[] {
  const side = Math.round(Math.sqrt(n));
  const w = COLS / side;
  return ids.slice(0, n).map((id, i) => ({ id, x: (i % side) * w, y: Math.floor(i / side) * w, w, h: w }));
}

/**
 * Switch to a preset: the layout's cameras in reading order first, then the other cameras, as
 * many as the preset has places.
 */
export function applyPreset(tiles: readonly Tile[], n: Preset, cameraIds: readonly number[], first: number | null = null): Tile[] {
  const shown = sortTiles(tiles).map((t) => t.id);
  const rest = cameraIds.filter((id) => !shown.includes(id));
  const order = [...shown, ...rest];
  // The selected camera leads (preset 1 shows it, not whichever tile happened to be first).
  const lead = first !== null && order.includes(first) ? [first, ...order.filter((id) => id !== first)] : order;
  return presetTiles(n, lead);
}

/** An empty place of the layout a camera can be dropped into, numbered in reading order among all places. */
export interface Slot extends Rect {
  number: number;
}

/**
 * The layout's empty places: a preset's places no camera fills (a 2×2 with three cameras has
 * slot 4), or in a free layout, holes within the rows in use as big as the narrowest tile.
 */
export function emptySlots(tiles: readonly Tile[]): Slot[] {
  if (tiles.length === 0) return [];
  const n = presetOf(tiles);
  const free: Rect[] = [];
  if (n !== null) {
    const side = Math.round(Math.sqrt(n));
    const w = COLS / side;
    for (let i = 0; i < n; i++) {
      const r = { x: (i % side) * w, y: Math.floor(i / side) * w, w, h: w };
      if (collisions(tiles, r).length === 0) free.push(r);
    }
  } else {
    const size = Math.min(...tiles.map((t) => t.w));
    const rows = rowsUsed(tiles);
    for (let y = 0; y + size <= rows; y++) {
      for (let x = 0; x + size <= COLS; x++) {
        const r = { x, y, w: size, h: size };
        if (collisions(tiles, r).length === 0 && !free.some((f) => overlaps(f, r))) free.push(r);
      }
    }
  }
  const places = [...tiles.map((t) => ({ ...t, slot: false })), ...free.map((r) => ({ ...r, id: -1, slot: true }))].sort(
    (a, b) => a.y - b.y || a.x - b.x,
  );
  return places.flatMap((p, i) => (p.slot ? [{ x: p.x, y: p.y, w: p.w, h: p.h, number: i + 1 }] : []));
}

/** Put a camera into an empty place: added there, or moved there when the layout shows it already. */
export function placeInSlot(tiles: readonly Tile[], id: number, slot: Rect): Tile[] {
  const rest = tiles.filter((t) => t.id !== id);
  const r = clampRect({ x: slot.x, y: slot.y, w: slot.w, h: slot.h });
  if (collisions(rest, r).length > 0) return [...tiles];
  const next = tiles.some((t) => t.id === id) ? tiles.map((t) => (t.id === id ? { id, ...r } : t)) : [...tiles, { id, ...r }];
  return orUnchanged(tiles, next);
}

/** Show camera `id` where tile `target` is: the two swap when the layout shows it already, else it takes the place. */
export function replaceTile(tiles: readonly Tile[], target: number, id: number): Tile[] {
  if (target === id) return [...tiles];
  if (tiles.some((t) => t.id === id)) return swapTiles(tiles, target, id);
  return tiles.map((t) => (t.id === target ? { ...t, id } : t));
}

export type Direction = 'left' | 'right' | 'up' | 'down';

/** The tile an arrow key moves to from tile `from`: the nearest whose centre lies that way (none at the edge). */
export function neighbour(tiles: readonly Tile[], from: number, dir: Direction): number | null {
  const t = tiles.find((x) => x.id === from);
  if (!t) return sortTiles(tiles)[0]?.id ?? null;
  const cx = t.x + t.w / 2;
  const cy = t.y + t.h / 2;
  let best: { id: number; score: number } | null = null;
  for (const u of tiles) {
    if (u.id === from) continue;
    const dx = u.x + u.w / 2 - cx;
    const dy = u.y + u.h / 2 - cy;
    const along = dir === 'right' ? dx : dir === 'left' ? -dx : dir === 'down' ? dy : -dy;
    const across = dir === 'left' || dir === 'right' ? Math.abs(dy) : Math.abs(dx);
    if (along <= 0) continue;
    const score = along + 2 * across;
    if (!best || score < best.score) best = { id: u.id, score };
  }
  return best?.id ?? null;
}

/** The preset a layout is (its places filled in order, the last ones possibly empty), or null for a free layout. */
export function presetOf(tiles: readonly Tile[]): Preset | null {
  if (tiles.length === 0) return null;
  const sorted = sortTiles(tiles);
  const ids = sorted.map((t) => t.id);
  return PRESETS.find((n) => n >= tiles.length && presetTiles(n, ids).every((w, i) => sameRect(sorted[i]!, w))) ?? null;
}

function sameRect(a: Rect, b: Rect): boolean {
  return a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;
}

export function sameTiles(a: readonly Tile[], b: readonly Tile[]): boolean {
  return a.length === b.length && a.every((t, i) => t.id === b[i]!.id && sameRect(t, b[i]!));
}

/** The cell nearest a point given in pixels from the grid's top-left corner. */
export function cellAt(px: number, py: number, colWidth: number, rowHeight: number): Cell {
  return { x: Math.floor(px / colWidth), y: Math.floor(py / rowHeight) };
}

export function fromApi(layout: readonly LayoutTile[]): Tile[] {
  return layout.map((t) => ({ id: t.camera_id, x: t.position.x, y: t.position.y, w: t.size.width, h: t.size.height }));
}

export function toApi(tiles: readonly Tile[]): LayoutTile[] {
  return tiles.map((t) => ({ camera_id: t.id, position: { x: t.x, y: t.y }, size: { width: t.w, height: t.h } }));
}

/** Drop tiles of cameras that no longer exist (deleted elsewhere), then close the holes. */
export function keepCameras(tiles: readonly Tile[], cameraIds: ReadonlySet<number>): Tile[] {
  const kept = tiles.filter((t) => cameraIds.has(t.id));
  return kept.length === tiles.length ? [...tiles] : compact(kept);
}
