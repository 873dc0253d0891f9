// Why: pins the grid's geometry — presets, clamping to 12 columns and 48 rows, no overlaps after any move, resize, swap or add.
import { describe, expect, it } from 'vitest';
import {
  COLS,
  MAX_ROWS,
  addTile,
  applyPreset,
  cellAt,
  clampRect,
  collisions,
  compact,
  dropTile,
  emptySlots,
  findFreeSpot,
  fromApi,
  keepCameras,
  layoutProblem,
  moveTile,
  neighbour,
  placeInSlot,
  presetOf,
  presetTiles,
  removeTile,
  replaceTile,
  resizeTile,
  rowsUsed,
  swapTiles,
  tileAt,
  toApi,
} from './layoutMath';
import type { Tile } from './layoutMath';

const t = (id: number, x: number, y: number, w: number, h: number): Tile => ({ id, x, y, w, h });
const at = (tiles: Tile[], id: number) => tiles.find((x) => x.id === id);

describe('presets', () => {
  it('1 is one full-width tile, 4 is 2×2 of 6 wide, 9 is 3×3 of 4 wide, 16 is 4×4 of 3 wide', () => {
    expect(presetTiles(1, [7])).toEqual([t(7, 0, 0, 12, 12)]);
    expect(presetTiles(4, [1, 2, 3, 4])).toEqual([t(1, 0, 0, 6, 6), t(2, 6, 0, 6, 6), t(3, 0, 6, 6, 6), t(4, 6, 6, 6, 6)]);
    const nine = presetTiles(9, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(nine.map((x) => [x.x, x.y, x.w, x.h])).toEqual([
      [0, 0, 4, 4], [4, 0, 4, 4], [8, 0, 4, 4],
      [0, 4, 4, 4], [4, 4, 4, 4], [8, 4, 4, 4],
      [0, 8, 4, 4], [4, 8, 4, 4], [8, 8, 4, 4],
    ]);
    const sixteen = presetTiles(16, Array.from({ length: 16 }, (_, i) => i + 1));
    expect(sixteen.every((x) => x.w === 3 && x.h === 3)).toBe(true);
    expect(rowsUsed(sixteen)).toBe(12);
    expect(layoutProblem(sixteen)).toBeNull();
  });

  it('fills only the places it has cameras for', () => {
    expect(presetTiles(9, [1, 2])).toEqual([t(1, 0, 0, 4, 4), t(2, 4, 0, 4, 4)]);
  });

  it('applying a preset keeps the shown cameras first (in reading order), then adds others', () => {
    const tiles = [t(5, 6, 0, 6, 6), t(3, 0, 0, 6, 6)];
    expect(applyPreset(tiles, 4, [1, 2, 3, 4, 5]).map((x) => x.id)).toEqual([3, 5, 1, 2]);
    expect(applyPreset(tiles, 1, [1, 2, 3, 4, 5])).toEqual([t(3, 0, 0, 12, 12)]);
  });

  it('recognises a preset (last places possibly empty) and calls anything else free', () => {
    expect(presetOf(presetTiles(4, [1, 2, 3, 4]))).toBe(4);
    expect(presetOf(presetTiles(16, Array.from({ length: 16 }, (_, i) => i)))).toBe(16);
    expect(presetOf(presetTiles(4, [1, 2, 3]))).toBe(4);
    expect(presetOf(presetTiles(9, [1, 2]))).toBe(9);
    expect(presetOf([t(1, 6, 0, 6, 6)])).toBeNull();
    expect(presetOf([t(1, 0, 0, 6, 6), t(2, 6, 0, 6, 6), t(3, 0, 6, 6, 6), t(4, 6, 6, 6, 5)])).toBeNull();
    expect(presetOf([])).toBeNull();
  });
});

describe('clamping and collisions', () => {
  it('clamps to 12 columns and 48 rows, with at least one cell', () => {
    expect(clampRect({ x: 10, y: 0, w: 6, h: 6 })).toEqual({ x: 6, y: 0, w: 6, h: 6 });
    expect(clampRect({ x: -3, y: -1, w: 20, h: 0 })).toEqual({ x: 0, y: 0, w: COLS, h: 1 });
    expect(clampRect({ x: 0, y: 47, w: 3, h: 3 })).toEqual({ x: 0, y: MAX_ROWS - 3, w: 3, h: 3 });
    expect(clampRect({ x: 2.6, y: 1.4, w: 3.5, h: 2.2 })).toEqual({ x: 3, y: 1, w: 4, h: 2 });
  });

  it('finds overlaps, touching edges do not count', () => {
    const tiles = [t(1, 0, 0, 6, 6), t(2, 6, 0, 6, 6)];
    expect(collisions(tiles, { x: 5, y: 5, w: 2, h: 2 }).map((x) => x.id)).toEqual([1, 2]);
    expect(collisions(tiles, { x: 0, y: 6, w: 12, h: 1 })).toEqual([]);
    expect(collisions(tiles, { x: 0, y: 0, w: 1, h: 1 }, 1)).toEqual([]);
    expect(tileAt(tiles, { x: 7, y: 3 })?.id).toBe(2);
    expect(tileAt(tiles, { x: 7, y: 6 })).toBeNull();
  });

  it('states what the server would refuse', () => {
    expect(layoutProblem([t(1, 0, 0, 6, 6), t(2, 5, 0, 6, 6)])).toMatch(/overlap/);
    expect(layoutProblem([t(1, 8, 0, 6, 6)])).toMatch(/column 12/);
    expect(layoutProblem([t(1, 0, 45, 6, 6)])).toMatch(/row 48/);
    expect(layoutProblem([t(1, 0, 0, 6, 6), t(1, 6, 0, 6, 6)])).toMatch(/twice/);
    expect(layoutProblem(Array.from({ length: 65 }, (_, i) => t(i, i % 12, Math.floor(i / 12), 1, 1)))).toMatch(/64/);
    expect(layoutProblem([])).toBeNull();
  });
});

describe('compaction', () => {
  it('floats tiles up into holes, keeping the input order', () => {
    const out = compact([t(1, 0, 5, 6, 6), t(2, 6, 2, 6, 6), t(3, 0, 20, 4, 4)]);
    expect(out).toEqual([t(1, 0, 0, 6, 6), t(2, 6, 0, 6, 6), t(3, 0, 6, 4, 4)]);
  });

  it('separates tiles that overlap on the way in', () => {
    const out = compact([t(1, 0, 0, 6, 6), t(2, 0, 0, 6, 6)]);
    expect(layoutProblem(out)).toBeNull();
    expect(at(out, 2)).toEqual(t(2, 0, 6, 6, 6));
  });
});

describe('moving, swapping, resizing', () => {
  const four = presetTiles(4, [1, 2, 3, 4]);

  it('dropping a tile with the pointer on another swaps their places', () => {
    const out = dropTile(four, 1, { x: 6, y: 6 }, { x: 8, y: 8 });
    expect(at(out, 1)).toEqual(t(1, 6, 6, 6, 6));
    expect(at(out, 4)).toEqual(t(4, 0, 0, 6, 6));
    expect(layoutProblem(out)).toBeNull();
  });

  it('a swap exchanges sizes too, so tiles of different sizes never overlap', () => {
    const tiles = [t(1, 0, 0, 8, 8), t(2, 8, 0, 4, 4), t(3, 8, 4, 4, 4)];
    const out = swapTiles(tiles, 1, 2);
    expect(at(out, 1)).toEqual(t(1, 8, 0, 4, 4));
    expect(at(out, 2)).toEqual(t(2, 0, 0, 8, 8));
    expect(layoutProblem(out)).toBeNull();
    expect(swapTiles(tiles, 1, 1)).toEqual(tiles);
    expect(swapTiles(tiles, 1, 99)).toEqual(tiles);
  });

  it('a tile moved onto empty cells stays there; what it lands on is pushed down', () => {
    const tiles = [t(1, 0, 0, 4, 4), t(2, 4, 0, 4, 4)];
    expect(dropTile(tiles, 1, { x: 8, y: 0 }, { x: 9, y: 1 })).toEqual([t(1, 8, 0, 4, 4), t(2, 4, 0, 4, 4)]);
    const out = moveTile([t(1, 0, 0, 4, 4), t(2, 4, 0, 4, 4), t(3, 0, 4, 8, 4)], 1, { x: 2, y: 4 });
    expect(layoutProblem(out)).toBeNull();
    // 1 lands on 3 (tile 2 keeps it from floating up); 3 is pushed below it.
    expect(at(out, 1)).toEqual(t(1, 2, 4, 4, 4));
    expect(at(out, 2)).toEqual(t(2, 4, 0, 4, 4));
    expect(at(out, 3)).toEqual(t(3, 0, 8, 8, 4));
  });

  it('clamps a move to the grid', () => {
    const out = moveTile([t(1, 0, 0, 6, 6)], 1, { x: 11, y: -4 });
    expect(out).toEqual([t(1, 6, 0, 6, 6)]);
  });

  it('resizes from the corner within the grid, pushing neighbours down, never overlapping', () => {
    const out = resizeTile(four, 1, { w: 8, h: 8 });
    expect(at(out, 1)).toEqual(t(1, 0, 0, 8, 8));
    expect(layoutProblem(out)).toBeNull();
    expect(resizeTile(four, 2, { w: 30, h: 0 }).find((x) => x.id === 2)).toMatchObject({ w: 6, h: 1 });
  });

  it('refuses a change that would push tiles past row 48', () => {
    const column = Array.from({ length: 4 }, (_, i) => t(i + 1, 0, i * 12, 12, 12));
    expect(resizeTile(column, 1, { w: 12, h: 20 })).toEqual(column);
  });
});

describe('adding and removing', () => {
  it('a first camera fills the grid; later ones take the first free place at the narrowest size', () => {
    const one = addTile([], 5)!;
    expect(one).toEqual([t(5, 0, 0, 12, 12)]);
    const four = presetTiles(4, [1, 2, 3]);
    expect(addTile(four, 9)).toContainEqual(t(9, 6, 6, 6, 6));
    expect(addTile(four, 1)).toBeNull();
  });

  it('finds free spots in reading order and says when the grid is full', () => {
    expect(findFreeSpot([t(1, 0, 0, 6, 6)], 6, 6)).toEqual({ x: 6, y: 0 });
    const full = [t(1, 0, 0, 12, 48)];
    expect(findFreeSpot(full, 1, 1)).toBeNull();
    expect(addTile(full, 2)).toBeNull();
  });

  it('removing a tile closes the hole', () => {
    const out = removeTile([t(1, 0, 0, 12, 6), t(2, 0, 6, 12, 6)], 1);
    expect(out).toEqual([t(2, 0, 0, 12, 6)]);
  });

  it('drops cameras that no longer exist', () => {
    const tiles = [t(1, 0, 0, 12, 6), t(2, 0, 6, 12, 6)];
    expect(keepCameras(tiles, new Set([2]))).toEqual([t(2, 0, 0, 12, 6)]);
    expect(keepCameras(tiles, new Set([1, 2]))).toEqual(tiles);
  });
});

describe('pixels and the API shape', () => {
  it('maps a point to its cell', () => {
    expect(cellAt(0, 0, 100, 56.25)).toEqual({ x: 0, y: 0 });
    expect(cellAt(650, 340, 100, 56.25)).toEqual({ x: 6, y: 6 });
  });

  it('round-trips the API layout shape', () => {
    const api = [{ camera_id: 3, position: { x: 6, y: 0 }, size: { width: 6, height: 6 } }];
    expect(fromApi(api)).toEqual([t(3, 6, 0, 6, 6)]);
    expect(toApi(fromApi(api))).toEqual(api);
  });
});

describe('the operator\'s grid', () => {
  it('a preset leads with the chosen camera', () => {
    const tiles = presetTiles(4, [1, 2, 3, 4]);
    expect(applyPreset(tiles, 1, [1, 2, 3, 4], 3)).toEqual([t(3, 0, 0, 12, 12)]);
    expect(applyPreset(tiles, 4, [1, 2, 3, 4], 4).map((x) => x.id)).toEqual([4, 1, 2, 3]);
    expect(applyPreset(tiles, 1, [1, 2, 3, 4], 99)).toEqual([t(1, 0, 0, 12, 12)]);
  });

  it('numbers the empty places of a preset and of a free layout', () => {
    expect(emptySlots(presetTiles(4, [1, 2, 3]))).toEqual([{ x: 6, y: 6, w: 6, h: 6, number: 4 }]);
    expect(emptySlots(presetTiles(9, [1, 2])).map((s) => s.number)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(emptySlots(presetTiles(4, [1, 2, 3, 4]))).toEqual([]);
    expect(emptySlots([])).toEqual([]);
    // A free layout: a hole beside a narrow tile, as big as the narrowest tile.
    const free = [t(1, 0, 0, 8, 8), t(2, 8, 0, 4, 4)];
    expect(emptySlots(free)).toEqual([{ x: 8, y: 4, w: 4, h: 4, number: 3 }]);
  });

  it('a camera dropped into a slot goes there; one already shown moves there', () => {
    const tiles = presetTiles(4, [1, 2, 3]);
    const [slot] = emptySlots(tiles);
    expect(placeInSlot(tiles, 9, slot!)).toContainEqual(t(9, 6, 6, 6, 6));
    const moved = placeInSlot(tiles, 1, slot!);
    expect(at(moved, 1)).toEqual(t(1, 6, 6, 6, 6));
    expect(moved).toHaveLength(3);
    // A place that is not empty changes nothing.
    expect(placeInSlot(tiles, 9, { x: 0, y: 0, w: 6, h: 6 })).toEqual(tiles);
  });

  it('a camera dropped on a tile takes its place, or swaps with it when already shown', () => {
    const tiles = presetTiles(4, [1, 2, 3, 4]);
    expect(at(replaceTile(tiles, 2, 9), 9)).toEqual(t(9, 6, 0, 6, 6));
    expect(replaceTile(tiles, 2, 9).some((x) => x.id === 2)).toBe(false);
    const swapped = replaceTile(tiles, 1, 4);
    expect(at(swapped, 4)).toEqual(t(4, 0, 0, 6, 6));
    expect(at(swapped, 1)).toEqual(t(1, 6, 6, 6, 6));
  });

  it('resizing reflows the others into the room instead of leaving holes', () => {
    // Shrinking 1 lets 3 move up beside it.
    const tiles = [t(1, 0, 0, 12, 6), t(2, 0, 6, 6, 6), t(3, 6, 6, 6, 6)];
    const out = resizeTile(tiles, 1, { w: 6, h: 6 });
    expect(at(out, 1)).toEqual(t(1, 0, 0, 6, 6));
    expect(at(out, 2)).toEqual(t(2, 6, 0, 6, 6));
    expect(at(out, 3)).toEqual(t(3, 0, 6, 6, 6));
    expect(rowsUsed(out)).toBe(12);
    expect(layoutProblem(out)).toBeNull();
  });

  it('arrow keys go to the nearest tile that way', () => {
    const tiles = presetTiles(4, [1, 2, 3, 4]);
    expect(neighbour(tiles, 1, 'right')).toBe(2);
    expect(neighbour(tiles, 1, 'down')).toBe(3);
    expect(neighbour(tiles, 4, 'left')).toBe(3);
    expect(neighbour(tiles, 4, 'up')).toBe(2);
    expect(neighbour(tiles, 1, 'left')).toBeNull();
    expect(neighbour(tiles, 99, 'left')).toBe(1);
  });
});
