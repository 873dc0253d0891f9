// Why: the pure choices around saved layouts — which one to open, names for new ones, the first layout for a new user, and the last layout remembered in localStorage.
import type { Layout } from '../../api/types';
import { presetTiles } from './layoutMath';
import type { Preset, Tile } from './layoutMath';

export const LAST_LAYOUT_KEY = 'vigil.lastLayout';

type KeyValueStore = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
function local(): KeyValueStore | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function readLastLayout(store: KeyValueStore | null = local()): number | null {
  const v = store?.getItem(LAST_LAYOUT_KEY);
  return v && /^\d+$/.test(v) ? Number(v) : null;
}

export function writeLastLayout(id: number | null, store: KeyValueStore | null = local()): void {
  if (id === null) store?.removeItem(LAST_LAYOUT_KEY);
  else store?.setItem(LAST_LAYOUT_KEY, String(id));
}

/** The layout to show: the one asked for (or remembered) if it still exists, else the default, else the first. */
export function pickLayout(layouts: readonly Layout[], wanted: number | null): Layout | null {
  return layouts.find((l) => l.id === wanted) ?? layouts.find((l) => l.is_default) ?? layouts[0] ?? null;
}

/** "Layout N" with the first N not taken (names are unique per user). */
export function newLayoutName(layouts: readonly Pick<Layout, 'name'>[], base = 'Layout'): string {
  const taken = new Set(layouts.map((l) => l.name.toLowerCase()));
  for (let n = layouts.length + 1; ; n++) {
    const name = `${base} ${n}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

/** The smallest preset that shows every camera (16 at most). */
export function presetFor(count: number): Preset {
  return count <= 1 ? 1 : count <= 4 ? 4 : count <= 9 ? 9 : 16;
}

/** A new layout's tiles: the cameras, in order, in the smallest preset that holds them. */
export function initialTiles(cameraIds: readonly number[]): Tile[] {
  return presetTiles(presetFor(cameraIds.length), cameraIds);
}
